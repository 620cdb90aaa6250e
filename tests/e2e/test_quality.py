"""Quality of the published site, checked in a real Chromium.

* The site served under a sub-path (/maamar/, as on GitHub Pages): the article,
  its stylesheet, fonts and worker load, the 404 page works at any depth.
* Accessibility with axe-core (npm, node_modules/axe-core): 0 violations on every
  page, light and dark, 1280 px and 375 px, widgets and code cells static and live.
* Keyboard only: Tab reaches every widget control in order with a visible focus
  ring, Space/Enter press buttons, arrows move sliders; reduced motion is honoured.
* Security: every widget run under the page's Content-Security-Policy without a
  violation; hostile text in every text field never becomes markup or script.
* Shareable settings in the URL hash: restored from a link, malformed ones ignored.

The axe runs use a context with ``bypass_csp=True`` (axe is injected as an inline
script, which the page's CSP rightly forbids); every other test runs under the CSP.
"""

from __future__ import annotations

import functools
import re
import threading
import time
from urllib.parse import quote, urlsplit

import pytest

from maamar.pipeline import Options, build
from maamar.serve import SiteHandler, ThreadingHTTPServer

from ..conftest import ROOT
from .conftest import Requests, action_button, open_booted, output_text, wait_for_runtime, wait_idle, widget

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PREFIX = "/maamar/"
WIDTHS = (1280, 375)
SCHEMES = ("light", "dark")
# Widgets are laid out lazily (content-visibility: auto); axe must see all of them.
SHOW_ALL = ".widget { content-visibility: visible !important; }"
CONTROLS = "figure.widget button[data-action]:not([hidden]), figure.widget details.more > summary, figure.widget input, figure.widget select, figure.widget textarea"


# ---------------------------------------------------------------------------
# The site under a sub-path
# ---------------------------------------------------------------------------
class PrefixHandler(SiteHandler):
    """Serves the folder at /maamar/ only, like a GitHub Pages project site."""

    def translate_path(self, path):
        clean = urlsplit(path).path
        if not clean.startswith(PREFIX):
            return super().translate_path("/.no-such-file")
        return super().translate_path("/" + path[len(PREFIX) :])


@pytest.fixture(scope="module")
def prefixed(tmp_path_factory):
    out = tmp_path_factory.mktemp("prefixed") / "site"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(PrefixHandler, directory=str(out)))
    server.daemon_threads = True
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    build(Options(project=ROOT, out=out, base_url=origin + PREFIX, file_bundle=False))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield origin
    server.shutdown()


def test_site_works_under_a_sub_path(browser, prefixed):
    requests = Requests(prefixed)
    context = browser.new_context()
    context.route("**/*", requests.check)
    failures, seen = [], []

    def record(response):
        seen.append(response.url)
        if response.status >= 400:
            failures.append((response.status, response.url))

    context.on("response", record)
    try:
        page = context.new_page()
        response = page.goto(prefixed + PREFIX + "article.html")
        assert response.status == 200
        assert wait_for_runtime(page) == "ready"  # the worker, Pyodide, numpy, our wheel all loaded
        page.evaluate("() => document.fonts.ready")
        assert page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()") != ""
        assert page.evaluate("() => Array.from(document.fonts).some(f => f.family.includes('Heebo') && f.status === 'loaded')")
        for needed in (
            "assets/site.css",
            "assets/js/loader.js",
            "assets/js/worker.js",
            "assets/fonts/heebo-hebrew-400-normal.woff2",
        ):
            assert prefixed + PREFIX + needed in seen, needed
        assert failures == []

        # The 404 page, at any depth under the prefix, with its stylesheet and a working home link.
        for missing in ("no-such-page", "deep/down/no/such/page.html"):
            response = page.goto(prefixed + PREFIX + missing)
            assert response.status == 404
            assert "הדף לא נמצא" in page.inner_text("h1")
            assert page.evaluate("() => getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()") != ""
            assert page.evaluate("() => getComputedStyle(document.querySelector('main')).maxInlineSize") != "none"
            failures = [f for f in failures if not f[1].endswith(missing)]
            assert failures == []
        page.click(".not-found a")
        page.wait_for_url(prefixed + PREFIX + "index.html")
        assert page.locator(".article-list a").count() >= 1

        # The sitemap's absolute URLs are the pages as served.
        sitemap = page.request.get(prefixed + PREFIX + "sitemap.xml").text()
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        assert locs and all(loc.startswith(prefixed + PREFIX) for loc in locs)
        for loc in locs:
            assert page.request.get(loc).status == 200, loc
        assert requests.foreign == []
    finally:
        context.close()


