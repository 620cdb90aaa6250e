"""context-window: a small window forgets the characters and repeats itself; a large one keeps them."""

import json
import re

import numpy as np
import pytest

from maamar_live.widgets import context_window as cw
from maamar_live.models import ngram
from maamar_live import runtime

KIND = "context-window"
NAMES = tuple(n.strip() for n in cw.DEFAULT_NAMES.split(","))


def continuation(window, seed=0):
    name = cw.story_name("")
    model, _ = cw.story_model(name)
    return model.words(cw.continue_story(name, window, 80, 0.8, seed))


def test_the_story_and_its_characters():
    name = cw.story_name("")
    model, story = cw.story_model(name)
    words = model.words(story)
    assert len(story) > 500
    for n in NAMES:
        assert any(cw.mentions(w, n) for w in words), n
        assert ngram.count(model, [n]) == 0  # never in training: only the window can bring it back
    assert cw.mentions("ובונבון", "בונבון") and cw.mentions("למיצי", "מיצי")
    assert not cw.mentions("בונבוניה", "בונבון") and not cw.mentions("אבונבון", "בונבון")


def test_look_back_proposes_what_followed_the_last_word_in_the_window():
    history = [0, 5, 6, 7, 5, 8, 9, 5]
    p = cw.look_back(history, 10, 12)
    assert p[6] == pytest.approx(0.5) and p[8] == pytest.approx(0.5) and p.sum() == pytest.approx(1)
    assert cw.look_back(history, 4, 12)[8] == pytest.approx(1.0)  # the first "5 6" is outside the window
    assert cw.look_back(history, 3, 12) is None


def test_a_larger_window_keeps_more_characters_on_the_fixed_story_and_seed():
    small = cw.kept_names(continuation(10), NAMES)
    large = cw.kept_names(continuation(400), NAMES)
    assert len(small) == 0
    assert len(large) >= 3
    curves = np.array([cw.names_curve(cw.story_name(""), NAMES, 80, 0.8, s) for s in range(5)])
    mean = curves.mean(axis=0)
    windows = list(cw.CURVE_WINDOWS)
    assert mean[windows.index(15)] < mean[windows.index(40)] < mean[windows.index(250)] <= mean[windows.index(800)]


def test_a_small_window_repeats_itself_more():
    def share(window):
        return np.mean([cw.repeated([w for w in continuation(window, s) if w != ngram.BREAK]).mean() for s in range(5)])

    assert share(20) > 2 * share(400)


def test_the_page_highlights_the_window_and_reports_the_names():
    out = runtime.call(KIND, {"window": 15}, "init")
    html = out["html"]
    assert html.count('class="in-window') >= 1 and 'class="out-of-window' in html
    assert "<svg" in html and 'class="names"' in html
    wide = runtime.call(KIND, {"window": 800}, "update", out["state"])
    assert "out-of-window" not in wide["html"].split('class="story"')[1].split("</blockquote>")[0]


def test_again_draws_another_continuation_deterministically():
    a = runtime.call(KIND, {}, "again", {"draw": 0})
    b = runtime.call(KIND, {}, "again", {"draw": 0})
    c = runtime.call(KIND, {}, "init")
    assert a == b and a["state"]["draw"] == 1 and a["html"] != c["html"]


@pytest.mark.parametrize("action", ["init", "again", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"window": "lots", "seed": "x", "length": -4, "temperature": "inf"}, {"draw": "junk"}),
        ({"window": 10**9, "story": "<b>no such story</b>", "names": "😀, <i>, \u202eרחל"}, {"draw": -3}),
        ({"names": "", "story": None}, {}),
        ({"names": "א" * 100_000}, {"draw": 10**12}),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<b>" not in out["html"] and "<i>" not in out["html"] and "\u202e" not in out["html"]
    assert out["text"]
    json.dumps(out)


def bar_xs(html):
    """The x of every bar of the window-size chart, in the order of CURVE_WINDOWS."""
    chart = html[html.index("<svg") :]
    return [float(x) for x in re.findall(r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill=', chart)]


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_window_bars_run_like_the_slider(lang):
    """In RTL a range input has its minimum on the right, so the smallest window's bar is there too."""
    xs = bar_xs(runtime.call(cw.KIND, {}, "init", lang=lang)["html"])
    assert len(xs) == len(cw.CURVE_WINDOWS)
    assert xs == sorted(xs, reverse=lang == "he") and len(set(xs)) == len(xs)


def test_a_button_under_each_bar_jumps_to_its_window():
    out = runtime.call(cw.KIND, {"window": 40}, "init")
    jumps = re.findall(
        r'<button type="button" data-action="update" name="window" value="(\d+)" aria-label="([^"]+)"', out["html"]
    )
    assert [int(w) for w, _ in jumps] == list(cw.CURVE_WINDOWS)
    assert all(f"חלון של {w} מילים" in label for w, label in jumps)
    assert re.search(r'value="40" aria-label="[^"]+" aria-current="true"', out["html"])
    assert out["html"].count('aria-current="true"') == 1
    # what the button sends is the slider's own param and action: the same page as moving the slider there
    assert runtime.call(cw.KIND, {"window": 250}, "update", out["state"])["html"].count('value="250" aria-label')


def test_excerpts_have_no_space_before_punctuation():
    """The text is written as marked spans: a span boundary must not add a space ("רחל ." → "רחל.")."""
    for params in ({}, {"window": 800}, {"window": 5}):
        for action in ("init", "again", "ask"):
            text = re.sub(r"<[^>]+>", "", runtime.call(cw.KIND, params, action)["html"])
            assert not re.search(r"[^\s\d] [.,;:!?]", text), re.findall(r".{12}[^\s\d] [.,;:!?]", text)[:3]


def test_the_gap_marker_is_isolated_inside_the_hebrew_story_of_an_english_page():
    english = runtime.call("context-window", {}, "init", lang="en")["html"]
    hebrew = runtime.call("context-window", {}, "init", lang="he")["html"]
    assert re.search(r'<span class="elided [^"]*"><bdi>\[… another <bdi class="num"', english)
    assert re.search(r'<span class="elided [^"]*">\[…', hebrew)
