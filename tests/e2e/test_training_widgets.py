"""The training widgets, operated like a reader: keyboard on sliders, clicks on buttons."""

import re

from .conftest import action_button, output_text, wait_idle, widget


def summary(locator) -> str:
    return locator.locator("[data-output] .summary").inner_text()


def run_to_end(page, w, action="train", timeout=60_000):
    button = w.locator(f"button[data-action={action}]")
    button.click()
    page.wait_for_function("(el) => el.dataset.done === 'true'", arg=w.element_handle(), timeout=timeout)
    page.wait_for_function("(b) => b.getAttribute('aria-pressed') === 'false'", arg=button.element_handle())
    wait_idle(page, w)


def held_out_error(w) -> int:
    return int(re.findall(r"(\d+)% טעויות", summary(w))[-1])


def test_more_examples_give_fewer_mistakes_on_new_avocados(live):
    w = widget(live, "training-loop")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=examples]")
    slider.focus()
    slider.press("Home")  # the fewest examples
    wait_idle(live, w)
    assert "על 5 דוגמאות" in summary(w) or "דוגמאות: 5" in output_text(w)
    run_to_end(live, w)
    few = held_out_error(w)
    slider.focus()
    slider.press("End")  # the most examples
    wait_idle(live, w)
    run_to_end(live, w)
    many = held_out_error(w)
    assert many < few, (few, many)


# How many points the first curve of the output has, and how many times the output was redrawn.
CURVE = """(el) => { const line = el.querySelector('[data-output] polyline.series');
  return line ? line.getAttribute('points').trim().split(/\\s+/).length : 0; }"""
COUNT_DRAWS = """(el) => { el.draws = 0; if (!el.drawCounter) (el.drawCounter = new MutationObserver(() => el.draws++))
  .observe(el.querySelector('[data-output]'), { childList: true }); }"""
FRAMES = "(n) => new Promise((done) => { const next = () => (n-- > 0 ? requestAnimationFrame(next) : done()); next(); })"


def play_and_pause(page, w, ticks=4):
    """Press play once; the curve grows tick after tick with no other click; pause stops it."""
    wait_idle(page, w)
    w.evaluate(COUNT_DRAWS)
    start = w.evaluate(CURVE)
    play = w.locator("button[data-repeat]")
    play.click()
    assert play.get_attribute("aria-pressed") == "true"
    page.wait_for_function(f"(el) => el.draws >= {ticks} && ({CURVE})(el) >= {start + ticks}", arg=w.element_handle())
    play.click()  # pause
    assert play.get_attribute("aria-pressed") == "false"
    wait_idle(page, w)
    paused, draws = w.evaluate(CURVE), w.evaluate("(el) => el.draws")
    page.evaluate(FRAMES, 30)  # a playing loop sends its next tick one frame after the last
    wait_idle(page, w)
    assert (w.evaluate(CURVE), w.evaluate("(el) => el.draws")) == (paused, draws), "training went on after pause"
    return paused


def test_play_trains_continuously_and_pause_stops_it(live):
    w = widget(live, "training-loop")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    points = play_and_pause(live, w)
    assert "אחרי 0 " not in summary(w)
    assert live.evaluate("(el) => el.querySelectorAll('[data-output] .plot-pair svg.plot').length", w.element_handle()) == 2
    play_and_pause(live, w)  # play again goes on from where it paused
    assert w.evaluate(CURVE) > points


def test_the_examples_slider_keeps_what_the_model_learnt(live):
    w = widget(live, "training-loop")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=examples]")
    slider.focus()
    slider.press("Home")
    wait_idle(live, w)
    action_button(w, "reset").click()
    wait_idle(live, w)
    action_button(w, "step").click()
    wait_idle(live, w)
    action_button(w, "step").click()
    wait_idle(live, w)
    assert summary(w).startswith("אחרי 2 חזרות על 5 דוגמאות")
    slider.focus()
    slider.press("End")
    wait_idle(live, w)
    assert summary(w).startswith("אחרי 2 חזרות על 400 דוגמאות")  # not back to 0
    assert "אותם משקלים" in summary(w) and "המודל לא התחיל מאפס" in output_text(w)
    assert w.locator("[data-output] line.marker").count() == 2  # where the examples changed, on both curves
    play_and_pause(live, w)
    assert re.search(r"אחרי (\d+) חזרות", summary(w)).group(1) != "2"


def test_instant_answer_trains_while_playing(live):
    w = widget(live, "instant-answer")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    answer = w.locator("[data-output] .generated").inner_text()
    play_and_pause(live, w, ticks=5)
    assert w.locator("[data-output] .generated").inner_text() != answer  # the answer comes from the new weights


def test_one_push_at_a_time_makes_triangular_ears_a_cat_signal(live):
    w = widget(live, "one-example-push")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    w.locator("button[data-action=next]").click()
    wait_idle(live, w)
    assert summary(w).startswith("דוגמה 1:")
    action_button(w, "hundred").press("Enter")  # keyboard works on buttons
    wait_idle(live, w)
    weight = float(re.search(r"אוזניים משולשות: (-?\d+(?:\.\d+)?)", summary(w)).group(1))
    assert weight > 1.0


def test_a_too_heavy_weight_drops_the_bar_without_nan(live):
    w = widget(live, "gym")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=lr]")
    slider.focus()
    slider.press("End")  # the heaviest weight
    wait_idle(live, w)
    assert "המוט נפל" in output_text(w)
    run_to_end(live, w)
    text = output_text(w)
    assert "NaN" not in text and "nan" not in text and "Infinity" not in text and "inf" not in text.split()
    slider.focus()
    slider.press("Home")
    wait_idle(live, w)
    assert "המשקל שלכם כבד מדי" not in summary(w)


def test_trial_error_boldness_changes_how_it_converges(live):
    w = widget(live, "trial-error")
    w.scroll_into_view_if_needed()
    slider = w.locator("input[name=boldness]")
    slider.focus()
    slider.press("End")  # too bold: overshoots every time
    wait_idle(live, w)
    action_button(w, "finish").click()
    wait_idle(live, w)
    assert "נועז מדי" in output_text(w)
    slider.focus()
    for _ in range(30):
        slider.press("ArrowDown")  # one step less bold, whatever the page direction
    wait_idle(live, w)
    action_button(w, "finish").click()
    wait_idle(live, w)
    assert "המדף במקום" in output_text(w)
