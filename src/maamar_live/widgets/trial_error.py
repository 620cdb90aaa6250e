"""Trial and error: assembling a shelf by the booklet.

The model guesses one number — the height of a shelf in the booklet's picture —
measures how far off it is, and corrects by a fraction of the error ("how boldly
it corrects").  That is gradient descent on the squared error
``(guess - target)² / 2``, whose gradient is exactly ``guess - target``; with a
boldness between 0 and 1 the error shrinks by the factor ``1 - boldness`` every
try, above 1 it overshoots, and at 2 or more it never settles.
"""

from __future__ import annotations

from ..kit.i18n import t
from ..kit.markup import esc, num, tag
from ..kit.plots import line
from ..kit.spec import Param, button, list_of, number, slider

KIND = "trial-error"
PARAMS = {
    "target": Param("float", 42.0, min=1, max=100, help="the shelf height (cm) the model is looking for"),
    "start": Param("float", 10.0, min=0, max=100, help="the first guess"),
    "boldness": Param("float", 0.3, min=0.05, max=2.2, help="fraction of the error corrected per try"),
    "max_tries": Param("int", 30, min=5, max=100, help="how many tries 'run to the end' makes"),
}
CONTROLS = [
    # Live: the whole trajectory is redrawn for every value passed while dragging (< 1 ms).
    slider("boldness", "trial-error.boldness", step=0.05, action="trace", live=True),
    button("step", "trial-error.step", primary=True),
    button("finish", "trial-error.finish"),
    button("reset", "trial-error.reset"),
]
STATE = {"guesses": list_of(number(), most=PARAMS["max_tries"].max + 1, least=1)}  # the guesses so far
CLOSE_ENOUGH = 0.5  # cm: within half a centimetre the shelf "stands in place"


def correct(guess: float, target: float, boldness: float) -> float:
    """One try: measure the error, move against it by ``boldness`` of its size."""
    error = guess - target
    return guess - boldness * error


def run(params: dict, action: str, state) -> dict:
    target, boldness = params["target"], params["boldness"]
    if state is None or action in ("init", "reset", "trace"):
        guesses = [params["start"]]
    else:
        guesses = list(state.guesses)
    if action == "step" and len(guesses) <= params["max_tries"]:
        guesses.append(correct(guesses[-1], target, boldness))
    elif action in ("finish", "trace"):
        while len(guesses) <= params["max_tries"] and abs(guesses[-1] - target) > CLOSE_ENOUGH / 10:
            guesses.append(correct(guesses[-1], target, boldness))
    tries = len(guesses) - 1
    error = guesses[-1] - target
    settled = abs(error) <= CLOSE_ENOUGH
    diverging = tries >= 3 and abs(error) > abs(guesses[0] - target)
    # a correction of more than the whole error lands on the other side of the target
    overshot = any((a - target) * (b - target) < 0 for a, b in zip(guesses, guesses[1:]))
    plot = line(
        {t("trial-error.series_guess"): [min(max(g, -500), 600) for g in guesses]},
        title=t("trial-error.plot_title"),
        desc=t("trial-error.plot_desc", tries=tries, last=f"{guesses[-1]:.1f}", target=f"{target:g}"),
        xlabel=t("trial-error.x_label"),
        ylabel=t("trial-error.y_label"),
        marker=target,
        xlim=(0, max(10, tries)),
    )
    if settled:
        verdict = t("trial-error.settled_overshot" if overshot else "trial-error.settled", tries=tries)
    elif diverging:
        verdict = t("trial-error.diverging")
    else:
        verdict = t("trial-error.not_yet_overshot" if overshot else "trial-error.not_yet")
    summary = t("trial-error.summary", tries=tries, guess=f"{guesses[-1]:.1f}", error=f"{abs(error):.1f}")
    body = (
        plot
        + tag("p", t("trial-error.stats", tries=num(tries), guess=num(guesses[-1], 1), error=num(abs(error), 1)), class_="stats")
        + tag("p", esc(verdict), class_="verdict")
    )
    return {
        "html": body,
        "text": f"{summary} {verdict}",
        "state": {"guesses": guesses},
        "done": settled or tries >= params["max_tries"],
    }
