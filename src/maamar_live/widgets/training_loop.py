"""The training loop: many examples, compare with the right answer, improve step by step.

Is an avocado ripe?  Each example is one avocado: how soft it is when squeezed and
how dark its peel is, with the right answer (ripe or not) — ripe ones are soft,
but not mushy, and dark.  The model is a tiny network (2 inputs → 12 hidden
units → 1 output) that answers with a belief between 0 and 1.  Every repetition
(epoch) it goes over all the examples in small batches: it answers, compares with
the truth, measures how much it missed (the cross-entropy loss) and moves every
weight a little against that miss (gradient descent, gradients written by hand).

Why more examples and more repetitions help: the ripe region is a curved patch,
a "subtle pattern".  With a handful of avocados many different patches fit them
equally well, and the model picks one that misses on new avocados; with many
examples only shapes close to the true patch fit.  Each repetition is another
round of small corrections, so the model needs enough of them to get there.
The held-out avocados, which the model never trains on, measure exactly that.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..kit.i18n import t
from ..kit.markup import num, tag
from ..kit.plots import line, region
from ..kit.spec import Param, button, next_seed, slider, state_seed

KIND = "training-loop"
PARAMS = {
    "examples": Param("int", 40, min=5, max=400, help="how many avocados the model learns from"),
    "epochs": Param("int", 100, min=1, max=300, help="how many repetitions over all the examples"),
    "seed": Param("int", 0, min=0, max=10**6, help="which avocados and which starting weights"),
}
CONTROLS = [
    slider("examples", "training-loop.examples", step=5, action="reset"),
    slider("epochs", "training-loop.epochs", step=1, action="update", live=True),
    button("train", "training-loop.train", repeat=True, pause_label="training-loop.pause", primary=True),
    button("step", "training-loop.step"),
    button("reset", "training-loop.reset"),
    button("reseed", "training-loop.reseed"),
]
HIDDEN = 12  # enough units to bend the border around a curved patch
BATCH = 10  # examples per small correction
LEARNING_RATE = 0.2
MOMENTUM = 0.9  # keeps the direction of the last corrections: fewer repetitions needed
TEST_SIZE = 500  # held-out avocados: never trained on, only used to measure
STEP_BUDGET = 400  # batches per call: keeps one "train" press under 30 ms in CPython
FRAMES = 25  # a full run is shown in about this many frames
GRID = 40  # cells per side of the map of the model's answers (merged into runs when drawn)
PAST_RUNS = 5
SHAPES = {"W1": (2, HIDDEN), "b1": (HIDDEN,), "w2": (HIDDEN,), "b2": (1,)}  # weights and their momentum


def avocados(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` avocados: columns softness and peel darkness in [0, 1]; label 1 = ripe.

    Ripeness is an oval patch (soft but not mushy, dark), and the label is drawn
    from a probability that falls off near its edge: even a perfect model misses
    a few, as with real avocados.
    """
    X = rng.uniform(0.0, 1.0, (n, 2))
    softness, darkness = X[:, 0], X[:, 1]
    closeness = 1.0 - ((softness - 0.55) / 0.2) ** 2 - ((darkness - 0.65) / 0.35) ** 2
    ripe = rng.uniform(size=n) < 1.0 / (1.0 + np.exp(-6.0 * closeness))
    return X, ripe.astype(float)


