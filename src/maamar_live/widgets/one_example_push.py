"""Behind the scenes: one example per round, a score for the gap, a small push to the weights.

Is this a cat?  Each round the model sees one animal described by yes/no features
(triangular ears, whiskers, a tail, barks, feathers).  It guesses the chance that
this is a cat, ``sigmoid(bias + Σ weight·feature)``, compares the guess with the
truth (1 for a cat, 0 otherwise), and every weight gets a small push of
``push × (truth − guess) × feature``.

Why this works: that push is exactly one step of gradient descent on the
cross-entropy of this single example, whose gradient w.r.t. a weight is
``(guess − truth) × feature``.  A feature that is absent (0) gets no push at all;
a feature that keeps showing up with cats and rarely without them is pushed up
again and again, so after enough rounds "triangular ears" becomes the strongest
cat signal, while "barks" and "feathers" become strong signals against.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..kit.i18n import t
from ..kit.markup import num, number_text, tag
from ..kit.plots import bar
from ..kit.spec import (
    Param,
    button,
    from_param,
    next_seed,
    list_of,
    number,
    one_of,
    optional,
    plain,
    record,
    slider,
    whole,
)

KIND = "one-example-push"
PARAMS = {
    "push": Param("float", 0.5, min=0.05, max=2.0, help="how big a push one example gives (the learning rate)"),
    "seed": Param("int", 0, min=0, max=10**6, help="which animals arrive, in which order"),
}
CONTROLS = [
    slider("push", "one-example-push.push", step=0.05, action="update", live=True),
    button("next", "one-example-push.next", primary=True),
    button("hundred", "one-example-push.hundred"),
    button("reset", "one-example-push.reset"),
    button("reseed", "one-example-push.reseed"),
]
FEATURES = ("ears", "whiskers", "tail", "barks", "feathers")
# Which animals come by, how often, and how likely each has each feature.  Dogs
# and rabbits have whiskers and tails too, so those are weak cat signals; many
# dogs have upright triangular ears, but far fewer than cats.
ANIMALS = {
    "cat": (0.40, (0.95, 0.90, 0.90, 0.02, 0.00)),
    "dog": (0.30, (0.35, 0.60, 0.90, 0.90, 0.00)),
    "bird": (0.15, (0.00, 0.00, 0.70, 0.00, 1.00)),
    "rabbit": (0.15, (0.05, 0.90, 0.30, 0.00, 0.00)),
}
MAX_ROUNDS = 1000
RECENT = 20  # how many recent guesses the "how often was it right" line counts
WEIGHT = 1e4  # no weight gets near this: one round moves it by at most the push, 2
_WEIGHTS = list_of(number(-WEIGHT, WEIGHT), most=len(FEATURES), least=len(FEATURES))
STATE = {
    "seed": from_param(PARAMS["seed"]),
    "round": whole(0, MAX_ROUNDS),
    "weights": _WEIGHTS,
    "bias": number(-WEIGHT, WEIGHT),
    "before": _WEIGHTS,
    "recent": list_of(one_of(0, 1), most=RECENT),  # 1 = that guess was right
    "last": optional(  # the last example, shown with the push it gave
        record(
            "Last",
            index=whole(0, MAX_ROUNDS - 1),
            guess=number(0, 1),
            gap=number(-1, 1),
            push=from_param(PARAMS["push"]),
            moved=_WEIGHTS,
        )
    ),
}


@lru_cache(maxsize=8)
def animals(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The whole stream of examples for a seed: animal index, features (0/1), truth (1 = cat)."""
    rng = np.random.default_rng([seed, 11])
    shares = np.array([share for share, _ in ANIMALS.values()])
    chances = np.array([p for _, p in ANIMALS.values()])
    kind = rng.choice(len(ANIMALS), size=MAX_ROUNDS, p=shares)
    features = (rng.uniform(size=(MAX_ROUNDS, len(FEATURES))) < chances[kind]).astype(float)
    return kind, features, (kind == 0).astype(float)


def guess(weights: np.ndarray, bias: float, features: np.ndarray) -> float:
    """The chance the model gives that this is a cat."""
    return float(1.0 / (1.0 + np.exp(-(bias + weights @ features))))


def one_round(weights: np.ndarray, bias: float, features: np.ndarray, truth: float, push: float):
    """Guess, measure the gap, push: returns the new weights, new bias, the guess and the gap."""
    p = guess(weights, bias, features)
    gap = truth - p  # > 0: should have said "cat" more strongly
    return weights + push * gap * features, bias + push * gap, p, gap


