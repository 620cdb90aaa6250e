"""Like training in the gym: the learning rate is the weight on the bar.

The model learns a wavy pattern from 40 examples.  It is a row of nine
"muscles" — bumps, each responsible for one stretch of the input — plus a base
level, and every set (epoch) it goes over all the examples and corrects every
weight against its share of the miss (full-batch gradient descent on the mean
squared error).  Four runs train side by side, differing only in the size of
that correction, the learning rate:

* too heavy: each correction overshoots the bottom of the valley and lands
  higher on the other side, so the miss grows every set until "the bar falls".
  For squared error this happens exactly when the rate is above ``2 / λ``,
  with λ the largest curvature of the loss (an eigenvalue of ``Φᵀ Φ / n``);
* too light: every set helps, but so little that after many sets it has
  barely moved;
* the right weight: big corrections that still land on the near side — fast;
* the reader's own.

More sets give more corrections, so the held-out miss keeps falling.  Varied
data matter as much: a bump only learns from examples in its own stretch, so
examples that all come from a narrow range leave the other bumps untrained,
and the model misses badly on new inputs outside that range.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..kit.i18n import t
from ..kit.markup import num, tag
from ..kit.plots import line
from ..kit.spec import Param, button, next_seed, from_param, slider, whole

KIND = "gym"
PARAMS = {
    "lr": Param("float", 0.2, min=0.01, max=2.0, help="the reader's learning rate: the weight on the bar"),
    "sets": Param("int", 40, min=5, max=150, help="how many sets (epochs): passes over all the examples"),
    "variety": Param("float", 0.6, min=0.1, max=1.0, help="how wide a range the training examples come from"),
    "seed": Param("int", 0, min=0, max=10**6, help="which examples"),
}
CONTROLS = [
    slider("lr", "gym.lr", step=0.01, action="update", live=True),  # every run, ~8 ms
    slider("sets", "gym.sets", step=1, action="update", live=True),
    slider("variety", "gym.variety", step=0.05, action="update", live=True),
    button("train", "gym.train", repeat=True, pause_label="gym.pause", primary=True),
    button("step", "gym.step"),
    button("reseed", "gym.reseed"),
]
STATE = {
    "seed": from_param(PARAMS["seed"]),  # the examples: the directive's, or the reader's new draw
    "shown": whole(0, PARAMS["sets"].max),  # how many sets the curves show (the animation)
}
RUNS = ("heavy", "light", "right", "yours")
RATES = {"heavy": 1.6, "light": 0.05, "right": 0.5}  # heavy > 2/λ for every variety, right < 2/λ for every variety
EXAMPLES = 40
NOISE = 0.1
CENTRES = np.linspace(-1.0, 1.0, 9)
WIDTH = 0.25  # each bump covers about a quarter of the range
# Above its starting loss = worse than not training at all.  Below 2/λ the loss of
# gradient descent on squared error only ever goes down, so passing this line means
# the run diverges: the bar has fallen (and we stop long before any overflow).
FALLEN = 1.3
FRAMES = 25
TEST_POINTS = 201  # new inputs spread over the whole range


def pattern(x: np.ndarray) -> np.ndarray:
    """The truth the model should find."""
    return np.sin(3.0 * x) + 0.5 * x


def features(x: np.ndarray) -> np.ndarray:
    """A base level and nine bumps: bump k answers only to inputs near its centre."""
    return np.column_stack([np.ones_like(x), np.exp(-0.5 * ((x[:, None] - CENTRES) / WIDTH) ** 2)])


def examples(seed: int, variety: float) -> tuple[np.ndarray, np.ndarray]:
    """40 noisy examples with inputs from [-variety, variety]: low variety = a narrow range."""
    rng = np.random.default_rng([seed, 5])
    x = rng.uniform(-1.0, 1.0, EXAMPLES) * variety  # same draws, squeezed: only the variety changes
    return x, pattern(x) + rng.normal(0.0, NOISE, EXAMPLES)


@lru_cache(maxsize=1)
def test_inputs() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(-1.0, 1.0, TEST_POINTS)
    return x, features(x)


def losses(weights: np.ndarray, F: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Half mean squared miss, one value per run (a column of ``weights``)."""
    return 0.5 * np.mean((F @ weights - y[:, None]) ** 2, axis=0)


@lru_cache(maxsize=16)
def workout(seed: int, variety: float, sets: int, lr: float) -> dict:
    """All four runs, set by set: training loss, held-out miss, weights, and when a bar fell.

    The runs are the columns of one weight matrix, so one set for all of them is
    one matrix product.  A run whose loss passes ``FALLEN`` times the start is
    frozen at its last weights: its numbers stay finite, and the plot shows it
    leaving through the top of the frame (values above the frame are clamped to it).
    """
    x, y = examples(seed, variety)
    F = features(x)
    x_test, F_test = test_inputs()
    y_test = pattern(x_test)
    rates = np.array([RATES.get(name, lr) for name in RUNS])
    weights = np.zeros((F.shape[1], len(RUNS)))
    start = losses(weights, F, y)
    fell = np.full(len(RUNS), -1)
    history_w, history_loss = [weights.copy()], [start.copy()]
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(1, sets + 1):
            alive = fell < 0
            grad = F.T @ (F @ weights - y[:, None]) / len(y)
            trial = weights - rates * grad
            loss = losses(trial, F, y)
            falling = alive & ~(loss < FALLEN * start)  # also catches inf and nan
            fell[falling] = s
            weights = np.where(alive & ~falling, trial, weights)
            history_w.append(weights.copy())
            # the falling set keeps its (capped) loss so the curve leaves through the top of the plot
            history_loss.append(np.where(alive, np.where(loss < 1e6, loss, 1e6), np.nan))
    W = np.array(history_w)  # (sets + 1, features, runs)
    heldout = np.mean((np.einsum("tf,sfr->str", F_test, W) - y_test[None, :, None]) ** 2, axis=1)
    return {"loss": np.array(history_loss), "heldout": heldout, "weights": W, "fell": fell, "start": float(start[0]), "x": x}


