"""Why the answer comes almost instantly: training is long, answering is a replay.

The reader trains a small character model on the site's corpus (the loss curve
grows live, chunk by chunk) and then asks it to continue a prompt.  Both are
timed.  Training needs thousands of forward-and-backward passes over examples;
the answer needs one forward pass per character through the weights that
training left behind.  The model does not hold the training text and does not
search it — its ~7,500 numbers are all it has, and "answering" is multiplying
the prompt through them.  That is the article's "it doesn't search Google, it
replays connections it practised".

"Train" is a play button, as in TensorFlow Playground: each tick of the binder's
loop is ``TICK`` training steps (a few ms in CPython), after which the curve, the
numbers and the answer to the current prompt are redrawn, until the reader
pauses or ``MAX_STEPS`` is reached.

Measured times vary from run to run, so they live only in the element with
class ``timing`` and in ``state["timing"]``; everything else is deterministic.
"""

from __future__ import annotations

import time

import numpy as np

from ..models import charlm
from ..text.corpus import load_text
from ..kit.i18n import t
from ..kit.markup import esc, how, num, tag
from ..kit.plots import line
from ..kit.spec import Param, StateError, button, number, record, text, whole

KIND = "instant-answer"
MAX_STEPS = 1500  # where the train button stops (≈ 0.45 s CPython, ≈ 3 s in the browser)
TICK = 20  # training steps per play tick (≈ 7 ms in CPython): the curve and the answer redraw after each
PARAMS = {
    "prompt": Param("str", "החתול ", max_length=40, help="the beginning the model continues"),
    "seed": Param("int", 0, min=0, max=10**6, help="initial weights, minibatches and sampling"),
    "start_steps": Param("int", 0, min=0, max=MAX_STEPS, help="training steps already done when the page opens"),
    "length": Param("int", 80, min=10, max=200, help="characters in the answer"),
    "temperature": Param("float", 0.5, min=0.0, max=1.5, help="0 = always the likeliest character"),
}
CONTROLS = [
    button("train", "instant-answer.train", repeat=True, pause_label="instant-answer.pause", primary=True),
    text("prompt", "instant-answer.prompt", max_length=40),
    button("ask", "instant-answer.ask"),
    button("reset", "instant-answer.reset"),
]
STATE = {
    "steps": whole(0, MAX_STEPS),  # training steps done, whole ticks (``check``)
    "timing": record("Timing", train_seconds=number(0, 10**6)),  # measured: the only part that varies
}


def curve(model: charlm.Model, every: int = TICK, window: int = charlm.CHUNK) -> tuple[list[int], list[float]]:
    """The smoothed learning curve: after every tick, the mean minibatch loss of the last
    ``window`` steps (one step's loss jumps with its random minibatch)."""
    losses = np.asarray(model.losses)
    ends = range(every, len(losses) + 1, every)
    return list(ends), [round(float(losses[max(0, end - window) : end].mean()), 4) for end in ends]


def answer(model: charlm.Model, prompt: str, length: int, temperature: float, seed: int) -> tuple[str, float]:
    """The continuation and how long it took (seconds, wall clock)."""
    start = time.perf_counter()
    out, _ = charlm.sample(model, prompt, length, temperature=temperature, seed=seed)
    return out, time.perf_counter() - start


def check(state) -> None:
    """What ``STATE`` cannot say: training goes tick by tick."""
    if state.steps % TICK:
        raise StateError(f"steps: must be a multiple of {TICK}, got {state.steps}")


def run(params: dict, action: str, state) -> dict:
    corpus = load_text()
    seed = params["seed"]
    if state is not None:
        check(state)
    if state is None or action == "reset":
        steps, train_seconds = (0 if action == "reset" else params["start_steps"] // TICK * TICK), 0.0
    else:
        steps, train_seconds = state.steps, state.timing.train_seconds

    if action == "train" and steps < MAX_STEPS:
        target = min(steps + TICK, MAX_STEPS)
        started = time.perf_counter()
        charlm.trained(corpus, seed, target, chunk=TICK)
        train_seconds += time.perf_counter() - started
        steps = target
    model = charlm.trained(corpus, seed, steps, chunk=TICK)

    raw_prompt = params["prompt"]
    prompt = charlm.clean(raw_prompt).replace(charlm.BREAK, " ")
    notes = []
    if raw_prompt.strip() and not prompt.strip():
        notes.append(t("instant-answer.unknown_letters"))
    else:
        dropped = sum(not ch.isspace() for ch in raw_prompt) - sum(not ch.isspace() for ch in prompt)
        if dropped > 0:
            notes.append(t("instant-answer.dropped", count=dropped))
    reply, reply_seconds = answer(model, prompt, params["length"], params["temperature"], seed)

    xs, ys = curve(model)
    last = ys[-1] if ys else None
    examples = steps * charlm.BATCH
    plot = line(
        {t("instant-answer.series_loss"): ys},
        xs=xs or [0],
        xlim=(0, MAX_STEPS),  # the curve grows into a fixed frame, as the loop runs
        ylim=(1.5, 3.6),
        marker=charlm.USABLE_LOSS,
        title=t("instant-answer.plot_title"),
        desc=t(
            "instant-answer.plot_desc",
            steps=steps,
            loss=f"{last:.2f}" if last is not None else "—",
            usable=f"{charlm.USABLE_LOSS:.2f}",
        ),
        xlabel=t("instant-answer.x_label"),
        ylabel=t("instant-answer.y_label"),
    )
    if steps == 0:
        verdict = t("instant-answer.untrained")
    elif last is not None and last <= charlm.USABLE_LOSS:
        verdict = t("instant-answer.usable")
    else:
        verdict = t("instant-answer.training")
    # The pre-render shows no time: it would be the build machine's, not the reader's.
    timing_line = (
        esc(t("instant-answer.timing_later"))
        if action == "init"
        else t("instant-answer.timing", train=num(train_seconds, 2), answer=num(reply_seconds * 1000, 1))
    )
    explain = (
        ""
        if steps == 0
        else how(
            t(
                "instant-answer.explain",
                steps=num(steps),
                batch=num(charlm.BATCH),
                examples=num(examples),
                chars=num(params["length"]),
                flops=num(charlm.flops_per_char(model)),
                size=num(model.size),
                corpus=num(len(corpus)),
            )
        )
    )
    # a sentence break is the same visible mark as in repetition-loop: ↵
    shown = tag("span", esc(t("repetition-loop.break")), class_="break").join(esc(part) for part in reply.split(charlm.BREAK))
    body = (
        plot
        + tag(
            "p",
            t("instant-answer.stats", steps=num(steps), examples=num(examples), loss=num(last, 2) if last is not None else "—"),
            class_="stats",
        )
        + tag("p", timing_line, class_="timing")
        + tag("p", tag("span", esc(prompt), class_="prompt") + tag("span", shown, class_="generated"), class_="answer", dir="rtl")
        + "".join(tag("p", esc(n), class_="note") for n in notes)
        + tag("p", esc(verdict), class_="verdict")
        + explain
    )
    summary = t("instant-answer.summary", steps=steps, loss=f"{last:.2f}" if last is not None else "—")
    return {
        "html": body,
        "text": f"{summary} {verdict}",
        "state": {"steps": steps, "timing": {"train_seconds": round(train_seconds, 4)}},
        "done": steps >= MAX_STEPS,
    }
