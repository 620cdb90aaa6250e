"""The widget binder as a reader meets it: sliders that answer while dragged, one
play/pause state however fast it is pressed, and honest controls when Python is gone."""

from .conftest import action_button, output_text, wait_for_runtime, wait_idle, widget


def summary(locator) -> str:
    return locator.locator("[data-output] .summary").inner_text()


def test_dragging_a_slider_changes_the_output_before_it_is_released(live):
    w = widget(live, "trial-error")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    before = output_text(w)
    slider = w.locator("input[name=boldness]")
    box = slider.bounding_box()
    y = box["y"] + box["height"] / 2
    changes = []
    w.evaluate("(el) => el.querySelector('input[name=boldness]').addEventListener('change', () => el.dataset.released = 'yes')")
    live.mouse.move(box["x"] + box["width"] * 0.5, y)
    live.mouse.down()
    for fraction in (0.45, 0.4, 0.3, 0.2):  # a sequence of `input` events, the button held down
        live.mouse.move(box["x"] + box["width"] * fraction, y, steps=3)
    live.wait_for_function(
        "([el, before]) => el.dataset.state === 'ready' && el.querySelector('[data-output]').innerText !== before",
        arg=[w.element_handle(), before],
    )
    changes.append(output_text(w))
    assert w.get_attribute("data-released") is None, "the slider was released before the output changed"
    live.mouse.up()
    wait_idle(live, w)
    assert changes[0] != before
    assert "ניסיונות: 0" not in changes[0], "the whole trajectory is drawn for the dragged boldness"


def test_fifteen_quick_toggles_leave_play_pressed_and_running(live):
    w = widget(live, "training-loop")
    w.scroll_into_view_if_needed()
    action_button(w, "reset").click()
    wait_idle(live, w)
    train = w.locator("button[data-action=train]")
    train.evaluate("(b) => { for (let i = 0; i < 15; i++) b.click(); }")
    assert train.get_attribute("aria-pressed") == "true"
    assert w.get_attribute("data-playing") == "true"
    live.wait_for_function("(el) => /אחרי ([3-9]|\\d\\d)/.test(el.querySelector('.summary').textContent)", arg=w.element_handle())
    train.evaluate("(b) => { for (let i = 0; i < 15; i++) b.click(); }")  # odd again: paused
    assert train.get_attribute("aria-pressed") == "false"
    assert w.get_attribute("data-playing") == "false"
    wait_idle(live, w)
    paused = summary(w)
    live.wait_for_timeout(300)
    assert summary(w) == paused, "training went on after pause"


def test_play_pressed_during_a_running_step_is_not_dropped(live):
    w = widget(live, "training-loop")
    action_button(w, "reset").click()
    wait_idle(live, w)
    # press "step", then "play" 10 ms later, while the step is still in Python
    w.evaluate("""(el) => { el.querySelector('button[data-action=step]').click();
                            setTimeout(() => el.querySelector('button[data-action=train]').click(), 10); }""")
    train = w.locator("button[data-action=train]")
    live.wait_for_function("(el) => /אחרי ([3-9]|\\d\\d)/.test(el.querySelector('.summary').textContent)", arg=w.element_handle())
    assert train.get_attribute("aria-pressed") == "true"
    train.click()
    wait_idle(live, w)
    assert train.get_attribute("aria-pressed") == "false"


def test_typing_a_prompt_redraws_without_a_button(live):
    w = widget(live, "prompt-to-image")
    w.scroll_into_view_if_needed()
    box = w.locator("input[name=prompt_b]")
    before = w.locator("img.generated").nth(1).get_attribute("src")
    box.fill("")
    box.press_sequentially("חתול בשקיעה", delay=20)
    live.wait_for_function(
        "([el, src]) => el.querySelectorAll('img.generated')[1].getAttribute('src') !== src", arg=[w.element_handle(), before]
    )


def test_a_dead_runtime_disables_controls_says_why_and_can_try_again(new_context, server):
    context = new_context()
    context.route("**/*.wasm", lambda route: route.abort())
    page = context.new_page()
    page.goto(server + "article.html")
    static = output_text(widget(page, "training-loop"))
    assert wait_for_runtime(page) == "failed"
    w = widget(page, "training-loop")
    train = w.locator("button[data-action=train]")
    assert train.is_disabled() and w.locator("input[name=epochs]").is_disabled()
    assert train.get_attribute("aria-pressed") == "false"
    assert w.get_attribute("aria-busy") == "false" and w.get_attribute("data-state") == "static"
    status = w.locator("[data-status]")
    assert "תוצאות שחושבו מראש" in status.inner_text()
    assert status.get_attribute("id") in train.get_attribute("aria-describedby").split()
    assert output_text(w) == static
    again = page.locator("[data-runtime] button.retry")
    assert again.count() == 1
    context.unroute("**/*.wasm")
    again.click()
    assert wait_for_runtime(page) == "ready"
    assert not train.is_disabled()
    action_button(w, "step").click()
    wait_idle(page, w)
    assert w.get_attribute("data-state") == "ready"
    assert "אחרי 1 חזרות" in summary(w)