def test_social_image_decodes_in_the_browser(new_context, server):
    """The build's own PNG encoder, checked by Chromium's decoder: size, and a loss curve in it."""
    page = new_context().new_page()
    page.goto(server + "index.html")
    found = page.evaluate("""async () => {
        const img = new Image(); img.src = 'assets/social.png'; await img.decode();
        const canvas = document.createElement('canvas'); canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
        const g = canvas.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, canvas.width, canvas.height).data;
        let blue = 0, orange = 0;
        for (let i = 0; i < d.length; i += 4) {
            if (d[i] < 40 && d[i + 1] > 70 && d[i + 1] < 110 && d[i + 2] > 150) blue++;           // --accent #0b5cad
            if (d[i] > 160 && d[i + 1] > 70 && d[i + 1] < 110 && d[i + 2] < 40) orange++;          // --plot-2 #b8590a
        }
        const icon = new Image(); icon.src = 'assets/apple-touch-icon.png'; await icon.decode();
        return {w: img.naturalWidth, h: img.naturalHeight, blue, orange, icon: [icon.naturalWidth, icon.naturalHeight]};
    }""")
    assert (found["w"], found["h"], found["icon"]) == (1200, 630, [180, 180])
    assert found["blue"] > 5_000 and found["orange"] > 1_000, found


# ---------------------------------------------------------------------------
# Accessibility: axe-core
# ---------------------------------------------------------------------------
def hold(route):
    """Never answer: the page stays as it is before Python boots."""


@pytest.fixture(scope="module")
def axe_pages(new_context, server):
    """One page per document and mode, reused across colour schemes and widths."""
    axe_source = AXE.read_text(encoding="utf-8")
    pages = {}

    def get(doc, mode):
        key = (doc, mode)
        if key in pages:
            return pages[key]
        context = new_context(keep=True, bypass_csp=True)  # kept for the module's other tests
        if mode == "static":
            context.route("**/assets/js/worker.js", hold)
        page = context.new_page()
        page.goto(server + doc)
        # Code cells, widgets' secondary buttons and "how it works" sit in closed disclosures:
        # open them, or axe skips what they hold (the binder keeps them open across actions).
        page.evaluate(
            "() => document.querySelectorAll('figure.cell details, figure.widget details').forEach((d) => { d.open = true; })"
        )
        if mode == "live":
            assert wait_for_runtime(page) == "ready"
            for w in page.locator("figure.widget").all():  # a live output in every widget
                button = w.locator("button[data-action]:not([data-repeat])").first
                if button.count():
                    button.click()
                    wait_idle(page, w)
            for c in page.locator("figure.cell").all():  # and in every code cell
                c.locator("button[data-action=run]").click()
                page.wait_for_function(
                    "(el) => ['ready', 'error'].includes(el.dataset.state)", arg=c.element_handle(), timeout=30_000
                )
        page.add_script_tag(content=axe_source)
        page.add_style_tag(content=SHOW_ALL)
        pages[key] = page
        return page

    return get


