"""The training loop widget: the network learns, and more examples/repetitions help on new avocados."""

import json
import math
import re

import numpy as np
import pytest

from maamar_live import runtime
from maamar_live.widgets import training_loop as tl
from maamar_live.kit.i18n import t
from maamar_live.kit.spec import plain, read_state

JUNK = [
    {},
    {"examples": "many", "epochs": 1e300, "seed": -7},
    {"examples": 10**12, "epochs": "-3", "seed": "x"},
    {"examples": None, "epochs": float("nan"), "seed": 3.9},
]
ACTIONS = ["init", "train", "step", "reset", "reseed", "update", "no-such-button"]


@pytest.fixture
def bigger_ticks(monkeypatch):
    """Each epoch draws from its own generator (seed, 3, epoch), so a run's states do not depend
    on how many epochs one "train" tick does: without STEP_BUDGET, ticks go at the FRAMES pace
    (epochs / 25) whatever the examples, and reach the same states in fewer calls, each of which
    renders the charts (400 examples, 300 epochs: 25 calls, not 300).  For the tests of end states."""
    monkeypatch.setattr(tl, "STEP_BUDGET", 10**6)


def train_to_end(examples, epochs, seed):
    params = {"examples": examples, "epochs": epochs, "seed": seed}
    out = runtime.call(tl.KIND, params, "init")
    while not out["done"]:
        out = runtime.call(tl.KIND, params, "train", out["state"])
    return out


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(5)
    X, y = tl.avocados(rng, 17)
    w = tl.start_weights(3)
    w["b1"] = rng.normal(0, 0.5, tl.HIDDEN)  # non-zero biases exercise every term
    _, grads = tl.loss_and_grads(w, X, y)
    eps = 1e-6
    for name, value in w.items():
        for index in np.ndindex(value.shape):
            old = value[index]
            value[index] = old + eps
            up = tl.loss_and_grads(w, X, y)[0]
            value[index] = old - eps
            down = tl.loss_and_grads(w, X, y)[0]
            value[index] = old
            assert grads[name][index] == pytest.approx((up - down) / (2 * eps), abs=1e-7), (name, index)


def test_loss_goes_down_and_run_finishes_at_the_target():
    out = train_to_end(40, 60, 0)
    losses = out["state"]["loss"]
    assert len(losses) == 61 and out["state"]["epoch"] == 60
    assert losses[-1] < 0.5 * losses[0]
    assert np.mean(losses[-10:]) < np.mean(losses[1:11])


def test_more_examples_lower_heldout_error_on_average(bigger_ticks):
    few = np.mean([train_to_end(10, 100, s)["state"]["heldout"][-1] for s in range(6)])
    many = np.mean([train_to_end(200, 100, s)["state"]["heldout"][-1] for s in range(6)])
    assert many < few - 0.1


def test_more_repetitions_lower_heldout_error_on_average():
    short = np.mean([train_to_end(40, 3, s)["state"]["heldout"][-1] for s in range(6)])
    long = np.mean([train_to_end(40, 100, s)["state"]["heldout"][-1] for s in range(6)])
    assert long < short - 0.05


def test_a_larger_training_set_contains_the_smaller_one():
    X, y, X_test, _ = tl.world(4)
    assert X.shape == (400, 2) and X_test.shape == (tl.TEST_SIZE, 2)
    assert 0.1 < y.mean() < 0.5  # both kinds are present


def test_step_is_one_repetition_and_stops_at_the_target():
    params = {"examples": 20, "epochs": 2}
    out = runtime.call(tl.KIND, params, "init")
    assert out["state"]["epoch"] == 0 and not out["done"]
    for expected in (1, 2, 2):
        out = runtime.call(tl.KIND, params, "step", out["state"])
        assert out["state"]["epoch"] == expected
    assert out["done"]


def test_play_ticks_are_small_and_each_lowers_the_loss_on_average():
    """The play loop: tick after tick, each a few repetitions; the loss curve grows and falls."""
    params = {"examples": 400, "epochs": 300}
    out = runtime.call(tl.KIND, params, "init")
    epochs = [0]
    for _ in range(30):
        out = runtime.call(tl.KIND, params, "train", out["state"])
        epochs.append(out["state"]["epoch"])
    per_tick = np.diff(epochs)
    assert per_tick.min() >= 1 and per_tick.max() * math.ceil(400 / tl.BATCH) <= tl.STEP_BUDGET
    losses = out["state"]["loss"]
    assert len(losses) == epochs[-1] + 1 and losses[-1] < 0.8 * losses[0]
    assert not out["done"]


