"""Live code cells operated like a reader: edit, Ctrl+Enter, Tab, Esc, Stop, Reset, links, file://.

The page is a small Hebrew (RTL) project of its own, built here: two cells that
share ``x``, a collapsed cell that draws a kit plot, a hidden one and one that
is expected to raise.  One booted page is shared by the tests that only run
cells; the tests that need a fresh start (Python still loading, no JavaScript,
a shared link, file://) open their own.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

import pytest

from maamar.pipeline import Options, build
from maamar.serve import make_server

from .conftest import Requests, close_when_the_test_ends, wait_for_runtime

PAGE = """\
---
title: תאי קוד
lang: he
dir: rtl
description: עמוד שבו קוד Python רץ בדפדפן.
date: 2026-01-01
---

## שני תאים ששותפים לשמות

התא הראשון מגדיר את x, והשני משתמש בו.

```python live
x = 6
print("x =", x)
```

```python live
print(x * 10)
```

```python live collapsed="הקוד מאחורי הציור"
from maamar_live.kit import line, show
show(line({"y": [1, 4, 9]}, title="ריבועים", desc="שלושה ריבועים", xlabel="i", ylabel="y"))
```

```python live hidden
print("רק הפלט נראה")
```

```python live error
raise KeyError("צפוי")
```

::: widget trial-error
source: true
:::
"""
SETTLED = "(el) => el.dataset.state === 'ready' || el.dataset.state === 'error'"


@pytest.fixture(scope="module")
def cells_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("cells") / "project"
    (project / "content").mkdir(parents=True)
    (project / "maamar.yml").write_text("title: תאים\nlang: he\ndir: rtl\n", encoding="utf-8")
    (project / "content" / "cells.md").write_text(PAGE, encoding="utf-8")
    out = project / "site"
    build(Options(project=project, out=out))
    return out


@pytest.fixture(scope="module")
def cells_server(cells_site):
    srv = make_server(cells_site, 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()


@pytest.fixture(scope="module")
def open_page(browser, cells_server):
    """A new page of the cells site (every request checked to stay on the site)."""
    contexts = []

    def make(url=None, hold_worker=False, **kwargs):
        requests = Requests(cells_server)
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **kwargs})
        context.route("**/*", requests.check)
        if hold_worker:  # never answer: the page stays as it is before Python is live
            context.route("**/assets/js/worker.js", lambda route: None)
        contexts.append(context)
        close_when_the_test_ends(context)  # a page a test opened goes on booting or warming up after it
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto(url or cells_server + "cells.html")
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def live(open_page):
    page = open_page()
    assert wait_for_runtime(page) == "ready"
    yield page
    assert page.errors == []


def cell(page, n):
    return page.locator(f"#cell-{n}")


def out(page, n) -> str:
    return cell(page, n).locator("[data-output]").inner_text()


def status(page, n) -> str:
    return cell(page, n).locator("[data-status]").inner_text()


def settle(page, n, timeout=90_000):
    page.wait_for_function(SETTLED, arg=cell(page, n).element_handle(), timeout=timeout)


def type_code(page, n, code):
    """Replace the cell's code by typing it, as a reader does (Enter, Tab and all)."""
    editor = cell(page, n).locator("textarea")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    editor.press_sequentially(code)
    return editor


def run_with_keyboard(page, n, code):
    type_code(page, n, code)
    page.keyboard.press("Control+Enter")
    settle(page, n)
    return out(page, n)


def test_before_python_is_live_the_prerendered_outputs_show_and_run_says_it_is_loading(open_page):
    page = open_page(hold_worker=True)
    assert out(page, 1).strip() == "x = 6"
    assert out(page, 2).strip() == "60"
    assert cell(page, 3).locator("details:not([open]) svg.plot").count() == 1, "the plot, in a closed disclosure"
    assert out(page, 4).strip() == "רק הפלט נראה"
    assert cell(page, 4).locator("textarea").is_hidden(), "a hidden cell shows only its output"
    assert "KeyError" in out(page, 5)
    cell(page, 2).locator("button[data-action=run]").click()
    assert cell(page, 2).get_attribute("data-state") == "loading"
    assert "עדיין נטענת" in status(page, 2)
    assert out(page, 2).strip() == "60", "nothing pretends to have run"


