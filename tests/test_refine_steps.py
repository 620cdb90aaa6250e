"""refine-steps: small additions stay close to the first picture, a core-word swap jumps away."""

import json
import re

import pytest

from maamar_live.models import cppn
from maamar_live.widgets import refine_steps as rs
from maamar_live import runtime
from maamar_live.kit.i18n import t

from .test_cppn import assert_safe_markup

KIND = rs.KIND
JUNK = [
    {},
    {"base": None, "modifier": "no-such", "core": 7, "size": "big", "seed": -1},
    {"base": "😺" * 500, "modifier": ["red"], "core": {"a": 1}, "size": 1e300, "seed": "-0"},
    {"base": "<b onclick=x>\u202eחתול</b>", "modifier": "blue", "core": "night", "size": 0},
]
ACTIONS = ["init", "add", "swap", "reset", "update", "no-such-button", ""]


def play(moves, base="חתול בשקיעה"):
    out = runtime.call(KIND, {"base": base}, "init")
    for action, value in moves:
        params = {"base": base, "modifier" if action == "add" else "core": value}
        out = runtime.call(KIND, params, action, out["state"])
    return out


def distances(out):
    """Distance of every picture from the first, recomputed from the state."""
    keys = [cppn.concepts(s["prompt"]) for s in out["state"]["steps"]]
    first = cppn.picture(keys[0], 64, 0)
    return [cppn.pixel_difference(first, cppn.picture(k, 64, 0)) for k in keys]


def test_small_steps_stay_close_and_a_core_swap_jumps():
    out = play([("add", "red"), ("add", "from-above"), ("add", "soft-light"), ("swap", "evening")])
    steps = out["state"]["steps"]
    assert [s["prompt"] for s in steps] == [
        "חתול בשקיעה",
        "חתול בשקיעה, אדום",
        "חתול בשקיעה, אדום, מלמעלה",
        "חתול בשקיעה, אדום, מלמעלה, תאורה רכה",
        "חתול בערב, אדום, מלמעלה, תאורה רכה",
    ]
    d = distances(out)
    jumps = [b - a for a, b in zip(d, d[1:])]
    assert max(jumps[:3]) < 12  # each addition: a few percent
    assert jumps[3] > 2 * max(jumps[:3])  # the swap: a leap
    assert d[3] < d[4]
    assert out["html"].count("<img ") == 5
    assert "מילת הליבה “בשקיעה” הוחלפה ב־“בערב”" in out["html"]


def test_swap_keeps_the_hebrew_prefix_and_the_language():
    assert rs.swap_core("חתול בשקיעה", "night")[0] == "חתול בלילה"
    assert rs.swap_core("חתול בשקיעה", "dog")[0] == "כלב בשקיעה"
    assert rs.swap_core("cat at sunset", "evening")[0] == "cat at evening"
    assert rs.swap_core("חתול", "sea") == ("חתול ים", "", "ים")
    assert rs.swap_core("חתול בשקיעה", "sunset") is None
    assert rs.add_modifier("cat at sunset", "soft-light") == ("cat at sunset, soft light", "soft light")
    assert rs.add_modifier("חתול אדום", "red") is None


def test_refused_moves_explain_and_keep_the_strip():
    out = play([("add", "red"), ("add", "red")])
    assert len(out["state"]["steps"]) == 2
    assert t("refine-steps.already", word="אדום") in out["html"]
    out = play([("swap", "sunset")])
    assert len(out["state"]["steps"]) == 1
    assert t("refine-steps.same_core", word="שקיעה") in out["html"]


def test_strip_is_bounded_and_reset_starts_over():
    out = play([("add", m) for m in cppn.MODIFIERS])
    assert len(out["state"]["steps"]) == rs.MAX_STEPS
    assert t("refine-steps.full", count=rs.MAX_STEPS) in out["html"]
    assert len(json.dumps(out["state"])) < 20_000
    again = runtime.call(KIND, {}, "reset", out["state"])
    assert len(again["state"]["steps"]) == 1


def test_deterministic():
    moves = [("add", "blue"), ("swap", "dog")]
    assert play(moves) == play(moves)


def test_select_options_read_back_as_their_concepts():
    for control in rs.CONTROLS:
        if control.kind == "select":
            for value, label in control.options:
                assert value in rs.PARAMS[control.name].choices and label
    for m in rs.MODIFIER_OPTIONS:
        assert ("modifier", m) in cppn.concepts(rs.add_modifier("חתול", m)[0])
    for c in rs.CORE_OPTIONS:
        result = rs.swap_core("חתול בשקיעה", c)
        assert result is None or ("core", c) in cppn.concepts(result[0])


