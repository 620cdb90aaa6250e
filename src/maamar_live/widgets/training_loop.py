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

Like TensorFlow Playground, "train" is a play button: every press of the binder's
loop is one small tick (a few repetitions, at most ``STEP_BUDGET`` batches), and
the curves and the map are redrawn after each.  Changing the number of examples
never throws the model away: it keeps its weights and goes on learning from the
new examples for another ``epochs`` repetitions; the curves go on, with a dashed
line where the examples changed.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from ..kit.i18n import t
from ..kit.markup import num, tag
from ..kit.plots import line, region
from ..kit.spec import Param, StateError, button, from_param, list_of, next_seed, number, plain, record, row, slider, whole

KIND = "training-loop"
PARAMS = {
    "examples": Param("int", 40, min=5, max=400, help="how many avocados the model learns from"),
    "epochs": Param("int", 100, min=1, max=300, help="how many repetitions over all the examples"),
    "seed": Param("int", 0, min=0, max=10**6, help="which avocados and which starting weights"),
}
CONTROLS = [
    # On release though cheap (~4 ms): it keeps the weights (``new_data``), and while play
    # trains, every value a drag passed would be a change of data of its own (a mark on the
    # curves, a past run pushed out).
    slider("examples", "training-loop.examples", step=5, action="update"),
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
STEP_BUDGET = 40  # batches per play tick: a few ms in CPython, so a pause or a slider answers at once
FRAMES = 25  # a full run is shown in about this many frames
GRID = 40  # cells per side of the map of the model's answers (merged into runs when drawn)
PAST_RUNS = 5
CURVE_KEEP = 601  # points of each curve kept in the state: the newest ones, after many changes of examples
SHAPES = {"W1": (2, HIDDEN), "b1": (HIDDEN,), "w2": (HIDDEN,), "b2": (1,)}  # weights and their momentum
EPOCHS = 10**6  # repetitions in all, over every change of examples: far more than a reader runs


def array(shape: tuple[int, ...]):
    """Nested lists of finite numbers of exactly this shape."""
    field = number()
    for n in reversed(shape):
        field = list_of(field, n, least=n)
    return field


_WEIGHTS = record("Weights", **{name: array(shape) for name, shape in SHAPES.items()})
_EXAMPLES = from_param(PARAMS["examples"])
_REPETITION = whole(0, EPOCHS)
STATE = {
    "seed": from_param(PARAMS["seed"]),
    "examples": _EXAMPLES,
    "epoch": _REPETITION,
    "start": _REPETITION,  # the repetition at which these examples came in (0: from the start)
    "changes": list_of(row(_REPETITION, _EXAMPLES, _EXAMPLES), PAST_RUNS),  # [repetition, examples before, after]
    "runs": list_of(row(_EXAMPLES, whole(1, EPOCHS), number(0, 1), whole(0, 1)), PAST_RUNS),  # see ``remember``
    "w": _WEIGHTS,
    "v": _WEIGHTS,
    "loss": list_of(number(0), CURVE_KEEP, least=1),
    "heldout": list_of(number(0, 1), CURVE_KEEP, least=1),
}


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
        "start": 0,  # the repetition at which these examples came in (0: from the start)
        "changes": [],  # [repetition, examples before, examples after] for each change kept on the curves
        "runs": runs,
        "w": {k: v.tolist() for k, v in w.items()},
        "v": {k: np.zeros_like(v).tolist() for k, v in w.items()},
        "loss": [round(loss, 5)],
        "heldout": [round(error_rate(w, X_test, y_test), 5)],
    }


def check(state) -> None:
    """What ``STATE`` cannot say: how the repetitions and the curves fit together."""
    if state.start > state.epoch:
        raise StateError(f"start: must be at most epoch ({state.epoch}), got {state.start}")
    if len(state.heldout) != len(state.loss):
        raise StateError(f"heldout: has {len(state.heldout)} points, loss has {len(state.loss)}")
    if len(state.loss) > state.epoch + 1:
        raise StateError(f"loss: has {len(state.loss)} points, more than epoch {state.epoch} + 1")


def remember(state: dict | None) -> list:
    """The finished part of a run goes to the list of past runs (newest last):
    [examples, repetitions on them, held-out error, 1 if it went on from earlier weights]."""
    if state is None:
        return []
    runs, epochs = state["runs"], state["epoch"] - state["start"]
    if epochs > 0:
        runs = [*runs, [state["examples"], epochs, state["heldout"][-1], int(state["start"] > 0)]]
    return runs[-PAST_RUNS:]