def test_without_javascript_the_code_and_its_output_are_readable(open_page):
    page = open_page(java_script_enabled=False)
    editor = cell(page, 1).locator("textarea")
    assert editor.input_value() == 'x = 6\nprint("x =", x)'
    assert editor.get_attribute("readonly") is not None and editor.get_attribute("dir") == "ltr"
    assert out(page, 1).strip() == "x = 6"
    assert cell(page, 1).locator("button[data-action=run]").is_hidden(), "no Run button that could not run"


def test_editing_the_first_cell_and_pressing_ctrl_enter_shows_42(live):
    assert run_with_keyboard(live, 1, "print(6*7)").strip() == "42"
    assert cell(live, 1).get_attribute("data-state") == "ready"
    direction = live.eval_on_selector(
        "#cell-1 textarea", "el => [getComputedStyle(el).direction, getComputedStyle(el).fontFamily]"
    )
    assert direction[0] == "ltr" and "monospace" in direction[1]


def test_redefining_x_in_the_first_cell_changes_what_the_second_prints(live):
    run_with_keyboard(live, 1, "x = 7")
    assert "הקוד רץ ולא הדפיס דבר" in out(live, 1)
    cell(live, 2).locator("button[data-action=run]").click()
    settle(live, 2)
    assert out(live, 2).strip() == "70"


def test_an_exception_shows_in_that_cell_only(live):
    before = out(live, 2)
    text = run_with_keyboard(live, 1, 'raise ValueError("boom")')
    assert cell(live, 1).get_attribute("data-state") == "error"
    assert "הקוד נעצר בשגיאה (ValueError)" in text
    assert "<cell 1>, line 1" in text and "ValueError: boom" in text
    assert out(live, 2) == before and cell(live, 2).get_attribute("data-state") != "error"


def test_tab_indents_and_escape_leaves_the_editor(live):
    editor = type_code(live, 1, "for i in range(2):")
    live.keyboard.press("Enter")
    live.keyboard.press("Tab")
    live.keyboard.type("print(i)")
    assert editor.input_value() == "for i in range(2):\n    print(i)"
    live.keyboard.press("Shift+Tab")
    assert editor.input_value() == "for i in range(2):\nprint(i)"
    live.keyboard.press("Tab")
    live.keyboard.press("Escape")
    assert live.evaluate("document.activeElement.dataset.action") == "run"
    live.keyboard.press("Enter")
    settle(live, 1)
    assert out(live, 1).split() == ["0", "1"]
    live.keyboard.press("Tab")  # the keyboard moves on: out of the editor, through the cell's buttons
    assert live.evaluate("document.activeElement.tagName") == "BUTTON"


def test_an_endless_loop_is_stopped_and_the_next_run_works(live):
    type_code(live, 1, "while True: pass")
    live.keyboard.press("Control+Enter")
    stop = cell(live, 1).locator("button[data-action=stop]")
    stop.wait_for(state="visible")
    assert cell(live, 1).get_attribute("data-state") == "running"
    live.keyboard.press("Escape")
    live.keyboard.press("Tab")
    assert live.evaluate("document.activeElement.dataset.action") == "stop"
    live.keyboard.press("Enter")
    live.wait_for_function("() => document.querySelector('#cell-1').dataset.state !== 'running'")
    assert "הריצה נעצרה" in status(live, 1)
    assert stop.is_hidden()
    assert live.evaluate("document.activeElement.dataset.action") == "run", "focus stays in the cell"
    # The reader's edited code survived the restart; the next run re-runs the cells above first.
    assert cell(live, 1).locator("textarea").input_value() == "while True: pass"
    cell(live, 1).locator("textarea").fill("x = 5")
    cell(live, 2).locator("button[data-action=run]").click()
    settle(live, 2)
    assert out(live, 2).strip() == "50"
    assert "הורצו קודם התאים שמעל (1)" in status(live, 2)