@pytest.mark.parametrize("params", JUNK)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_action_with_junk_params_and_state(params, action):
    for state in (
        None,
        {"steps": "x"},
        {"steps": [{"prompt": 3}]},
        {"steps": [{}] * 50},
        [1, 2],
        {"steps": [{"prompt": "<i>\u202eחתול בשקיעה</i>", "move": "swap", "old": "<b>", "new": "\u202e"}]},
    ):
        out = runtime.call(KIND, params, action, state)
        html = out["html"]
        assert html and out["text"] and out["state"]["steps"]
        assert_safe_markup(html, out["text"])
        json.dumps(out)


def test_hostile_base_is_escaped():
    out = runtime.call(KIND, {"base": '"><script>alert(1)</script>'}, "init")
    assert_safe_markup(out["html"], out["text"])
    out = runtime.call(KIND, {"base": "😺"}, "add")
    assert t("prompts.no_words", which="😺") in out["html"]


def test_strings_exist():
    t(f"{KIND}.title"), t(f"{KIND}.caption")
    for control in rs.CONTROLS:
        assert control.kind == "button" or control.name in rs.PARAMS


def test_thumbnail_percent_sits_inside_the_number_isolate():
    """Outside the isolate, RTL text shows the percent on the wrong side ("%36")."""
    out = runtime.call(KIND, {}, "add")
    captions = re.findall(r'<span class="step-caption">(.*?)</span></button></li>', out["html"])
    assert captions and all(re.search(r'<bdi class="num" dir="ltr">\d+%</bdi>$', c) for c in captions), captions


def test_a_forged_step_is_refused_with_a_message_and_a_valid_strip_is_kept():
    strip = play([("add", "red")])["state"]
    kept = runtime.call(KIND, {}, "update", strip)
    assert kept["state"] == strip and "state-rejected" not in kept["html"]
    forged = dict(strip, steps=[dict(strip["steps"][0], move="delete")])
    out = runtime.call(KIND, {}, "update", forged)
    assert "steps[0].move: expects one of base, add, swap" in out["html"]
    assert len(out["state"]["steps"]) == 1
    out = runtime.call(KIND, {}, "update", dict(strip, steps=strip["steps"] * 6))
    assert f"steps: expects 1 to {rs.MAX_STEPS} items, got 12" in out["text"]


def chart_xs(html):
    """The x of every point of the chart's line, in data order."""
    points = re.search(r'<polyline[^>]*points="([^"]+)"', html).group(1)
    return [float(p.split(",")[0]) for p in points.split()]


@pytest.mark.parametrize("lang, strip_dir", [("he", "rtl"), ("en", "ltr")])
def test_the_strip_and_the_chart_run_the_same_way(lang, strip_dir):
    out = runtime.call(KIND, {}, "init", lang=lang)
    for modifier in ("red", "blue"):
        out = runtime.call(KIND, {"modifier": modifier}, "add", out["state"], lang=lang)
    assert re.search(r'<ol class="refine-strip"[^>]*dir="(\w+)"', out["html"]).group(1) == strip_dir
    xs = chart_xs(out["html"])
    assert len(xs) == 3
    # step 0 on the right in RTL: x falls along the steps; in LTR it rises
    assert xs == sorted(xs, reverse=strip_dir == "rtl") and len(set(xs)) == 3


def test_a_thumbnail_is_a_button_that_jumps_to_its_step_and_the_next_move_continues_from_there():
    out = play([("add", "red"), ("add", "blue"), ("swap", "night")])
    buttons = re.findall(r'<button type="button" class="step-jump" data-action="goto" name="step" value="(\d)"', out["html"])
    assert buttons == ["0", "1", "2", "3"]
    assert out["html"].count('aria-current="step"') == 1 and out["state"]["current"] == 3
    back = runtime.call(KIND, {"step": 1}, "goto", out["state"])
    assert back["state"]["steps"] == out["state"]["steps"] and back["state"]["current"] == 1
    assert re.search(r'value="1" aria-current="step"', back["html"])
    assert "מוצג צעד 1" in back["text"] and "“אדום”" in back["text"]  # the verdict speaks of step 1
    branched = runtime.call(KIND, {"core": "sea"}, "swap", back["state"])
    prompts = [s["prompt"] for s in branched["state"]["steps"]]
    assert len(prompts) == 3 and prompts[:2] == [s["prompt"] for s in out["state"]["steps"][:2]]
    assert branched["state"]["current"] == 2
    # a move refused (the modifier is already there) drops nothing
    refused = runtime.call(KIND, {"modifier": "red"}, "add", back["state"])
    assert refused["state"] == back["state"] and "כבר בתיאור" in refused["text"]
    # an unknown action behaves like "update": the step on show stays
    assert runtime.call(KIND, {}, "no-such-button", back["state"])["state"]["current"] == 1
    # a step beyond the strip is clamped to its last picture
    assert runtime.call(KIND, {"step": 9}, "goto", out["state"])["state"]["current"] == 3
