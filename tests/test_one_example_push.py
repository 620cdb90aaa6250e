"""One example, one push: the push is a gradient step, and triangular ears become the cat signal."""

import numpy as np
import pytest

from maamar_live.widgets import one_example_push as oe
from maamar_live import runtime
from maamar_live.kit.i18n import t

JUNK = [
    {},
    {"push": "strong", "seed": "x"},
    {"push": 1e308, "seed": 10**15},
    {"push": -1, "seed": -1},
    {"push": float("inf"), "seed": None},
]
ACTIONS = ["init", "next", "hundred", "reset", "reseed", "update", "no-such-button"]


def play(params, *actions):
    out = runtime.call(oe.KIND, params, "init")
    for action in actions:
        out = runtime.call(oe.KIND, params, action, out["state"])
    return out


def cross_entropy(weights, bias, features, truth):
    p = oe.guess(weights, bias, features)
    return -(truth * np.log(p) + (1 - truth) * np.log(1 - p))


def test_the_push_is_a_gradient_step_checked_by_finite_differences():
    rng = np.random.default_rng(1)
    weights, bias = rng.normal(size=len(oe.FEATURES)), 0.3
    features, truth, push = np.array([1.0, 0.0, 1.0, 1.0, 0.0]), 1.0, 0.5
    new_w, new_b, _, _ = oe.one_round(weights, bias, features, truth, push)
    eps = 1e-6
    for i in range(len(weights)):
        step = np.zeros_like(weights)
        step[i] = eps
        slope = (cross_entropy(weights + step, bias, features, truth) - cross_entropy(weights - step, bias, features, truth)) / (
            2 * eps
        )
        assert new_w[i] - weights[i] == pytest.approx(-push * slope, abs=1e-7)
    slope_b = (cross_entropy(weights, bias + eps, features, truth) - cross_entropy(weights, bias - eps, features, truth)) / (
        2 * eps
    )
    assert new_b - bias == pytest.approx(-push * slope_b, abs=1e-7)
    assert new_w[1] == weights[1] and new_w[4] == weights[4]  # absent features get no push


@pytest.mark.parametrize("seed", range(8))
def test_triangular_ears_become_the_strongest_cat_signal(seed):
    out = play({"seed": seed}, "hundred", "hundred", "hundred")
    weights = out["state"]["weights"]
    assert int(np.argmax(weights)) == oe.FEATURES.index("ears")
    assert weights[oe.FEATURES.index("barks")] < 0 and weights[oe.FEATURES.index("feathers")] < 0
    assert t("one-example-push.ears_won", rounds="@").split("@")[1][:30] in out["html"]


def test_the_model_gets_better_at_guessing():
    _, features, truths = oe.animals(0)

    def loss(state):
        w, b = np.array(state["weights"]), state["bias"]
        return np.mean([cross_entropy(w, b, x, y) for x, y in zip(features[-200:], truths[-200:])])

    start = play({}, "reset")["state"]
    trained = play({}, "hundred", "hundred")["state"]
    assert loss(trained) < 0.5 * loss(start)
    assert sum(trained["recent"]) >= 15


def test_next_is_one_round_and_the_ghost_is_the_weight_before():
    one = play({}, "next")
    two = runtime.call(oe.KIND, {}, "next", one["state"])
    assert two["state"]["round"] == 2
    assert two["state"]["before"] == one["state"]["weights"]
    assert 'class="ghost"' in two["html"]
    moved = np.array(two["state"]["weights"]) - np.array(one["state"]["weights"])
    assert np.allclose(moved, two["state"]["last"]["moved"])


def test_rounds_stop_at_the_end_of_the_examples():
    out = play({}, *["hundred"] * 10)
    assert out["state"]["round"] == oe.MAX_ROUNDS and out["done"]
    again = runtime.call(oe.KIND, {}, "next", out["state"])
    assert again["state"]["round"] == oe.MAX_ROUNDS


def test_reseed_is_deterministic_and_reset_keeps_the_seed():
    first = play({}, "next")
    a = runtime.call(oe.KIND, {}, "reseed", first["state"])
    b = runtime.call(oe.KIND, {}, "reseed", first["state"])
    assert a == b and a["state"]["seed"] != first["state"]["seed"] and a["state"]["round"] == 0
    after = runtime.call(oe.KIND, {}, "reset", runtime.call(oe.KIND, {}, "next", a["state"])["state"])
    assert after["state"]["seed"] == a["state"]["seed"] and after["state"]["round"] == 0


def test_junk_state_is_rebuilt():
    good = play({}, "next")["state"]
    for junk in (
        {},
        "x",
        {"round": 5},
        {**good, "recent": ["a"]},
        {**good, "weights": [1, 2]},
        {**good, "last": {"index": 10**9}},
        {**good, "bias": float("nan")},
    ):
        out = runtime.call(oe.KIND, {}, "next", junk)
        assert out["state"]["round"] == 1
        assert "state-rejected" in out["html"]  # refused, and the reader is told so
    assert "recent[0]: expects one of 0, 1" in runtime.call(oe.KIND, {}, "next", {**good, "recent": ["a"]})["text"]
    assert (
        "last.index: must be between 0 and 999"
        in runtime.call(oe.KIND, {}, "next", {**good, "last": {**good["last"], "index": 10**9}})["text"]
    )
    kept = runtime.call(oe.KIND, {}, "next", good)
    assert kept["state"]["round"] == 2 and "state-rejected" not in kept["html"]


def test_an_animal_without_any_feature_moves_only_the_leaning():
    _, features, _ = oe.animals(0)
    index = int(np.flatnonzero(features.sum(axis=1) == 0)[0])
    out = play({}, *["next"] * (index + 1))
    assert out["state"]["last"]["index"] == index
    assert out["state"]["weights"] == out["state"]["before"]
    assert t("one-example-push.example_none", number="@").split("@")[1] in out["html"]
    assert t("one-example-push.gap_none", gap="@").split("@")[1] in out["html"]


def test_no_right_guess_yet_is_said_in_words_not_as_zero_out_of_n():
    out = runtime.call("one-example-push", {}, "init")
    out = runtime.call("one-example-push", {}, "next", out["state"])
    state = dict(out["state"], recent=[0] * len(out["state"]["recent"]))
    html = runtime.call("one-example-push", {}, "update", state)["html"]
    assert "עוד לא צדק באף ניחוש" in html and "צדק ב-" not in html
    right = dict(out["state"], recent=[1] * len(out["state"]["recent"]))
    assert "צדק ב-" in runtime.call("one-example-push", {}, "update", right)["html"]