def axe_violations(page) -> list[str]:
    return page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.map(v => `${v.id} (${v.impact}): ` +
            v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\\s+/g, ' ')).join(' | '));
    }""")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", SCHEMES)
# The 404 page at the top level: this site is built without --base-url, so its links are
# relative; at any depth with a base URL it is checked in test_site_works_under_a_sub_path.
@pytest.mark.parametrize(
    "doc, mode", [("article.html", "static"), ("article.html", "live"), ("index.html", "static"), ("no-such-page", "static")]
)
def test_axe_finds_no_violations(axe_pages, doc, mode, scheme, width):
    page = axe_pages(doc, mode)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    assert page.evaluate("(s) => matchMedia(`(prefers-color-scheme: ${s})`).matches", scheme)
    assert axe_violations(page) == []


# ---------------------------------------------------------------------------
# Keyboard only, visible focus, reduced motion
# ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def booted(new_context, server):
    """A page of our own (not the shared one): these tests type into and press every widget."""
    page = open_booted(new_context, server)
    yield page
    assert page.errors == []


def test_tab_reaches_every_widget_control_in_order_with_visible_focus(booted):
    page = booted
    expected = page.evaluate(f"""() => Array.from(document.querySelectorAll({CONTROLS!r}))
        .filter(el => !el.disabled && el.getClientRects().length && el.checkVisibility())  // not under a closed "more"
        .map((el, i) => {{ el.dataset.kb = i; return i; }}).length""")
    assert expected >= 20
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); }")
    page.focus("body")
    reached, unringed = [], []
    total_stops = page.evaluate("() => document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').length")
    for _ in range(total_stops + 5):
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const el = document.activeElement; const s = getComputedStyle(el);
            return {kb: el.dataset.kb === undefined ? null : Number(el.dataset.kb), tag: el.tagName, id: el.id || el.textContent.slice(0, 20),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth), focusVisible: el.matches(':focus-visible')}; }""")
        if info["tag"] == "BODY":
            break
        if info["kb"] is not None:
            reached.append(info["kb"])
        if not (info["focusVisible"] and info["outline"] != "none" and info["width"] >= 2):
            unringed.append(info)
    assert reached == list(range(expected)), "Tab order skips or reorders widget controls"
    assert unringed == [], "focused elements without a visible focus ring"


def test_space_and_enter_press_buttons_and_arrows_move_sliders(booted):
    page = booted
    w = widget(page, "trial-error")
    action_button(w, "reset").focus()
    page.keyboard.press("Enter")
    wait_idle(page, w)
    step = action_button(w, "step")
    step.focus()
    page.keyboard.press("Space")
    wait_idle(page, w)
    assert "ניסיונות: 1" in output_text(w)
    page.keyboard.press("Enter")
    wait_idle(page, w)
    assert "ניסיונות: 2" in output_text(w)

    slider = w.locator("input[type=range]")
    shown = w.locator("input[type=range] + output")
    slider.focus()
    start = float(slider.input_value())
    page.keyboard.press("ArrowUp")
    up = float(slider.input_value())
    assert up > start
    assert shown.inner_text().strip() not in ("", str(start))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert float(slider.input_value()) < up
    before = float(slider.input_value())
    page.keyboard.press("ArrowLeft")
    after_left = float(slider.input_value())
    page.keyboard.press("ArrowRight")
    assert after_left != before and float(slider.input_value()) == before
    wait_idle(page, w)


def test_reduced_motion_turns_off_animation_and_smooth_scrolling(new_context, server):
    def motion(**kwargs):
        page = new_context(**kwargs).new_page()
        page.goto(server + "article.html")
        return page.evaluate("""() => ({
            scroll: getComputedStyle(document.documentElement).scrollBehavior,
            moving: Array.from(document.querySelectorAll('*')).filter(el => { const s = getComputedStyle(el);
                return s.animationName !== 'none' || s.transitionDuration.split(',').some(d => parseFloat(d) > 0); }).length,
        })""")

    assert motion(reduced_motion="no-preference")["scroll"] == "smooth"
    reduced = motion(reduced_motion="reduce")
    assert reduced == {"scroll": "auto", "moving": 0}


# ---------------------------------------------------------------------------
# Security
# ---------------------------------------------------------------------------
def press_every_button(page, w):
    for button in w.locator("button[data-action]").all():
        if not button.is_visible():
            continue
        button.click()
        if button.get_attribute("data-repeat") is not None:
            page.wait_for_timeout(300)
            if button.get_attribute("aria-pressed") == "true":
                button.click()  # pause
        wait_idle(page, w, timeout=60_000)


