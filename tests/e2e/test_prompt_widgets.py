"""Word neighbours and the prompt widgets, operated like a reader."""

import re

import pytest

from .conftest import RECORD_CSP, action_button, prerendered_pictures_load, wait_idle, widget
from .test_training_widgets import summary


def test_typing_cat_finds_milk_and_an_unknown_word_gets_a_hebrew_answer(live):
    w = widget(live, "word-neighbours")
    w.scroll_into_view_if_needed()
    box = w.locator("input[name=word]")
    box.fill("חתול")
    box.press("Enter")
    wait_idle(live, w)
    assert re.search(r"השכנות הקרובות ביותר של “חתול”: חלב", summary(w))
    box.fill("זברוטון")
    w.locator("button[data-action=look]").click()
    wait_idle(live, w)
    assert "לא מופיעה בקורפוס" in summary(w)
    assert w.get_attribute("data-state") == "ready"


def test_one_word_changes_the_picture_and_its_distance(live):
    w = widget(live, "prompt-to-image")
    w.scroll_into_view_if_needed()
    w.locator("input[name=prompt_a]").fill("חתול בשקיעה")
    w.locator("input[name=prompt_b]").fill("חתול בערב")
    w.locator("button[data-action=draw]").click()
    wait_idle(live, w)
    core = float(re.search(r"הבדל בפיקסלים ([\d.]+)%", summary(w)).group(1))
    srcs = [img.get_attribute("src") for img in w.locator("[data-output] img").all()]
    w.locator("input[name=prompt_b]").fill("חתול בשקיעה, אדום")
    w.locator("button[data-action=draw]").click()
    wait_idle(live, w)
    modifier = float(re.search(r"הבדל בפיקסלים ([\d.]+)%", summary(w)).group(1))
    assert modifier < core
    new_srcs = [img.get_attribute("src") for img in w.locator("[data-output] img").all()]
    assert new_srcs[0] == srcs[0] and new_srcs[1] != srcs[1]
    for img in w.locator("[data-output] img").all():
        assert img.get_attribute("alt")


def test_small_steps_stay_close_and_a_core_swap_jumps(live):
    w = widget(live, "refine-steps")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    w.locator("select[name=modifier]").select_option("red")
    w.locator("button[data-action=add]").click()
    wait_idle(live, w)
    small = int(re.search(r"רחוקה (\d+)% מהראשונה", summary(w)).group(1))
    w.locator("select[name=core]").select_option("night")
    action_button(w, "swap").click()
    wait_idle(live, w)
    large = int(re.search(r"רחוקה (\d+)% מהראשונה", summary(w)).group(1))
    assert large > 2 * small
    assert w.locator("[data-output] img").count() == 3


def test_facts_in_the_prompt_steer_the_answer_and_editing_them_changes_it(live):
    w = widget(live, "grounding")
    w.scroll_into_view_if_needed()
    facts = w.locator("textarea[name=facts]")
    w.locator("select[name=question]").select_option("hours")
    wait_idle(live, w)
    assert "14:00" in summary(w).split("עם העובדות")[1]
    assert "14:00" not in summary(w).split("עם העובדות")[0]
    facts.fill(facts.input_value().replace("14:00", "16:00"))
    action_button(w, "ask").click()
    wait_idle(live, w)
    with_facts = summary(w).split("עם העובדות")[1]
    assert "16:00" in with_facts and "14:00" not in with_facts


def test_a_summary_keeps_an_early_fact_inside_the_window(live):
    w = widget(live, "summarize-refresh")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    for _ in range(3):
        action_button(w, "talk").click()
        wait_idle(live, w)
    w.locator("select[name=question]").select_option("allergy")
    wait_idle(live, w)
    assert "אין לי מושג" in summary(w)
    action_button(w, "summarize").click()
    wait_idle(live, w)
    action_button(w, "ask").click()
    wait_idle(live, w)
    assert "בוטנים" in summary(w).split("תשובת הבוט")[1]


def test_the_log_scrolls_to_the_window_boundary_after_each_action(live):
    w = widget(live, "summarize-refresh")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    # where the boundary sits inside the chat's visible box (0 = top edge, 1 = bottom edge)
    where = """(w) => { const box = w.querySelector("ol.chat"), mark = w.querySelector("[data-scroll-to]");
        const b = box.getBoundingClientRect(), m = mark.getBoundingClientRect();
        return {scrolls: box.scrollHeight > box.clientHeight, top: box.scrollTop, at: (m.top - b.top) / b.height}; }"""
    for _ in range(4):
        action_button(w, "talk").click()
        wait_idle(live, w)
        seen = w.evaluate(where)
        if seen["scrolls"]:
            assert seen["top"] > 0 and 0 <= seen["at"] <= 1, f"the window boundary is out of view: {seen}"
    assert seen["scrolls"], "the chat grew long enough to scroll"


