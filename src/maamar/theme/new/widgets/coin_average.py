"""Coin flips: the average of many flips settles on the coin's true chance.

One flip is pure luck, yet the running share of heads wanders less and less as
flips pile up, and ends close to the chance of heads (the law of large numbers).
Why it works: the share after n flips is a mean of n independent 0/1 draws, so
its spread around the true chance shrinks like 1/sqrt(n).  The flips come from
``np.random.default_rng(seed)``: the same seed gives the same flips here at
build time and in the reader's browser.
"""

from __future__ import annotations

import numpy as np

from maamar_live.kit import Param, button, line, num, slider, t, tag, whole

KIND = "coin-average"
PARAMS = {
    "flips": Param("int", 200, min=10, max=2000, help="how many times the coin is flipped"),
    "chance": Param("float", 0.5, min=0.05, max=0.95, help="the coin's chance of heads"),
    "seed": Param("int", 1, min=0, max=10**6, help="which flips (the same seed, the same flips)"),
}
CONTROLS = [
    slider("flips", "coin-average.flips", step=10),
    slider("chance", "coin-average.chance", step=0.05),
    button("reflip", "coin-average.reflip", primary=True),
]
STATE = {"draws": whole(0, 10**6)}  # what the page keeps between calls: how often the reader flipped again
POINTS = 200
STRINGS = {
    "en": {
        "coin-average.title": "Many flips, one steady average",
        "coin-average.caption": "Flip a coin many times and follow the share of heads. More flips, less wobble.",
        "coin-average.flips": "Number of flips",
        "coin-average.chance": "Chance of heads",
        "coin-average.reflip": "Flip again",
        "coin-average.series": "share of heads so far",
        "coin-average.plot_title": "The share of heads settles on the coin's chance",
        "coin-average.plot_desc": "After {flips} flips the share of heads is {share}; the coin's chance is {chance} (dashed line).",
        "coin-average.x_label": "flip",
        "coin-average.y_label": "share of heads",
        "coin-average.summary": "After {flips} flips the share of heads is {share}, {gap} away from the chance {chance}.",
    },
}


def running_share(flips: np.ndarray) -> np.ndarray:
    """The share of heads after each flip: a running mean of 0/1 draws."""
    return np.cumsum(flips) / np.arange(1, len(flips) + 1)


def run(params: dict, action: str, state) -> dict:
    draws = (state.draws if state else 0) + (action == "reflip")
    rng = np.random.default_rng([params["seed"], draws])
    flips = rng.random(params["flips"]) < params["chance"]
    share = running_share(flips)
    final, chance = float(share[-1]), params["chance"]
    shown = np.unique(np.linspace(0, len(share) - 1, min(len(share), POINTS)).astype(int))  # the eye can't tell more
    plot = line(
        {t("coin-average.series"): share[shown].tolist()},
        xs=(shown + 1).tolist(),
        ylim=(0, 1),
        title=t("coin-average.plot_title"),
        desc=t("coin-average.plot_desc", flips=len(flips), share=f"{final:.3f}", chance=f"{chance:.2f}"),
        xlabel=t("coin-average.x_label"),
        ylabel=t("coin-average.y_label"),
        marker=chance,
    )
    plain = {"flips": len(flips), "share": f"{final:.3f}", "gap": f"{abs(final - chance):.3f}", "chance": f"{chance:.2f}"}
    isolated = {
        name: num(value) if isinstance(value, int) else tag("bdi", value, class_="num", dir="ltr")
        for name, value in plain.items()
    }
    stats = tag("p", t("coin-average.summary", **isolated), class_="stats")
    return {"html": plot + stats, "text": t("coin-average.summary", **plain), "state": {"draws": draws}}