def fresh(seed: int) -> dict:
    zeros = [0.0] * len(FEATURES)
    return {"seed": seed, "round": 0, "weights": zeros, "bias": 0.0, "before": zeros, "recent": [], "last": None}


def run(params: dict, action: str, state) -> dict:
    push = params["push"]
    seed = params["seed"] if state is None else state.seed
    if action == "reseed":
        state = fresh(next_seed(seed, PARAMS["seed"]))
    elif action in ("init", "reset") or state is None:
        state = fresh(seed)
    else:
        state = plain(state)
    rounds = {"next": 1, "hundred": 100}.get(action, 0)
    seed, start = state["seed"], int(state["round"])
    rounds = min(rounds, MAX_ROUNDS - start)
    if rounds:
        _, features, truths = animals(seed)
        weights, bias = np.array(state["weights"], dtype=float), float(state["bias"])
        before, recent = weights.copy(), [int(r) for r in state["recent"]]
        for i in range(start, start + rounds):
            previous = weights
            weights, bias, p, gap = one_round(weights, bias, features[i], truths[i], push)
            recent = (recent + [int((p >= 0.5) == (truths[i] == 1))])[-RECENT:]
        # the last example is shown with the push it gave (its own weights before → after)
        last = {"index": i, "guess": p, "gap": gap, "push": push, "moved": (weights - previous).tolist()}
        state = {
            "seed": seed,
            "round": start + rounds,
            "weights": weights.tolist(),
            "bias": bias,
            "before": before.tolist(),
            "recent": recent,
            "last": last,
        }
    return render(state, push)


def describe(index: int, seed: int) -> tuple[str, str]:
    """The example in words: which features it has and what it really is."""
    kinds, features, _ = animals(seed)
    has = [t(f"one-example-push.f_{name}") for name, on in zip(FEATURES, features[index]) if on]
    lacks = [t(f"one-example-push.f_{name}") for name, on in zip(FEATURES, features[index]) if not on]
    key = "example" if has and lacks else "example_all" if has else "example_none"
    return (
        t(f"one-example-push.{key}", number=num(index + 1), has=", ".join(has), lacks=", ".join(lacks)),
        t(f"one-example-push.a_{list(ANIMALS)[kinds[index]]}"),
    )


def render(state: dict, push: float) -> dict:
    weights, before, rounds = state["weights"], state["before"], state["round"]
    labels = [t(f"one-example-push.f_{name}") for name in FEATURES]
    strongest = labels[int(np.argmax(weights))]
    plot = bar(
        labels,
        weights,
        previous=before,
        highlight=0,
        title=t("one-example-push.plot_title"),
        desc=t("one-example-push.plot_desc", rounds=rounds, ears=number_text(weights[0], 2), strongest=strongest),
        ylabel=t("one-example-push.y_label"),
    )
    last = state["last"]
    if last is None:
        card = tag("p", t("one-example-push.start"), class_="verdict")
        text = t("one-example-push.start")
    else:
        example, animal = describe(int(last["index"]), state["seed"])
        direction = t("one-example-push.up" if last["gap"] > 0 else "one-example-push.down")
        if any(last["moved"]):
            pushed = t(
                "one-example-push.gap",
                gap=num(last["gap"], 2),
                push=num(last["push"], 2),
                moved=num(abs(last["push"] * last["gap"]), 2),
                direction=direction,
            )
        else:  # an animal with none of the features: only the leaning moves
            pushed = t("one-example-push.gap_none", gap=num(last["gap"], 2))
        guessed = t("one-example-push.guess", guess=num(100 * last["guess"], 0, unit="%"), animal=animal)
        card = tag("p", example, class_="example") + tag("p", guessed, class_="stats") + tag("p", pushed, class_="stats")
        text = t(
            "one-example-push.summary",
            number=int(last["index"]) + 1,
            guess=f"{100 * last['guess']:.0f}",
            animal=animal,
            ears=number_text(weights[0], 2),
        )
    recent = state["recent"]
    if recent:
        key = "one-example-push.recent" if sum(recent) else "one-example-push.recent_none"
        card += tag(
            "p",
            t(key, right=num(sum(recent)), out_of=num(len(recent)), rounds=num(rounds), bias=num(state["bias"], 2)),
            class_="stats",
        )
    if rounds >= 30 and strongest == labels[0]:
        card += tag("p", t("one-example-push.ears_won", rounds=num(rounds)), class_="verdict")
    if rounds >= MAX_ROUNDS:
        card += tag("p", t("one-example-push.the_end", rounds=num(MAX_ROUNDS)), class_="verdict")
    return {"html": plot + card, "text": text, "state": state, "done": rounds >= MAX_ROUNDS}
