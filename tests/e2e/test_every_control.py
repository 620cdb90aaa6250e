"""Every control of every widget, pressed once in the browser: no Python error anywhere,
and nothing the Content-Security-Policy refuses.

Python in the browser is 32-bit wasm with numpy 2.0.2, CPython here is 64-bit with
a newer numpy; a call that works in the unit tests can still fail in Pyodide (an
int64 index array where numpy wants intp did).  This walks every control.
"""

from .conftest import wait_idle


def assert_not_error(page, root, what):
    wait_idle(page, root)
    state = root.get_attribute("data-state")
    assert state != "error", f"{root.get_attribute('data-widget')}: {what} -> {root.locator('[data-status]').inner_text()}"


def test_every_control_of_every_widget_runs_without_error(live):
    """Also the CSP walk: the shared page records violations from its first script on
    (conftest.RECORD_CSP), so pressing everything here proves every widget runs under it."""
    roots = live.locator("figure.widget").all()
    assert len(roots) >= 10
    operated = 0
    for root in roots:
        root.scroll_into_view_if_needed()
        # The page is shared with other tests: put every control back afterwards.
        initial = [
            (el, el.input_value()) for el in root.locator(".controls input[name], .controls select, .controls textarea").all()
        ]
        for el in root.locator(".controls input[type=range]").all():
            el.focus()
            for key in ("End", "Home"):
                el.press(key)
                assert_not_error(live, root, f"{el.get_attribute('name')} {key}")
                operated += 1
        for el in root.locator(".controls select").all():
            values = [o.get_attribute("value") for o in el.locator("option").all()]
            for value in values[-1:] + values[:1]:
                el.select_option(value)
                assert_not_error(live, root, f"{el.get_attribute('name')}={value}")
                operated += 1
        for el in root.locator(".controls input[type=text], .controls textarea").all():
            el.fill(el.input_value()[: max(1, len(el.input_value()) // 2)] + " ק")
            operated += 1
        # The secondary buttons wait under "more": open it from the keyboard, as a reader could.
        for summary in root.locator(".controls details.more > summary").all():
            if not summary.evaluate("(s) => s.parentElement.open"):  # the shared page may have it open
                summary.focus()
                summary.press("Enter")
            assert summary.evaluate("(s) => s.parentElement.open"), "the more disclosure opens with Enter"
        for el in root.locator(".controls button[data-action]").all():
            el.click()
            if el.get_attribute("data-repeat") is not None and el.get_attribute("aria-pressed") == "true":
                live.wait_for_timeout(200)
                el.click()  # pause
            assert_not_error(live, root, f"button {el.get_attribute('data-action')}")
            operated += 1
        for el, value in initial:
            if el.evaluate("e => e.tagName") == "SELECT":
                el.select_option(value)
            else:
                el.fill(value)
            assert_not_error(live, root, f"restore {el.get_attribute('name')}")
    assert operated > 60
    assert live.evaluate("() => window.__csp") == []
    assert [m for m in live.console if "Content Security Policy" in m] == []
    # The policy is really in force: an inline script is refused (and the record reset after).
    live.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__inline = 1'; document.head.append(s); }"
    )
    live.wait_for_function("() => window.__csp.length > 0")
    assert live.evaluate("() => window.__inline") is None
    live.evaluate("() => { window.__csp = []; }")