def test_changing_examples_keeps_the_weights_and_says_so():
    out = train_to_end(20, 5, 1)
    before = out["state"]
    out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "update", before)
    state = out["state"]
    assert state["epoch"] == 5 and state["w"] == before["w"] and state["v"] == before["v"]  # nothing thrown away
    assert state["loss"] == before["loss"] and state["examples"] == 60 and state["changes"] == [[5, 20, 60]]
    assert not out["done"]  # another full set of repetitions on the new examples
    assert "5" in out["text"] and "60" in out["text"] and "20" in out["text"]
    assert 'class="note"' in out["html"] and t("training-loop.kept", examples="", train="")[:20] in out["html"]
    assert state["runs"][-1] == [20, 5, before["heldout"][-1], 0]
    assert out["html"].count('class="marker"') == 2  # the dashed line on both curves
    while not out["done"]:
        out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "train", out["state"])
    assert out["state"]["epoch"] == 10 and len(out["state"]["loss"]) == 11  # the curve went on


def test_more_examples_after_memorising_help_from_the_same_weights(bigger_ticks):
    """The reader's experiment: few examples are memorised; moving the slider up, the same
    model learns the pattern and makes fewer mistakes on new avocados."""
    gains = []
    for seed in range(4):
        few = train_to_end(10, 100, seed)
        more = runtime.call(tl.KIND, {"examples": 300, "epochs": 100, "seed": seed}, "update", few["state"])
        while not more["done"]:
            more = runtime.call(tl.KIND, {"examples": 300, "epochs": 100, "seed": seed}, "train", more["state"])
        assert more["state"]["epoch"] == 200
        gains.append(few["state"]["heldout"][-1] - more["state"]["heldout"][-1])
    assert np.mean(gains) > 0.1


def test_moving_the_slider_there_and_back_before_training_is_no_change():
    out = train_to_end(20, 5, 1)
    moved = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "update", out["state"])
    moved = runtime.call(tl.KIND, {"examples": 80, "epochs": 5, "seed": 1}, "update", moved["state"])
    assert moved["state"]["changes"] == [[5, 20, 80]] and len(moved["state"]["runs"]) == 1
    back = runtime.call(tl.KIND, {"examples": 20, "epochs": 5, "seed": 1}, "update", moved["state"])
    assert back["state"]["changes"] == [] and back["state"]["runs"] == [] and back["done"]
    assert 'class="note"' not in back["html"]


def test_before_any_training_the_slider_just_picks_the_examples():
    out = runtime.call(tl.KIND, {"examples": 20}, "init")
    out = runtime.call(tl.KIND, {"examples": 60}, "update", out["state"])
    assert out["state"]["epoch"] == 0 and out["state"]["changes"] == [] and out["state"]["examples"] == 60


def test_reset_starts_over_and_remembers_the_run():
    out = train_to_end(20, 5, 1)
    out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "reset", out["state"])
    assert out["state"]["epoch"] == 0 and out["state"]["examples"] == 60
    assert out["state"]["runs"][-1][:2] == [20, 5]
    assert t("training-loop.past_title") in out["html"]


def test_loss_and_errors_are_two_charts_with_their_own_axes():
    out = train_to_end(40, 20, 0)
    pair = re.search(r'<div class="plot-pair">(.*?)</div>', out["html"]).group(1)
    charts = re.findall(r"<svg.*?</svg>", pair)
    assert len(charts) == 2 and all(c.count('<polyline class="series"') == 1 for c in charts)
    labels = [re.findall(r'<text class="label"[^>]*>([^<]*)</text>', c) for c in charts]
    assert labels[0][1] == t("training-loop.loss_label") and labels[1][1] == t("training-loop.heldout_label")
    ticks = [re.findall(r'<text class="tick" x="[\d.]+" y="[\d.]+" dy=".35em"[^>]*>([^<]*)<', c) for c in charts]
    assert float(ticks[0][-1]) < 2 and float(ticks[1][-1]) >= 50  # loss (no unit) and errors in %
    assert 'class="plot-legend"' not in pair  # one line each: its axis says what it is


def test_reseed_is_deterministic_and_changes_the_avocados():
    first = runtime.call(tl.KIND, {}, "init")
    a = runtime.call(tl.KIND, {}, "reseed", first["state"])
    b = runtime.call(tl.KIND, {}, "reseed", first["state"])
    assert a == b and a["state"]["seed"] != first["state"]["seed"]
    after_reset = runtime.call(tl.KIND, {}, "reset", a["state"])
    assert after_reset["state"]["seed"] == a["state"]["seed"]  # reset keeps the new avocados


def mid_run():
    """A state with everything in use: trained, the examples changed, a past run."""
    out = train_to_end(20, 5, 1)
    out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "update", out["state"])
    out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "step", out["state"])
    assert out["state"]["changes"] and out["state"]["runs"] and out["state"]["start"] == 5
    return out["state"]


def as_the_page_sends(state):
    """JSON through the browser: a float with nothing after the point comes back as an int."""

    def js(value):
        if isinstance(value, dict):
            return {k: js(v) for k, v in value.items()}
        if isinstance(value, list):
            return [js(v) for v in value]
        return int(value) if isinstance(value, float) and value.is_integer() else value

    return js(json.loads(json.dumps(state)))


