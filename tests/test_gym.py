"""The gym: too heavy a learning rate makes the bar fall, the right one converges, variety and sets help."""

import numpy as np
import pytest

from maamar_live.widgets import gym
from maamar_live import runtime
from maamar_live.kit.i18n import t

JUNK = [
    {},
    {"lr": "heavy", "sets": "many", "variety": None, "seed": "x"},
    {"lr": 1e308, "sets": 10**12, "variety": -5, "seed": -1},
    {"lr": float("nan"), "sets": "1e300", "variety": "1e999", "seed": 2**70},
]
ACTIONS = ["init", "train", "step", "reseed", "update", "no-such-button"]
HEAVY, LIGHT, RIGHT, YOURS = (gym.RUNS.index(name) for name in ("heavy", "light", "right", "yours"))


def test_gradient_matches_finite_differences():
    x, y = gym.examples(3, 0.7)
    F = gym.features(x)
    w = np.random.default_rng(0).normal(size=(F.shape[1], 1))
    grad = F.T @ (F @ w - y[:, None]) / len(y)
    eps = 1e-6
    for i in range(F.shape[1]):
        step = np.zeros_like(w)
        step[i] = eps
        slope = (gym.losses(w + step, F, y)[0] - gym.losses(w - step, F, y)[0]) / (2 * eps)
        assert grad[i, 0] == pytest.approx(slope, abs=1e-7)


@pytest.mark.parametrize("variety", [0.1, 0.35, 0.6, 1.0])
@pytest.mark.parametrize("seed", range(4))
def test_too_heavy_falls_too_light_crawls_right_converges(seed, variety):
    w = gym.workout(seed, variety, 60, 0.2)
    loss = w["loss"]
    assert w["fell"][HEAVY] > 0 and w["fell"][RIGHT] < 0 and w["fell"][LIGHT] < 0
    assert np.all(np.diff(loss[:, RIGHT]) <= 1e-12)  # below 2/λ the loss only goes down
    assert loss[-1, RIGHT] < max(0.25 * loss[0, RIGHT], gym.NOISE**2)  # down to about the noise in the data
    assert loss[-1, LIGHT] > 2 * loss[-1, RIGHT]
    assert np.all(np.isfinite(w["heldout"])) and np.all(np.isfinite(w["weights"]))


def test_the_fall_is_caught_for_the_readers_run_too():
    w = gym.workout(0, 1.0, 150, 2.0)
    assert w["fell"][YOURS] > 0
    out = runtime.call(gym.KIND, {"lr": 2.0, "sets": 150, "variety": 1.0}, "init")
    assert t("gym.fell", set="").split()[0] in out["html"]
    low = out["html"].lower()
    assert "nan" not in low and "inf" not in low and "e+" not in low
    assert t("gym.summary_fell", set=int(w["fell"][YOURS])) == out["text"]


def test_more_sets_and_more_variety_lower_the_heldout_miss():
    def heldout(variety, sets):
        return np.mean([gym.workout(s, variety, sets, 0.2)["heldout"][-1, YOURS] for s in range(6)])

    assert heldout(1.0, 60) < 0.5 * heldout(1.0, 10)
    assert heldout(1.0, 60) < 0.2 * heldout(0.2, 60)
    assert heldout(0.6, 60) < heldout(0.3, 60)


def test_play_replays_the_sets_and_step_adds_one():
    params = {"sets": 50}
    out = runtime.call(gym.KIND, params, "init")
    assert out["state"]["shown"] == 50 and out["done"]  # the page starts with the whole workout
    out = runtime.call(gym.KIND, params, "train", out["state"])
    assert out["state"]["shown"] == 2 and not out["done"]
    out = runtime.call(gym.KIND, params, "step", out["state"])
    assert out["state"]["shown"] == 3
    calls = 0
    while not out["done"]:
        out = runtime.call(gym.KIND, params, "train", out["state"])
        calls += 1
    assert out["state"]["shown"] == 50 and calls <= gym.FRAMES


def test_reseed_is_deterministic():
    first = runtime.call(gym.KIND, {}, "init")
    a = runtime.call(gym.KIND, {}, "reseed", first["state"])
    b = runtime.call(gym.KIND, {}, "reseed", first["state"])
    assert a == b and a["state"]["seed"] != first["state"]["seed"] and a["html"] != first["html"]
    moved = runtime.call(gym.KIND, {"lr": 0.4}, "update", a["state"])
    assert moved["state"]["seed"] == a["state"]["seed"]


def test_the_verdict_compares_the_readers_weight_with_the_right_one():
    """1.20 is heavier than the right 0.50: not "light", even when its loss is high."""
    from maamar_live.kit.i18n import lookup

    out = runtime.call("gym", {"lr": 1.2, "variety": 1.0, "sets": 40}, "init")  # heavy, yet the bar holds
    assert lookup("gym.v_fell").split(":")[0] not in out["html"]
    assert lookup("gym.v_light") not in out["html"]
    assert lookup("gym.v_heavy").split(" (")[0] in out["html"]
    light = runtime.call("gym", {"lr": 0.05, "sets": 5}, "init")
    assert lookup("gym.v_heavy").split(" (")[0] not in light["html"]


def test_a_forged_state_is_refused_with_a_message_and_a_valid_one_is_kept():
    kept = runtime.call(gym.KIND, {"sets": 50}, "step", {"seed": 3, "shown": 7})
    assert kept["state"] == {"seed": 3, "shown": 8} and "state-rejected" not in kept["html"]
    for forged, where in (
        ({"seed": 3, "shown": 151}, "shown: must be between 0 and 150, got 151"),
        ({"seed": -1, "shown": 7}, "seed: must be between 0 and 1000000, got -1"),
        ({"seed": "3", "shown": 7}, "seed: expects a whole number"),
    ):
        out = runtime.call(gym.KIND, {"sets": 50}, "step", forged)
        assert where in out["html"] and out["state"] == {"seed": 0, "shown": 1}  # a fresh start, one set on
