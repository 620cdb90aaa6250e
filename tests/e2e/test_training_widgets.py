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


def test_train_button_pauses_and_resumes(live):
    w = widget(live, "training-loop")
    action_button(w, "reset").click()
    wait_idle(live, w)
    train = w.locator("button[data-action=train]")
    train.click()
    live.wait_for_function("(el) => /אחרי [1-9]/.test(el.querySelector('.summary').textContent)", arg=w.element_handle())
    train.click()  # pause
    assert train.get_attribute("aria-pressed") == "false"
    wait_idle(live, w)
    paused = summary(w)
    live.wait_for_timeout(300)
    assert summary(w) == paused, "training went on after pause"


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