# (The CSP walk is the every-control walk: the shared page records violations, test_every_control.py.)
HOSTILE = [
    "<img src=x onerror=window.__pwned=1>",
    "</script><script>window.__pwned=1</script>",
    "\u202eחתול\u202c בשקיעה \u202d",
    "😀🐈‍⬛ חתול 👩🏽‍💻",
    "א" * 100_000,
]


def test_hostile_text_never_becomes_markup(booted):
    """Types hostile strings into every text field of every widget and presses its buttons.

    Generic over every ``input[type=text]`` and ``textarea`` in a widget; the number
    of fields exercised is asserted against the page, so a widget that adds a field
    is covered without editing this test.
    """
    page = booted
    fields = page.locator("figure.widget input[type=text], figure.widget textarea")
    count = fields.count()
    assert count >= 1, "no text fields on the page: this test would check nothing"
    exercised = 0
    for i in range(count):
        field = fields.nth(i)
        w = field.locator("xpath=ancestor::figure[1]")
        w.scroll_into_view_if_needed()
        limit = int(field.get_attribute("maxlength"))
        for payload in HOSTILE:
            field.fill(payload)
            assert len(field.input_value()) <= limit
            field.press("Enter")
            press_every_button(page, w)
            started = time.monotonic()
            page.wait_for_function("() => true", timeout=5_000)  # the page still answers
            assert time.monotonic() - started < 5
            found = page.evaluate("""() => ({
                pwned: window.__pwned,
                scripts: document.querySelectorAll('figure.widget [data-output] script').length,
                badImages: Array.from(document.querySelectorAll('figure.widget [data-output] img'))
                    .filter(img => !/^(data:image\\/png;base64,|assets\\/pictures\\/[0-9a-f]{16}\\.png$)/.test(img.getAttribute('src')) ||
                                   Array.from(img.attributes).some(a => a.name.startsWith('on'))).length,
                overrides: Array.from(document.querySelectorAll('figure.widget [data-output]'))
                    .filter(o => /[\\u202a-\\u202e\\u2066-\\u2069]/.test(o.textContent)).length,
            })""")
            assert found == {"pwned": None, "scripts": 0, "badImages": 0, "overrides": 0}, (
                w.get_attribute("data-widget"),
                payload[:40],
            )
            assert w.get_attribute("data-state") != "error", (w.get_attribute("data-widget"), payload[:40])
        exercised += 1
    assert exercised == count
    print(f"hostile input: {exercised} text field(s) × {len(HOSTILE)} payloads")


# ---------------------------------------------------------------------------
# Shareable settings in the URL hash
# ---------------------------------------------------------------------------
def widget_id(page, kind) -> str:
    return widget(page, kind).get_attribute("id")


def test_settings_go_into_the_hash_and_a_link_restores_them(new_context, server):
    page = new_context().new_page()
    page.goto(server + "article.html")
    assert wait_for_runtime(page) == "ready"
    w = widget(page, "training-loop")
    wid = w.get_attribute("id")
    w.locator("input[name=examples]").focus()
    page.keyboard.press("End")
    wait_idle(page, w)
    w.locator("input[name=epochs]").focus()
    page.keyboard.press("Home")
    wait_idle(page, w)
    prompt = widget(page, "prompt-to-image").locator("input[name=prompt_a]")
    prompt.fill("כלב, בים & בלילה")
    prompt.dispatch_event("change")
    link = page.url
    fragment = urlsplit(link).fragment
    assert f"{wid}:examples=400,epochs=1" in fragment
    assert widget_id(page, "prompt-to-image") + ":prompt_a=" in fragment

    # A new reader opens the link: controls restored, the widget re-run with them once Python is ready.
    other = new_context().new_page()
    other.goto(link)
    ow = widget(other, "training-loop")
    assert ow.locator("input[name=examples]").input_value() == "400"
    assert ow.locator("input[name=epochs]").input_value() == "1"
    assert ow.locator("input[name=examples] + output").inner_text().strip() == "400"
    assert widget(other, "prompt-to-image").locator("input[name=prompt_a]").input_value() == "כלב, בים & בלילה"
    assert wait_for_runtime(other) == "ready"
    wait_idle(other, ow)
    expected = other.evaluate("() => window.maamar.request('training-loop', 'init', {examples: 400, epochs: 1}, null)")
    assert ow.locator(".summary").inner_text() == expected["text"]
    assert other.evaluate("() => window.scrollY") > 0  # the shared widget is scrolled into view


