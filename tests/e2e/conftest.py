"""End-to-end fixtures: one built site, one loopback server, one Chromium, one booted page.

Booting Pyodide takes seconds, so the page that has booted is shared by every test
that only needs a live runtime; tests that must see a fresh start open their own.
Every request the browser makes is checked: anything that isn't the loopback
server (or file:, data:, blob: URLs of the site itself) fails the test that made it.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest

from maamar.pipeline import Options, build
from maamar.serve import make_server

from ..conftest import ROOT

CHROMIUM = os.environ.get("MAAMAR_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
BOOT_TIMEOUT = 90_000


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in item.path.parts:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("e2e") / "site"
    build(Options(project=ROOT, out=out))
    return out


@pytest.fixture(scope="session")
def server(site_dir):
    srv = make_server(site_dir, 0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not os.environ.get("MAAMAR_PLAYWRIGHT_BROWSER"):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium (apt-get install chromium) or set MAAMAR_CHROMIUM"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        kwargs = {} if os.environ.get("MAAMAR_PLAYWRIGHT_BROWSER") else {"executable_path": CHROMIUM}
        b = p.chromium.launch(args=ARGS, **kwargs)
        yield b
        b.close()


class Requests:
    """Records every request; ``foreign`` lists those that left the site."""

    def __init__(self, server: str):
        self.allowed = urlparse(server).netloc
        self.foreign: list[str] = []

    def check(self, route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "file") or (parsed.scheme in ("http", "https") and parsed.netloc == self.allowed):
            route.continue_()
        else:
            self.foreign.append(url)
            FOREIGN.append(url)
            route.abort()


FOREIGN: list[str] = []  # every context's off-site requests, checked after each test below


@pytest.fixture(autouse=True)
def no_off_origin_requests():
    """Every e2e test fails if any browser context made a request that left the site during it."""
    before = len(FOREIGN)
    yield
    assert FOREIGN[before:] == [], f"requests left the site: {FOREIGN[before:]}"


OPENED_BY_THE_TEST: list | None = None  # the contexts the running test opened, closed when it ends


@pytest.fixture(autouse=True)
def close_the_tests_contexts():
    """The contexts a test opened are closed when it ends: a page it leaves booting Python,
    warming the widgets up or writing a snapshot would otherwise go on taking the CPU from
    the tests after it.  Session and module fixtures are set up before this, so they keep
    theirs; one that opens contexts later, during its tests, passes ``keep=True``."""
    global OPENED_BY_THE_TEST
    OPENED_BY_THE_TEST = []
    yield
    opened, OPENED_BY_THE_TEST = OPENED_BY_THE_TEST, None
    for context in opened:
        context.close()


def close_when_the_test_ends(context):
    """Has ``context`` closed at the end of the running test, if it was opened during one."""
    if OPENED_BY_THE_TEST is not None:
        OPENED_BY_THE_TEST.append(context)


@pytest.fixture(scope="session")
def new_context(browser, server):
    contexts = []

    def make(keep=False, **kwargs):
        requests = Requests(server)
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **kwargs})
        context.route("**/*", requests.check)
        context.requests = requests
        contexts.append(context)
        if not keep:
            close_when_the_test_ends(context)
        return context

    yield make
    for context in contexts:
        context.close()


def wait_for_runtime(page, timeout=BOOT_TIMEOUT) -> str:
    page.wait_for_function(
        "() => ['ready', 'failed'].includes(document.querySelector('[data-runtime]').dataset.stage)", timeout=timeout
    )
    return page.eval_on_selector("[data-runtime]", "e => e.dataset.stage")


# Content-Security-Policy violations, recorded from the first script on (``window.__csp``).
RECORD_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def open_booted(new_context, server):
    """A fresh article page whose runtime is ready, recording page errors in ``page.errors``,
    console lines in ``page.console`` and CSP violations in ``window.__csp``."""
    context = new_context()
    page = context.new_page()
    page.errors, page.console = [], []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.console.append(m.text))
    page.add_init_script(RECORD_CSP)
    page.goto(server + "article.html")
    assert wait_for_runtime(page) == "ready"
    return page


@pytest.fixture(scope="session")
def opened_from_disk(new_context, site_dir):
    """The article opened from disk (file://) by a new reader: its runtime's stage and
    trial-error's output after one step.  One cold boot for test_runtime's file:// test
    and the later-visits test that goes on from it, in this context, to a second visit."""
    context = new_context()
    page = context.new_page()
    page.goto((site_dir / "article.html").as_uri())
    stage, output = wait_for_runtime(page), None
    if stage == "ready":
        trial = widget(page, "trial-error")
        action_button(trial, "step").click()
        wait_idle(page, trial)
        output = output_text(trial)
    return SimpleNamespace(context=context, page=page, stage=stage, output=output)


@pytest.fixture(scope="session")
def live_page(new_context, server):
    """The article, booted once, shared by the tests that operate widgets."""
    page = open_booted(new_context, server)
    yield page
    assert not page.context.requests.foreign, page.context.requests.foreign


@pytest.fixture
def live(live_page):
    """The shared page, scrolled to the top, with this test's off-origin requests checked."""
    before = len(live_page.context.requests.foreign)
    yield live_page
    assert live_page.context.requests.foreign[before:] == []
    assert live_page.errors == [], live_page.errors


def widget(page, kind, n=0):
    return page.locator(f"figure.widget[data-widget='{kind}']").nth(n)


def action_button(root, action):
    """The widget's button for ``action``; if it waits under the closed "more" disclosure,
    the disclosure is opened first, as a reader would (a click on its summary)."""
    button = root.locator(f"button[data-action={action}]")
    if button.evaluate("(b) => !!b.closest('details.more:not([open])')"):
        root.locator("details.more > summary").click()
    return button


def output_text(locator) -> str:
    return locator.locator("[data-output]").inner_text()


def wait_idle(page, locator, timeout=30_000):
    """Wait until the widget has finished its current action."""
    handle = locator.element_handle()
    page.wait_for_function(
        "(el) => el.dataset.state !== 'running' && el.dataset.state !== 'loading'", arg=handle, timeout=timeout
    )


def prerendered_pictures_load(page) -> int:
    """Scroll to each pre-rendered picture (a PNG file the build wrote, linked lazily)
    and wait until it has loaded; the number of pictures."""
    pictures = page.locator("figure.widget [data-output] img.generated")
    for n in range(pictures.count()):
        img = pictures.nth(n)
        assert re.fullmatch(r"assets/pictures/[0-9a-f]{16}\.png", img.get_attribute("src"))
        assert img.get_attribute("loading") == "lazy"
        img.scroll_into_view_if_needed()
        page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=10_000)
        assert img.evaluate("(img) => [img.naturalWidth, img.naturalHeight]") == [int(img.get_attribute("width"))] * 2
    return pictures.count()