def new_data(state: dict, examples: int) -> dict:
    """The reader moved the examples slider: the model keeps its weights (and momentum)
    and learns from the new examples for another full set of repetitions.  Before any
    training there is nothing to keep, so that is just the new examples."""
    epoch = state["epoch"]
    if epoch == 0:
        return fresh(state["seed"], examples, state["runs"])
    changes, runs = [list(c) for c in state["changes"]], state["runs"]
    if changes and changes[-1][0] == epoch:  # moved again before any training: still one change
        before = changes.pop()[1]
        if examples == before:  # and back where it was: no change at all
            runs = runs[:-1]
    else:
        before, runs = state["examples"], remember(state)
    if examples != before:
        changes.append([epoch, before, examples])
    first = epoch - len(state["loss"]) + 1  # the oldest repetition still on the curves
    changes = [c for c in changes if c[0] >= first][-PAST_RUNS:]
    start = changes[-1][0] if changes else 0
    return {**state, "examples": examples, "start": start, "changes": changes, "runs": runs}


def run(params: dict, action: str, state) -> dict:
    examples, target = params["examples"], params["epochs"]
    if state is not None:
        check(state)
        state = plain(state)
    seed = params["seed"] if state is None else state["seed"]
    if action == "reseed":
        state = fresh(next_seed(seed, PARAMS["seed"]), examples, remember(state))
    elif action == "reset" or state is None:
        state = fresh(seed, examples, remember(state))
    elif state["examples"] != examples:  # any action can carry a new slider value
        state = new_data(state, examples)
    seed, epoch, end = state["seed"], state["epoch"], state["start"] + target
    X, y, X_test, y_test = world(seed)
    X, y = X[:examples], y[:examples]

    todo = 0
    if action == "step":
        todo = 1
    elif action == "train":
        per_epoch = math.ceil(examples / BATCH)
        todo = max(1, min(math.ceil(target / FRAMES), STEP_BUDGET // per_epoch))
    todo = max(0, min(todo, end - epoch))
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
            "loss": losses[-CURVE_KEEP:],
            "heldout": heldout[-CURVE_KEEP:],
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
    epoch, examples, start = state["epoch"], state["examples"], state["start"]
    end = start + target
    heldout = state["heldout"][-1]
    loss = loss_and_grads(w, X, y)[0]  # on the examples of now: after a change, not yet the curve's last point
    train_err = error_rate(w, X, y)
    first = epoch - len(state["loss"]) + 1
    xs = list(range(first, epoch + 1))
    frame = {  # the frame is the whole run: the curves grow into it
        "xs": xs,
        "xlim": (first, max(end, epoch, first + 1)),
        "xmarks": [int(c[0]) for c in state["changes"]],
        "xlabel": t("training-loop.x_label"),
    }
    # Two small charts, one unit each: the loss has no unit, the errors are a percentage.
    curves = tag(
        "div",
        line(
            {t("training-loop.series_loss"): state["loss"]},
            title=t("training-loop.loss_title"),
            desc=t("training-loop.loss_desc", epoch=epoch, loss=f"{state['loss'][-1]:.3f}"),
            ylabel=t("training-loop.loss_label"),
            **frame,
        )
        + line(
            {t("training-loop.series_heldout"): [round(100 * h, 2) for h in state["heldout"]]},
            title=t("training-loop.heldout_title"),
            desc=t("training-loop.heldout_desc", epoch=epoch, heldout=f"{100 * heldout:.0f}"),
            ylabel=t("training-loop.heldout_label"),
            ylim=(0, max(50, 100 * max(state["heldout"]))),
            **frame,
        ),
        class_="plot-pair",
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
        target=num(end),
        examples=num(examples),
        loss=num(loss, 3),
        heldout=num(100 * heldout, 0, unit="%"),
    )
    change = state["changes"][-1] if state["changes"] and start > 0 else None
    if epoch == 0:
        verdict = t("training-loop.untrained")
    elif change and epoch == start:
        verdict = t("training-loop.kept", examples=num(examples), train=num(100 * train_err, 0, unit="%"))
    elif epoch < end:
        verdict = t("training-loop.training", examples=num(examples))
    elif train_err + 0.1 < heldout:
        verdict = t("training-loop.memorised", train=num(100 * train_err, 0, unit="%"), heldout=num(100 * heldout, 0, unit="%"))
    else:
        verdict = t("training-loop.finished", heldout=num(100 * heldout, 0, unit="%"))
    body = curves + answers + tag("p", stats, class_="stats")
    if change:
        body += tag("p", t("training-loop.changed", epoch=num(start), before=num(change[1]), after=num(change[2])), class_="note")
    body += tag("p", verdict, class_="verdict")
    if state["runs"]:
        items = "".join(
            tag(
                "li",
                t(
                    "training-loop.past_run_more" if more else "training-loop.past_run",
                    examples=num(n),
                    epochs=num(e),
                    heldout=num(100 * h, 0, unit="%"),
                ),
            )
            for n, e, h, more in state["runs"]
        )
        body += tag("p", t("training-loop.past_title"), class_="past") + tag("ul", items, class_="runs")
    text = t("training-loop.summary", epoch=epoch, examples=examples, loss=f"{loss:.3f}", heldout=f"{100 * heldout:.0f}")
    if change:
        text += " " + t("training-loop.changed_summary", epoch=start, before=change[1], after=change[2])
    return {"html": body, "text": text, "state": state, "done": epoch >= end}