def test_share_links_name_widgets_by_kind_and_old_numbered_links_still_work(new_context, server):
    page = new_context().new_page()
    page.goto(server + "article.html#widget-2:examples=400")  # a link from when ids were numbered
    loop = widget(page, "training-loop")
    assert loop.get_attribute("id") == "training-loop"
    assert loop.locator("input[name=examples]").input_value() == "400"
    page.goto(server + "article.html#training-loop:epochs=3")
    page.reload()
    assert widget(page, "training-loop").locator("input[name=epochs]").input_value() == "3"
    page.context.close()


# Each case names the controls its payload is meant to reach; the test fails if a widget
# has no such control (the payload would never be tried).  Numbered ids are old links.
# The hash is read before Python runs, so the cases check the page as the loader left it,
# without waiting for a boot; one case (LIVE) also waits until every widget has re-run.
LIVE = "script-in-text"


@pytest.mark.parametrize(
    "fragment, reaches",
    [
        (
            "trial-error:boldness=%E0%A4%A,boldness=%3Cimg%20src%3Dx%20onerror%3Dwindow.__pwned%3D1%3E",
            [("trial-error", "boldness")],
        ),
        (
            "training-loop:examples=99999,epochs=-5,nope=1&widget-99:x=1&garbage&trial-error:=,=,,",
            [("training-loop", "examples"), ("training-loop", "epochs")],
        ),
        (
            "word-neighbours:suggestion=%3C%2Foption%3E%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E",
            [("word-neighbours", "suggestion")],
        ),
        ("instant-answer:prompt=" + quote("</script><script>window.__pwned=1</script>" * 3), [("instant-answer", "prompt")]),
        ("widget-4:word=" + quote("<img src=x onerror=window.__pwned=1>"), [("widget-4", "word")]),
        ("%%%:::&&&" + "x" * 30_000, []),
    ],
    ids=["bad-escape-and-markup", "out-of-range-and-unknown", "select-markup", "script-in-text", "old-numbered-link", "junk"],
)
def test_malformed_settings_in_the_hash_are_ignored_safely(new_context, server, fragment, reaches, request):
    page = new_context().new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server + "article.html#" + fragment)
    for widget_ref, name in reaches:
        found = page.evaluate(
            """([ref, name]) => {
            const figures = Array.from(document.querySelectorAll('figure.widget'));
            const numbered = /^widget-(\\d+)$/.exec(ref);
            const figure = numbered ? figures[Number(numbered[1]) - 1] : document.getElementById(ref);
            return figure ? figure.querySelectorAll(`[name="${name}"]`).length : -1;
        }""",
            [widget_ref, name],
        )
        assert found == 1, f"the case names {widget_ref}:{name}, which is no control of the page's widgets"
    if request.node.callspec.id == LIVE:
        assert wait_for_runtime(page) == "ready"
        for w in page.locator("figure.widget").all():
            wait_idle(page, w)
    found = page.evaluate("""() => ({
        pwned: window.__pwned, scripts: document.querySelectorAll('figure.widget script:not([data-init])').length,
        errors: document.querySelectorAll('figure.widget[data-state=error]').length,
        ranges: Array.from(document.querySelectorAll('figure.widget input[type=range]'))
            .filter(r => !(Number(r.value) >= Number(r.min) && Number(r.value) <= Number(r.max))).length,
    })""")
    assert found == {"pwned": None, "scripts": 0, "errors": 0, "ranges": 0}
    assert errors == []
    page.context.close()  # a static case: stop the boot it started