# The widgets whose sliders issue 12 wants answering while dragged (cheap actions:
# benchmarks/actions.py), and the text boxes that redraw a moment after the last key.
LIVE_SLIDERS = {
    "trial-error": {"boldness"},
    "gym": {"lr", "sets", "variety"},
    "context-window": {"window"},
    "repetition-loop": {"temperature", "penalty"},
    "grounding": {"weight"},
    "summarize-refresh": {"window"},
    "word-neighbours": {"dims"},
}
LIVE_TEXT = {"prompt-to-image": {"prompt_a", "prompt_b"}, "refine-steps": {"base"}}

# Count the outputs a widget shows from now on (each answer replaces the output's children).
COUNT_RENDERS = """(w) => { const out = w.querySelector('[data-output]'); w.renders = 0;
  if (w.counter) w.counter.disconnect();
  w.counter = new MutationObserver((records) => { w.renders += records.length; });
  w.counter.observe(out, {childList: true}); }"""
# Move a control the way a drag or a key does: `input` events only, never `change`.
NUDGE = """(w, [name, values]) => { const el = w.querySelector(`.controls [name="${name}"]`);
  for (const v of values) { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true})); } }"""
SETTLED = "([w, n]) => w.renders >= n && w.dataset.state === 'ready'"


def other_value(control) -> str:
    """A value the slider does not have now: its min, or its max when it sits at the min."""
    low, high = control.get_attribute("min"), control.get_attribute("max")
    return high if float(control.input_value()) == float(low) else low


def test_every_live_control_answers_input_events_alone(live):
    live_names = live.evaluate(
        """() => Array.from(document.querySelectorAll('figure.widget'), (w) => [w.dataset.widget,
             Array.from(w.querySelectorAll('.controls [data-live]'), (el) => el.name)])"""
    )
    marked = {kind: set(names) for kind, names in live_names if names}
    for kind, names in {**LIVE_SLIDERS, **LIVE_TEXT}.items():
        assert names <= marked.get(kind, set()), f"{kind}: {names - marked.get(kind, set())} not live"
    for kind, names in marked.items():
        w = widget(live, kind)
        w.scroll_into_view_if_needed()
        wait_idle(live, w)
        for name in sorted(names):
            control = w.locator(f".controls [name='{name}']")
            before, original = output_text(w), control.input_value()
            new = other_value(control) if control.get_attribute("type") == "range" else original + " כחול"
            w.evaluate(COUNT_RENDERS)
            w.evaluate(NUDGE, [name, [new]])
            live.wait_for_function(SETTLED, arg=[w.element_handle(), 1])
            if name in {**LIVE_SLIDERS, **LIVE_TEXT}.get(kind, ()):  # one-example-push's push shows at the next example
                assert output_text(w) != before, f"{kind}: moving {name} to {new} without a release changed nothing"
            w.evaluate(NUDGE, [name, [original]])  # as it was, for the tests after this one
            live.wait_for_function(SETTLED, arg=[w.element_handle(), 2])


def test_a_fast_drag_sends_the_value_in_flight_and_then_only_the_latest(live):
    w = widget(live, "gym")
    w.scroll_into_view_if_needed()
    wait_idle(live, w)
    lr = w.locator(".controls [name=lr]")
    original = lr.input_value()
    values = [f"{0.3 + 0.02 * i:.2f}" for i in range(20)]  # twenty values in one task, as a fast drag
    w.evaluate(COUNT_RENDERS)
    w.evaluate(NUDGE, ["lr", values])
    live.wait_for_function(SETTLED, arg=[w.element_handle(), 2])
    live.wait_for_timeout(300)  # nothing else was queued
    assert w.evaluate("(w) => w.renders") == 2, "one request for the first value, one for the latest"
    assert values[-1] in output_text(w) and values[-2] not in output_text(w)
    w.evaluate(NUDGE, ["lr", [original]])
    wait_idle(live, w)