def test_reset_brings_back_the_authors_code(live):
    type_code(live, 1, "x = 99")
    cell(live, 1).locator("button[data-action=reset]").click()
    assert cell(live, 1).locator("textarea").input_value() == 'x = 6\nprint("x =", x)'
    assert "חזר לגרסה המקורית" in status(live, 1)


def test_figures_come_from_the_kit_and_printed_markup_stays_text(live):
    cell(live, 3).locator("summary").click()
    cell(live, 3).locator("button[data-action=run]").click()
    settle(live, 3)
    assert cell(live, 3).locator("[data-output] svg.plot title").text_content() == "ריבועים"
    text = run_with_keyboard(live, 1, 'print("<img src=x onerror=alert(1)>")')
    assert "<img src=x onerror=alert(1)>" in text
    assert cell(live, 1).locator("[data-output] img").count() == 0


def test_long_output_is_cut_with_a_notice(live):
    text = run_with_keyboard(live, 1, "for i in range(5000): print('0123456789')")
    assert "הפלט ארוך מדי" in text
    assert len(text) < 23_000


def test_edited_code_goes_into_the_link_and_a_link_never_runs_it(live, open_page, cells_server):
    run_with_keyboard(live, 1, "x = 8")
    fragment = live.evaluate("location.hash")
    assert fragment == "#cell-1:code=" + quote("x = 8", safe="")
    page = open_page(cells_server + "cells.html" + fragment)
    assert wait_for_runtime(page) == "ready"
    assert cell(page, 1).locator("textarea").input_value() == "x = 8"
    assert "הגיע מהקישור" in status(page, 1)
    page.wait_for_timeout(300)  # a run would have started by now: ready was announced before this
    assert out(page, 1).strip() == "x = 6", "code from a link waits for the reader's Run"
    cell(page, 2).locator("button[data-action=run]").click()
    settle(page, 2)
    assert out(page, 2).strip() == "80", "running cell 2 first ran the linked code above it"


def test_an_overlong_link_is_ignored(open_page, cells_server):
    page = open_page(cells_server + "cells.html#cell-1:code=" + "a" * 30_000, hold_worker=True)
    assert cell(page, 1).locator("textarea").input_value() == 'x = 6\nprint("x =", x)'


def test_all_of_it_from_disk(open_page, cells_site):
    page = open_page((cells_site / "cells.html").as_uri())
    assert wait_for_runtime(page) == "ready"
    assert run_with_keyboard(page, 1, "print(6*7)").strip() == "42"
    run_with_keyboard(page, 1, "x = 7")
    cell(page, 2).locator("button[data-action=run]").click()
    settle(page, 2)
    assert out(page, 2).strip() == "70"
    assert "ValueError: boom" in run_with_keyboard(page, 1, 'raise ValueError("boom")')
    type_code(page, 1, "while True: pass")
    page.keyboard.press("Control+Enter")
    cell(page, 1).locator("button[data-action=stop]").click()
    assert run_with_keyboard(page, 1, "print(6*7)").strip() == "42"
    assert page.errors == []


@pytest.fixture(scope="module")
def axe_page(open_page):
    """The cells page with every disclosure open and every cell run once (axe is injected, hence bypass_csp)."""
    from .test_quality import AXE

    page = open_page(bypass_csp=True)
    assert wait_for_runtime(page) == "ready"
    page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    for n in (1, 2, 3, 5):
        cell(page, n).locator("button[data-action=run]").click()
        settle(page, n)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page


@pytest.mark.parametrize("width", (1280, 375))
@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_violations_on_a_page_of_cells_and_a_widgets_source(axe_page, scheme, width):
    from .test_quality import axe_violations

    axe_page.set_viewport_size({"width": width, "height": 900})
    axe_page.emulate_media(color_scheme=scheme)
    assert axe_page.locator(".widget-source .source-code pre").count() == 1
    assert axe_violations(axe_page) == []
