"""The generation widgets with a model that really trains in the browser."""

import re

from .conftest import action_button, output_text, wait_idle, widget
from .test_training_widgets import run_to_end, summary


def test_train_then_answer_instantly(live):
    w = widget(live, "instant-answer")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    assert "התאמן 0 צעדים" in summary(w)
    run_to_end(live, w)
    steps = int(re.search(r"התאמן (\d+) צעדים", summary(w)).group(1))
    assert steps >= 500
    box = w.locator("input[name=prompt]")
    box.fill("החתול")
    box.press("Enter")  # Enter in the prompt box asks
    wait_idle(live, w)
    answer = output_text(w)
    assert "החתול" in answer
    timing = w.locator("[data-output] .timing").inner_text()
    answer_ms = float(re.search(r"זמן התשובה: ([\d.]+) אלפיות שנייה", timing).group(1))
    train_s = float(re.search(r"זמן האימון עד עכשיו: ([\d.]+) שניות", timing).group(1))
    assert 0 < answer_ms < 1000 * train_s, (answer_ms, train_s)  # answering is far quicker than training


def test_a_bigger_window_keeps_the_characters_in_the_story(live):
    w = widget(live, "context-window")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=window]")
    slider.focus()
    slider.press("Home")
    wait_idle(live, w)
    small = int(re.search(r"(\d+) מתוך \d+ הדמויות", summary(w)).group(1))
    slider.press("End")
    wait_idle(live, w)
    large = int(re.search(r"(\d+) מתוך \d+ הדמויות", summary(w)).group(1))
    assert large > small
    assert w.locator("[data-output] .in-window").count() > 0


def test_an_unseen_term_gets_a_fluent_confident_answer_with_count_zero(live):
    w = widget(live, "hallucination")
    w.scroll_into_view_if_needed()
    box = w.locator("input[name=term]")
    box.fill("זברוטון")
    action_button(w, "ask").click()
    wait_idle(live, w)
    assert "מספר ההופעות בטקסט האימון: 0" in summary(w)
    assert w.locator("[data-output] .tok").count() >= 4


def test_greedy_decoding_loops_and_a_repetition_penalty_breaks_it(live):
    w = widget(live, "repetition-loop")
    w.scroll_into_view_if_needed()
    w.locator("button[data-action=go]").click()
    wait_idle(live, w)
    assert "נתקע בלולאה" in summary(w)
    assert w.locator("[data-output] mark.loop").count() > 2
    penalty = w.locator("input[name=penalty]")
    penalty.focus()
    penalty.press("End")
    wait_idle(live, w)
    assert "אין לולאה" in summary(w)
    assert w.locator("[data-output] mark.loop").count() == 0
    penalty.press("Home")
    wait_idle(live, w)


def test_the_window_bars_run_like_the_slider_and_a_bar_button_jumps_there(live):
    w = widget(live, "context-window")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=window]")
    # In RTL the slider's minimum is on the right; so are the smallest window's bar and button.
    assert slider.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    bars = [r.bounding_box()["x"] for r in w.locator("[data-output] svg.plot rect[fill]").all()]
    buttons = w.locator("[data-output] .bar-jumps button")
    centres = [(b["x"] + b["width"] / 2) for b in (x.bounding_box() for x in buttons.all())]
    assert len(bars) == len(centres) == 6
    assert bars == sorted(bars, reverse=True) and centres == sorted(centres, reverse=True)
    widths = [r.bounding_box()["width"] for r in w.locator("[data-output] svg.plot rect[fill]").all()]
    for x, width, centre in zip(bars, widths, centres):  # each button right under its bar
        assert abs(x + width / 2 - centre) < width
    buttons.nth(4).click()
    wait_idle(live, w)
    assert slider.input_value() == "250"
    assert "חלון של 250 מילים" in summary(w)
    assert w.locator("[data-output] .bar-jumps button[aria-current=true]").inner_text() == "250"
    w.locator("[data-output] .bar-jumps button").nth(1).focus()
    live.keyboard.press("Space")
    wait_idle(live, w)
    assert slider.input_value() == "15" and live.evaluate("document.activeElement.value") == "15"


def test_the_probability_bars_follow_the_temperature_slider(live):
    """Greedy: the chosen word gets all the chance; dragging the temperature up spreads it."""
    w = widget(live, "repetition-loop")
    w.scroll_into_view_if_needed()
    w.locator("button[data-action=go]").click()
    wait_idle(live, w)
    chosen = w.locator("[data-output] table.choices tr.chosen td.pcell")
    assert chosen.nth(1).inner_text().strip() == "100.0%"
    bars = w.locator("[data-output] table.choices tbody svg.pbar rect")
    first_bar, second_bar = (bars.nth(i).bounding_box() for i in (0, 2))
    # RTL: the bars grow from the right, like the text around them
    cell = w.locator("[data-output] table.choices tbody svg.pbar").first.bounding_box()
    assert abs(first_bar["x"] + first_bar["width"] - (cell["x"] + cell["width"])) < 2
    assert first_bar["width"] > second_bar["width"]
    temperature = w.locator("input[name=temperature]")
    temperature.focus()
    temperature.press("End")
    wait_idle(live, w)
    chance = float(w.locator("[data-output] table.choices tbody tr").first.locator("td.pcell").nth(1).inner_text().strip("% \n"))
    assert 0 < chance < 100
    temperature.press("Home")
    wait_idle(live, w)
