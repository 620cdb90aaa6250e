"""Word neighbours and the prompt widgets, operated like a reader."""

import re

from .conftest import wait_idle, widget
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
    w.locator("button[data-action=reset]").click()
    wait_idle(live, w)
    w.locator("select[name=modifier]").select_option("red")
    w.locator("button[data-action=add]").click()
    wait_idle(live, w)
    small = int(re.search(r"רחוקה (\d+)% מהראשונה", summary(w)).group(1))
    w.locator("select[name=core]").select_option("night")
    w.locator("button[data-action=swap]").click()
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
    w.locator("button[data-action=ask]").click()
    wait_idle(live, w)
    with_facts = summary(w).split("עם העובדות")[1]
    assert "16:00" in with_facts and "14:00" not in with_facts


def test_a_summary_keeps_an_early_fact_inside_the_window(live):
    w = widget(live, "summarize-refresh")
    w.scroll_into_view_if_needed()
    w.locator("button[data-action=reset]").click()
    wait_idle(live, w)
    for _ in range(3):
        w.locator("button[data-action=talk]").click()
        wait_idle(live, w)
    w.locator("select[name=question]").select_option("allergy")
    wait_idle(live, w)
    assert "אין לי מושג" in summary(w)
    w.locator("button[data-action=summarise]").click()
    wait_idle(live, w)
    w.locator("button[data-action=ask]").click()
    wait_idle(live, w)
    assert "בוטנים" in summary(w).split("תשובת הבוט")[1]


LINE_XS = """(svg) => {
  const line = svg.querySelector('polyline.series'), m = line.getScreenCTM();
  return Array.from(line.points, (p) => new DOMPoint(p.x, p.y).matrixTransform(m).x);
}"""


def test_the_strip_and_the_curve_run_the_same_way_and_a_thumbnail_jumps_to_its_step(live):
    """In RTL step 0 is on the right in the strip and on the chart: measured in the layout."""
    w = widget(live, "refine-steps")
    w.scroll_into_view_if_needed()
    w.locator("button[data-action=reset]").click()
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