def test_how_it_works_starts_closed_and_stays_open_across_actions_once_opened(live):
    w = widget(live, "context-window")
    w.scroll_into_view_if_needed()
    how = w.locator("details.how")
    assert how.evaluate("(d) => !d.open")
    how.locator("summary").click()
    assert how.locator("p.explain").is_visible()
    action_button(w, "again").click()
    wait_idle(live, w)
    assert w.locator("details.how").evaluate("(d) => d.open"), "a new output closed what the reader opened"


def test_the_two_pictures_stay_side_by_side_on_a_phone(new_context, server):
    page = new_context(viewport={"width": 375, "height": 800}).new_page()
    page.goto(server + "article.html")
    w = widget(page, "prompt-to-image")
    w.scroll_into_view_if_needed()
    boxes = [img.bounding_box() for img in w.locator(".prompt-pair img").all()]
    assert len(boxes) == 2
    a, b = boxes
    assert abs(a["y"] - b["y"]) < 2, "stacked, the two pictures can't be compared"
    assert min(a["width"], b["width"]) >= 130
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375


def test_the_characters_left_counter_shows_only_in_the_last_fifth(live):
    w = widget(live, "grounding")
    w.scroll_into_view_if_needed()
    facts = w.locator("textarea[name=facts]")
    counter = w.locator("[data-counter]")
    limit = int(facts.get_attribute("maxlength"))
    before = facts.input_value()
    assert counter.is_hidden()
    facts.fill("א" * int(limit * 0.85))
    assert counter.is_visible() and str(limit - int(limit * 0.85)) in counter.inner_text()
    facts.fill("א" * int(limit * 0.7))
    assert counter.is_hidden()
    facts.fill(before)
    wait_idle(live, w)


LINE_XS = """(svg) => {
  const line = svg.querySelector('polyline.series'), m = line.getScreenCTM();
  return Array.from(line.points, (p) => new DOMPoint(p.x, p.y).matrixTransform(m).x);
}"""


def test_the_strip_and_the_curve_run_the_same_way_and_a_thumbnail_jumps_to_its_step(live):
    """In RTL step 0 is on the right in the strip and on the chart: measured in the layout."""
    w = widget(live, "refine-steps")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    for modifier in ("red", "from-above"):
        w.locator("select[name=modifier]").select_option(modifier)
        w.locator("button[data-action=add]").click()
        wait_idle(live, w)
    thumbs = [b.bounding_box()["x"] for b in w.locator("[data-output] img.thumb").all()]
    points = w.locator("[data-output] svg.plot").evaluate(LINE_XS)
    assert len(thumbs) == len(points) == 3
    assert thumbs == sorted(thumbs, reverse=True) and points == sorted(points, reverse=True)

    first = w.locator("[data-output] button.step-jump").first
    assert first.locator("img").get_attribute("alt").startswith("צעד 0")  # named by its picture and caption
    first.click()
    wait_idle(live, w)
    assert w.locator("[data-output] button.step-jump[aria-current=step]").get_attribute("value") == "0"
    assert "מוצג צעד 0" in summary(w)
    # by keyboard: the focused thumbnail keeps the focus after the answer replaces it
    second = w.locator("[data-output] button.step-jump[value='1']")
    second.focus()
    live.keyboard.press("Enter")
    wait_idle(live, w)
    assert w.locator("[data-output] button.step-jump[aria-current=step]").get_attribute("value") == "1"
    assert live.evaluate("document.activeElement.value") == "1"
    assert w.locator("[data-output] img.thumb").count() == 3  # jumping drops nothing


@pytest.mark.parametrize("where", ["http", "file"])
def test_the_prerendered_pictures_load_from_their_files_before_python_is_live(new_context, server, site_dir, where):
    """The build links its pictures as PNG files, lazily: each one loads when scrolled
    to, over http and from disk, with the page's CSP, and with Python kept from
    starting (no worker), so what shows is the pre-rendered output's own files."""
    page = new_context().new_page()
    page.add_init_script(RECORD_CSP + "window.Worker = undefined;")
    page.goto(server + "article.html" if where == "http" else (site_dir / "article.html").as_uri())
    assert prerendered_pictures_load(page) == 3
    assert page.evaluate("() => window.__csp") == []
    assert page.eval_on_selector("[data-runtime]", "e => e.dataset.stage") != "ready"