@lru_cache(maxsize=8)
def world(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """All 400 possible training avocados and the held-out ones for a seed.

    Training on ``examples`` means the first ``examples`` of the 400, so a larger
    set contains the smaller one: the comparison is "more of the same", not luck.
    """
    X, y = avocados(np.random.default_rng([seed, 1]), PARAMS["examples"].max)
    X_test, y_test = avocados(np.random.default_rng([seed, 2]), TEST_SIZE)
    return X, y, X_test, y_test


def start_weights(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng([seed, 0])
    return {
        "W1": rng.normal(0.0, 1.0, (2, HIDDEN)),
        "b1": np.zeros(HIDDEN),
        "w2": rng.normal(0.0, 1.0 / math.sqrt(HIDDEN), HIDDEN),
        "b2": np.zeros(1),
    }


def forward(w: dict, X: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Inputs → hidden tanh units → one logit (the answer before squashing to 0..1)."""
    inputs = 2.0 * X - 1.0  # centred on 0: tanh units start in their useful range
    hidden = np.tanh(inputs @ w["W1"] + w["b1"])
    return inputs, hidden, hidden @ w["w2"] + w["b2"]


def loss_and_grads(w: dict, X: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, np.ndarray]]:
    """Mean cross-entropy (how much it missed) and its gradient for every weight.

    With a sigmoid on the logit, the gradient of the loss w.r.t. the logit is just
    ``belief - truth``: the miss itself.  The chain rule carries it back through
    the output weights and through tanh (whose slope is ``1 - tanh²``).
    """
    inputs, hidden, logit = forward(w, X)
    loss = float(np.mean(np.logaddexp(0.0, logit) - y * logit))  # stable -log p(truth)
    miss = (1.0 / (1.0 + np.exp(-logit)) - y) / len(y)
    back = np.outer(miss, w["w2"]) * (1.0 - hidden**2)
    return loss, {
        "W1": inputs.T @ back,
        "b1": back.sum(axis=0),
        "w2": hidden.T @ miss,
        "b2": np.array([miss.sum()]),
    }


def repetition(w: dict, velocity: dict, X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> None:
    """One epoch: every example once, in a shuffled order, one small correction per batch."""
    order = rng.permutation(len(y))
    for start in range(0, len(y), BATCH):
        batch = order[start : start + BATCH]
        _, grads = loss_and_grads(w, X[batch], y[batch])
        for name, g in grads.items():
            velocity[name] = MOMENTUM * velocity[name] + g
            w[name] -= LEARNING_RATE * velocity[name]


def error_rate(w: dict, X: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((forward(w, X)[2] > 0) != (y > 0.5)))


def fresh(seed: int, examples: int, runs: list) -> dict:
    w = start_weights(seed)
    X, y, X_test, y_test = world(seed)
    loss, _ = loss_and_grads(w, X[:examples], y[:examples])
    return {
        "seed": seed,
        "examples": examples,
        "epoch": 0,
        "runs": runs,
        "w": {k: v.tolist() for k, v in w.items()},
        "v": {k: np.zeros_like(v).tolist() for k, v in w.items()},
        "loss": [round(loss, 5)],
        "heldout": [round(error_rate(w, X_test, y_test), 5)],
    }


def usable(state, examples: int) -> bool:
    """A state this version wrote for these examples (anything else is rebuilt)."""
    try:
        weights = [np.asarray(state[part][k], dtype=float) for part in "wv" for k in SHAPES]  # and momentum
        curves = np.asarray(state["loss"] + state["heldout"], dtype=float)
        runs = np.asarray(state["runs"], dtype=float).reshape(-1, 3)
        return (
            state["examples"] == examples
            and int(state["epoch"]) == len(state["loss"]) - 1 == len(state["heldout"]) - 1
            and [a.shape for a in weights] == list(SHAPES.values()) * 2
            and all(bool(np.all(np.isfinite(a))) for a in weights + [curves, runs])
        )
    except (KeyError, TypeError, ValueError):
        return False


def remember(state) -> list:
    """The finished part of a run goes to the list of past runs (newest last)."""
    try:
        runs = [[int(n), int(e), float(h)] for n, e, h in state.get("runs", [])]
        if int(state["epoch"]) > 0:
            runs.append([int(state["examples"]), int(state["epoch"]), float(state["heldout"][-1])])
    except (AttributeError, KeyError, TypeError, ValueError, IndexError):
        runs = []
    return runs[-PAST_RUNS:]


def run(params: dict, action: str, state: dict | None) -> dict:
    examples, target = params["examples"], params["epochs"]
    seed = params["seed"] if action == "init" else state_seed(state, params, PARAMS)
    if action == "reseed":
        state = fresh(next_seed(seed, PARAMS["seed"]), examples, remember(state))
    elif action in ("init", "reset") or not usable(state, examples):
        state = fresh(seed, examples, [] if action == "init" else remember(state))
    seed, epoch = state["seed"], state["epoch"]
    X, y, X_test, y_test = world(seed)
    X, y = X[:examples], y[:examples]

    todo = 0
    if action == "step":
        todo = 1
    elif action == "train":
        per_epoch = math.ceil(examples / BATCH)
        todo = max(1, min(math.ceil(target / FRAMES), STEP_BUDGET // per_epoch))
    todo = max(0, min(todo, target - epoch))
    if todo:
        w = {k: np.array(v, dtype=float) for k, v in state["w"].items()}
        velocity = {k: np.array(v, dtype=float) for k, v in state["v"].items()}
        losses, heldout = list(state["loss"]), list(state["heldout"])
        for e in range(epoch, epoch + todo):
            repetition(w, velocity, X, y, np.random.default_rng([seed, 3, e]))
            losses.append(round(loss_and_grads(w, X, y)[0], 5))
            heldout.append(round(error_rate(w, X_test, y_test), 5))
        state = {
            **state,
            "epoch": epoch + todo,
            "loss": losses,
            "heldout": heldout,
            "w": {k: v.tolist() for k, v in w.items()},
            "v": {k: v.tolist() for k, v in velocity.items()},
        }
    w = {k: np.array(v, dtype=float) for k, v in state["w"].items()}
    return render(state, w, X, y, target)


@lru_cache(maxsize=1)
def grid_points() -> np.ndarray:
    centres = (np.arange(GRID) + 0.5) / GRID
    softness, darkness = np.meshgrid(centres, centres)  # rows go up in darkness
    return np.column_stack([softness.ravel(), darkness.ravel()])


def render(state: dict, w: dict, X: np.ndarray, y: np.ndarray, target: int) -> dict:
    epoch, examples = state["epoch"], state["examples"]
    loss, heldout = state["loss"][-1], state["heldout"][-1]
    train_err = error_rate(w, X, y)
    curves = line(
        {t("training-loop.series_loss"): state["loss"], t("training-loop.series_heldout"): state["heldout"]},
        xs=list(range(max(target, epoch) + 1)),
        title=t("training-loop.curve_title"),  # the frame is the whole run
        desc=t("training-loop.curve_desc", epoch=epoch, loss=f"{loss:.3f}", heldout=f"{100 * heldout:.0f}"),
        xlabel=t("training-loop.x_label"),
        ylabel=t("training-loop.y_label"),
    )
    belief = 1.0 / (1.0 + np.exp(-forward(w, grid_points())[2]))
    answers = region(
        [tuple(p) for p in X.round(4).tolist()],
        y.astype(int).tolist(),
        belief.reshape(GRID, GRID).round(3).tolist(),
        title=t("training-loop.map_title"),
        desc=t("training-loop.map_desc", examples=examples),
        xlabel=t("training-loop.softness"),
        ylabel=t("training-loop.darkness"),
        group_names=[t("training-loop.unripe"), t("training-loop.ripe")],
    )
    stats = t(
        "training-loop.stats",
        epoch=num(epoch),
        target=num(target),
        examples=num(examples),
        loss=num(loss, 3),
        heldout=num(100 * heldout, 0, unit="%"),
    )
    if epoch == 0:
        verdict = t("training-loop.untrained")
    elif epoch < target:
        verdict = t("training-loop.training", examples=num(examples))
    elif train_err + 0.1 < heldout:
        verdict = t("training-loop.memorised", train=num(100 * train_err, 0, unit="%"), heldout=num(100 * heldout, 0, unit="%"))
    else:
        verdict = t("training-loop.finished", heldout=num(100 * heldout, 0, unit="%"))
    body = curves + answers + tag("p", stats, class_="stats") + tag("p", verdict, class_="verdict")
    if state["runs"]:
        items = "".join(
            tag("li", t("training-loop.past_run", examples=num(n), epochs=num(e), heldout=num(100 * h, 0, unit="%")))
            for n, e, h in state["runs"]
        )
        body += tag("p", t("training-loop.past_title"), class_="past") + tag("ul", items, class_="runs")
    text = t("training-loop.summary", epoch=epoch, examples=examples, loss=f"{loss:.3f}", heldout=f"{100 * heldout:.0f}")
    return {"html": body, "text": text, "state": state, "done": epoch >= target}