def run(params: dict, action: str, state) -> dict:
    sets = params["sets"]
    seed = params["seed"] if state is None else state.seed
    shown = sets if state is None else min(state.shown, sets)  # no animation yet: the whole workout
    if action == "reseed":
        seed, shown = next_seed(seed, PARAMS["seed"]), sets
    elif action in ("train", "step"):
        if shown >= sets:
            shown = 0  # pressed after the end: replay the sets from the start
        shown = min(sets, shown + (math.ceil(sets / FRAMES) if action == "train" else 1))
    # the rate is rounded so the cache sees the slider's values, not float noise
    w = workout(seed, round(params["variety"], 3), sets, round(params["lr"], 4))
    return render(w, params, seed, shown)


def _name(run_name: str) -> str:
    return t(f"gym.run_{run_name}")


def render(w: dict, params: dict, seed: int, shown: int) -> dict:
    sets, lr, variety = params["sets"], params["lr"], params["variety"]
    fell = w["fell"]
    top = FALLEN * w["start"]
    series = {}
    for r, name in enumerate(RUNS):
        values = w["loss"][: shown + 1, r]
        series[_name(name)] = [None if not math.isfinite(v) else round(float(v), 5) for v in values]
    curves = line(
        series,
        xs=list(range(sets + 1)),
        ylim=(0.0, top),
        title=t("gym.curve_title"),
        desc=t("gym.curve_desc", shown=shown),
        xlabel=t("gym.x_label"),
        ylabel=t("gym.y_label"),
    )

    x_test, F_test = test_inputs()
    yours, right = RUNS.index("yours"), RUNS.index("right")
    learned = {
        t("gym.truth"): pattern(x_test).round(4).tolist(),
        _name("right"): (F_test @ w["weights"][shown][:, right]).round(4).tolist(),
    }
    yours_fell = 0 < fell[yours] <= shown
    if not yours_fell:
        learned[_name("yours")] = (F_test @ w["weights"][shown][:, yours]).clip(-3, 3).round(4).tolist()
    lo, hi = float(w["x"].min()), float(w["x"].max())
    shape = line(
        learned,
        xs=x_test.round(3).tolist(),
        ylim=(-2.0, 2.0),
        title=t("gym.shape_title"),
        desc=t("gym.shape_desc", lo=f"{lo:.2f}", hi=f"{hi:.2f}", shown=shown),
        xlabel=t("gym.input"),
        ylabel=t("gym.output"),
    )

    rows = [tag("tr", "".join(tag("th", t(f"gym.col_{c}"), scope="col") for c in ("run", "rate", "loss", "heldout")))]
    for r, name in enumerate(RUNS):
        rate = RATES.get(name, lr)
        if 0 < fell[r] <= shown:
            cells = tag("td", t("gym.fell", set=num(int(fell[r]))), colspan=2)
        else:
            cells = tag("td", num(float(w["loss"][shown, r]), 3)) + tag("td", num(float(w["heldout"][shown, r]), 3))
        rows.append(tag("tr", tag("th", _name(name), scope="row") + tag("td", num(rate, 2)) + cells))
    table = tag("table", "".join(rows), class_="runs")

    your_loss, right_loss = float(w["loss"][shown, yours]), float(w["loss"][shown, right])
    if yours_fell:
        verdict = t("gym.v_fell", set=num(int(fell[yours])))
    elif shown == 0:
        verdict = t("gym.v_start")
    elif your_loss > 2 * right_loss + 0.01:
        # Compare with the right weight, not only the loss: a weight above it that has not
        # (yet) made the bar fall zigzags, one below it crawls; both end with a high loss.
        verdict = t("gym.v_heavy" if lr > RATES["right"] else "gym.v_light", right=num(RATES["right"], 2))
    else:
        verdict = t("gym.v_good")
    notes = tag("p", verdict, class_="verdict")
    if variety < 0.5:
        notes += tag("p", t("gym.v_narrow", lo=num(lo, 2), hi=num(hi, 2)), class_="verdict")
    stats = t("gym.stats", shown=num(shown), sets=num(sets), variety=num(variety, 2))
    if yours_fell:
        text = t("gym.summary_fell", set=int(fell[yours]))
    else:
        text = t("gym.summary", shown=shown, heldout=f"{float(w['heldout'][shown, yours]):.3f}")
    return {
        "html": curves + tag("p", stats, class_="stats") + table + notes + shape,
        "text": text,
        "state": {"seed": seed, "shown": shown},
        "done": shown >= sets,
    }