def test_a_valid_state_round_trips():
    state = mid_run()
    params = {"examples": 60, "epochs": 5, "seed": 1}
    assert plain(read_state(as_the_page_sends(state), tl.STATE)) == state
    kept = runtime.call(tl.KIND, params, "update", as_the_page_sends(state))
    assert kept["state"] == state and "state-rejected" not in kept["html"]
    stepped = runtime.call(tl.KIND, params, "step", as_the_page_sends(state))
    assert stepped == runtime.call(tl.KIND, params, "step", state) and "state-rejected" not in stepped["html"]
    assert stepped["state"]["epoch"] == state["epoch"] + 1 and stepped["state"]["w"] != state["w"]


def test_a_forged_state_is_refused_naming_the_field():
    good = mid_run()  # epoch 6, start 5, 7 points on each curve
    w, v = good["w"], good["v"]
    for forged, where in (
        ({**good, "w": {**w, "W1": [[1.0, 2.0]]}}, "w.W1: expects 2 items, got 1"),
        ({**good, "v": {**v, "W1": [v["W1"][0], [0.0] * 3]}}, "v.W1[1]: expects 12 items, got 3"),
        ({**good, "w": {**w, "b1": w["b1"][:-1]}}, "w.b1: expects 12 items, got 11"),
        ({**good, "v": {k: x for k, x in v.items() if k != "b2"}}, "v: misses b2"),
        ({**good, "w": {**w, "b2": [float("nan")]}}, "w.b2[0]: expects a finite number"),
        ({**good, "loss": [*good["loss"][:-1], float("inf")]}, "loss[6]: expects a finite number"),
        ({**good, "heldout": [*good["heldout"][:-1], 1.5]}, "heldout[6]: must be between 0 and 1, got 1.5"),
        ({**good, "epoch": "6"}, "epoch: expects a whole number"),
        ({**good, "examples": 40.0}, "examples: expects a whole number"),
        ({**good, "runs": [["20", 5, 0.3, 0]]}, "runs[0][0]: expects a whole number"),
        ({**good, "epoch": -1}, "epoch: must be between 0 and 1000000, got -1"),
        ({**good, "seed": 10**6 + 1}, "seed: must be between 0 and 1000000, got 1000001"),
        ({**good, "epoch": 4}, "start: must be at most epoch (4), got 5"),
        ({**good, "start": 0, "epoch": 3}, "loss: has 7 points, more than epoch 3 + 1"),
        ({**good, "heldout": good["heldout"][:-1]}, "heldout: has 6 points, loss has 7"),
        ({**good, "examples": 10**9}, "examples: must be between 5 and 400, got 1000000000"),
        ({**good, "changes": [[1, 2]]}, "changes[0]: expects 3 items, got 2"),
        ({**good, "runs": 5}, "runs: expects a list"),
        ({**good, "loss": []}, "loss: expects 1 to 601 items, got 0"),
        ({**good, "bias": 0.5}, "state: has unknown bias"),
        ({k: x for k, x in good.items() if k != "runs"}, "state: misses runs"),
    ):
        out = runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "step", forged)
        assert where in out["text"] and where in out["html"], (where, out["text"])
        assert out["html"].count("state-rejected") == 1
        assert t("state.rejected", reason="@").split("@")[0] in out["text"]
        assert out["state"] == runtime.call(tl.KIND, {"examples": 60, "epochs": 5, "seed": 1}, "step", None)["state"]


def test_largest_state_is_small(bigger_ticks):
    out = train_to_end(400, 300, 2)
    assert len(json.dumps(out["state"])) < 20_000
    for examples in (5, 400, 5):  # the curves keep their newest points only
        out = runtime.call(tl.KIND, {"examples": examples, "epochs": 300, "seed": 2}, "update", out["state"])
        while not out["done"]:
            out = runtime.call(tl.KIND, {"examples": examples, "epochs": 300, "seed": 2}, "train", out["state"])
    assert out["state"]["epoch"] == 1200 and len(out["state"]["loss"]) == tl.CURVE_KEEP
    assert len(json.dumps(out["state"])) < 32_000


def test_the_map_merges_equal_cells_and_tints_by_answer():
    from maamar_live.kit.plots import region

    svg = region(
        [(0.1, 0.2), (0.9, 0.8)], [0, 1], [[0.0, 0.0, 1.0], [0.6, 0.6, float("nan")]], title="a", desc="b", xlabel="x", ylabel="y"
    )
    assert svg.count("<rect") == 3  # row 0: "sure no" ×2 merged, "sure yes"; row 1: all "unsure" (nan counts as 0.5)
    assert svg.count("<circle") == 2 and "nan" not in svg.lower()


def test_every_percentage_sits_inside_its_number():
    """A % outside the number's LTR isolate is drawn on the wrong side in Hebrew ("%7")."""
    memorised = train_to_end(5, 100, 0)
    kept = runtime.call(tl.KIND, {"examples": 400, "epochs": 100, "seed": 0}, "update", memorised["state"])
    finished = train_to_end(200, 60, 0)
    for out in (memorised, kept, finished):
        html = re.sub(r"<svg.*?</svg>", "", out["html"])  # chart text is LTR already
        assert "%</bdi>" in html and re.search(r"%(?!</bdi>)", html) is None, html
