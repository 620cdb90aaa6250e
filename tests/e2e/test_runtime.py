"""The live runtime: worker boot, parity with the pre-render, errors, cancel, offline, file://."""

import base64
import re

import numpy as np

from maamar_live.kit.png import PICTURE_MAX_ERROR

from ..test_png import decode_png

from .conftest import action_button, output_text, wait_for_runtime, wait_idle, widget


DATA_URL = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
PICTURE_FILE = re.compile(r"assets/pictures/[0-9a-f]{16}\.png")  # the build links its pictures (kit.png.picture_files)
STEP = 2 * PICTURE_MAX_ERROR + 1  # the rounding step of generated pictures (kit.png)
NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def numbers(text):
    return [float(x) for x in NUMBER.findall(text)]


def test_first_live_output_equals_the_prerendered_one(live, site_dir):
    """CPython at build time and Pyodide in the browser give the same output for the same params.

    The pre-rendered markup is read from the page as served (other tests may have
    changed the live DOM since); both sides are serialised by the browser, and
    numbers are compared after rounding, since numpy's summation order may differ
    in the last bits between the two builds.  The page links its pictures as files
    where the live output carries data: URLs; their pixels are compared.
    """
    served = live.evaluate("() => fetch(location.href).then(r => r.text())")
    kinds = live.evaluate(
        """(html) => Array.from(new DOMParser().parseFromString(html, 'text/html').querySelectorAll('figure.widget'))
            .map(f => ({kind: f.dataset.widget, init: JSON.parse(f.querySelector('[data-init]').textContent),
                        html: f.querySelector('[data-output]').innerHTML}))""",
        served,
    )
    assert kinds, "no widgets on the page"
    for item in kinds:
        result = live.evaluate("([k, p]) => window.maamar.request(k, 'init', p, null)", [item["kind"], item["init"]["params"]])
        live_html = live.evaluate(
            """([html, text]) => { const t = document.createElement('template'); t.innerHTML = html;
                 if (text) { const p = document.createElement('p'); p.className = 'summary'; p.textContent = text; t.content.append(p); }
                 return t.innerHTML; }""",
            [result["html"], result["text"]],
        )
        assert result["text"] == item["init"]["text"], item["kind"]
        # Pictures: zlib in Pyodide may compress the same pixels to other bytes, so
        # compare the decoded pixels.  One level of float32 rounding in the exact
        # pixels can move a sample across a boundary of kit.png's rounding: one step.
        ours_png, theirs_png = DATA_URL.findall(live_html), PICTURE_FILE.findall(item["html"])
        assert len(ours_png) == len(theirs_png) and not DATA_URL.search(item["html"]), item["kind"]
        for a, b in zip(ours_png, theirs_png):
            pa, pb = decode_png(base64.b64decode(a)), decode_png((site_dir / b).read_bytes())
            assert pa.shape == pb.shape and np.abs(pa.astype(int) - pb.astype(int)).max() <= STEP, item["kind"]
        live_html, item["html"] = DATA_URL.sub("PNG", live_html), PICTURE_FILE.sub("PNG", item["html"])
        assert re.sub(NUMBER, "#", live_html) == re.sub(NUMBER, "#", item["html"]), item["kind"]
        ours, theirs = numbers(live_html), numbers(item["html"])
        assert len(ours) == len(theirs) and all(abs(a - b) <= 0.15 for a, b in zip(ours, theirs)), item["kind"]


def test_pressing_a_button_runs_python_in_the_browser(live):
    w = widget(live, "trial-error")
    action_button(w, "reset").click()
    wait_idle(live, w)
    before = output_text(w)
    action_button(w, "step").click()
    wait_idle(live, w)
    after = output_text(w)
    assert before != after
    assert "ניסיונות: 1" in after


def test_runtime_failure_keeps_prerendered_outputs_and_explains(new_context, server):
    context = new_context()
    context.route("**/*.wasm", lambda route: route.abort())
    page = context.new_page()
    page.goto(server + "article.html")
    static = output_text(widget(page, "trial-error"))
    assert wait_for_runtime(page) == "failed"
    assert "לא הצלחנו להפעיל את Python" in page.inner_text("[data-runtime]")
    w = widget(page, "trial-error")
    assert output_text(w) == static
    assert action_button(w, "step").is_disabled(), "a control never pretends to run"
    assert output_text(w) == static
    assert "תוצאות שחושבו מראש" in w.locator("[data-status]").inner_text()


def test_python_exception_shows_hebrew_error_and_retry(new_context, server, site_dir):
    html = (site_dir / "article.html").read_text(encoding="utf-8")
    # A widget whose kind Python doesn't know makes runtime.call raise on every action.
    broken = html.replace('data-widget="trial-error"', 'data-widget="no-such-widget"', 1)
    assert broken != html
    context = new_context()
    context.route("**/article.html", lambda route: route.fulfill(body=broken, content_type="text/html; charset=utf-8"))
    page = context.new_page()
    page.goto(server + "article.html")
    assert wait_for_runtime(page) == "ready"
    w = widget(page, "no-such-widget")
    before = output_text(w)
    action_button(w, "step").click()
    page.wait_for_function("(el) => el.dataset.state === 'error'", arg=w.element_handle())
    assert "משהו השתבש" in w.locator("[data-status]").inner_text()
    assert output_text(w) == before, "the last good output stays"
    retry = w.locator("button.retry")
    retry.click()
    page.wait_for_function("(el) => el.dataset.state === 'error'", arg=w.element_handle())
    assert w.locator("button.retry").count() == 1
    # The page stays usable: another widget still runs.
    other = widget(page, "training-loop")
    action_button(other, "step").click()
    wait_idle(page, other)
    assert other.get_attribute("data-state") == "ready"
    assert "אחרי 1 חזרות" in other.locator(".summary").inner_text()


def test_site_opened_from_disk_boots_and_runs(opened_from_disk):
    # The page is opened, booted and its step pressed by the fixture (shared with test_later_visits).
    assert opened_from_disk.stage == "ready"
    assert "ניסיונות: 1" in opened_from_disk.output


def test_cancel_restarts_python_and_every_widget_keeps_its_state(new_context, server):
    page = new_context().new_page()
    page.goto(server + "article.html")
    assert wait_for_runtime(page) == "ready"
    trial = widget(page, "trial-error")
    action_button(trial, "step").click()
    wait_idle(page, trial)
    assert "ניסיונות: 1" in output_text(trial)
    # Keep Python busy for several seconds (as a slow machine would), then press a button:
    # its action waits behind the others long enough for the cancel button to appear.
    # One train press is a short play tick (≈ 25 ms in the browser), so it takes hundreds.
    page.evaluate("""() => { for (let i = 0; i < 400; i++)
        window.maamar.request('training-loop', 'train', {examples: 400, epochs: 300}, null).catch(() => {}); }""")
    loop = widget(page, "training-loop")
    action_button(loop, "step").click()
    cancel = loop.locator("button.cancel")
    cancel.wait_for(state="visible", timeout=20_000)
    assert "מחשב" in loop.locator("[data-status]").inner_text()
    cancel.click()
    page.wait_for_function("() => document.querySelector('[data-runtime]').dataset.stage !== 'ready'", timeout=5_000)
    assert "נעצר" in loop.locator("[data-status]").inner_text()
    assert wait_for_runtime(page) == "ready"
    action_button(trial, "step").click()
    wait_idle(page, trial)
    assert "ניסיונות: 2" in output_text(trial), "trial-error lost its state in the restart"
    action_button(loop, "step").click()
    wait_idle(page, loop)
    assert loop.get_attribute("data-state") == "ready"
