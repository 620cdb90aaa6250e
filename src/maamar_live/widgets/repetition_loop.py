"""The model gets stuck: greedy decoding falls into a loop of the same few words.

A trigram model (``ngram``) chooses each word from the last pair of words.
Greedy decoding always takes the likeliest one, so the next pair is a fixed
function of the current pair — and with finitely many pairs the text must
eventually revisit a pair and from then on repeat forever.  For "תודה רבה"
the counts say that after "רבה ," comes "תודה" again: the continuation of the
pair is the same pair.  Nothing in training said "don't loop forever", so
nothing stops it.

``find_loop`` finds the repeating unit.  Two common fixes break it: sampling
with a temperature (sometimes take a less likely word, which leads off the
cycle) and a repetition penalty (divide the probability of every word already
said, so the loop's words lose to fresh ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..models import ngram
from ..kit.i18n import rtl, t
from ..kit.markup import esc, isolate, num, tag
from ..kit.plots import choice_bars
from ..kit.spec import DRAW, Param, button, draw_count, slider, text
from ..text.tokenizer import detokenize, tokenize

KIND = "repetition-loop"
MIN_REPEATS = 3
CANDIDATES = 5  # the likeliest next words shown for one step
PARAMS = {
    "prompt": Param("str", "תודה רבה", max_length=40, help="the words the model starts from"),
    "temperature": Param("float", 0.0, min=0.0, max=1.5, help="0 = always the likeliest word (greedy)"),
    "penalty": Param("float", 1.0, min=1.0, max=3.0, help="divide the probability of words already said"),
    "length": Param("int", 40, min=10, max=120, help="words to generate"),
    "seed": Param("int", 0, min=0, max=10**6, help="random numbers for sampling"),
}
CONTROLS = [
    text("prompt", "repetition-loop.prompt", max_length=40),
    button("go", "repetition-loop.go", primary=True),
    slider("temperature", "repetition-loop.temperature", step=0.1, live=True),  # ~4 ms
    slider("penalty", "repetition-loop.penalty", step=0.1, live=True),
    button("again", "repetition-loop.again"),
]
STATE = {"draw": DRAW}


@dataclass(frozen=True)
class Loop:
    start: int  # index of the first token of the first repetition
    unit: tuple  # the repeating tokens
    repeats: int  # how many full times it repeats in a row


def find_loop(tokens: Sequence, min_repeats: int = MIN_REPEATS) -> Loop | None:
    """The earliest run where a unit of tokens repeats ``min_repeats`` times back to back.

    For each period p, ``same[i]`` says token i equals token i+p; a run of
    (min_repeats-1)·p such matches is exactly min_repeats copies of a p-token
    unit.  Earliest start wins, then the shortest unit."""
    ids = {tok: i for i, tok in enumerate(dict.fromkeys(tokens))}
    seq = np.array([ids[tok] for tok in tokens], dtype=np.intp)
    best = None
    for p in range(1, len(seq) // min_repeats + 1):
        same = np.concatenate([[0], (seq[p:] == seq[:-p]).astype(np.int8), [0]])
        edges = np.flatnonzero(np.diff(same))
        starts, ends = edges[::2], edges[1::2]
        long_enough = np.flatnonzero(ends - starts >= (min_repeats - 1) * p)
        if long_enough.size:
            i = long_enough[0]
            start = int(starts[i])
            if best is None or start < best.start:
                best = Loop(start, tuple(tokens[start : start + p]), int((ends[i] - start + p) // p))
    return best


def sentence_order(unit: tuple) -> tuple:
    """The unit rotated to start a sentence when it spans a sentence break (for showing it)."""
    if ngram.BREAK not in unit:
        return unit
    k = unit.index(ngram.BREAK) + 1
    return unit[k:] + unit[:k]


def continue_text(
    model: ngram.NGram, prompt: list[str], length: int, temperature: float, penalty: float, seed: int
) -> ngram.Generation:
    return ngram.generate(model, prompt, length, temperature=temperature, penalty=penalty, seed=seed, top=CANDIDATES)


def _show(token: str) -> str:
    return t("repetition-loop.break") if token == ngram.BREAK else token


def chip(token: str) -> str:
    """One token in a box, so a bare comma or the sentence-break mark reads as a token, not a typo."""
    return tag("span", isolate(_show(token)), class_="token")


def chips(tokens) -> str:
    return " ".join(chip(w) for w in tokens)


def shown_step(prompt: list[str], loop: Loop | None) -> int:
    """The generated word whose choice is shown: the one that closes the loop (the first
    word of its second round), or the first word when there is no loop."""
    if loop is None:
        return 0
    return max(loop.start + len(loop.unit) - len(prompt), 0)


def choices(model: ngram.NGram, tokens: list[str], prompt: list[str], g: ngram.Generation, step: int, temperature: float) -> str:
    """The model's distribution at one step: the top words, their probabilities and chances."""
    if not g.tops or step >= len(g.tops):
        return ""
    ids, probs, chances = g.tops[step]
    at = len(prompt) + step
    pair = ([ngram.BREAK] + tokens[:at])[-2:]
    rows = [(chip(model.vocab[i]), p, q, i == g.ids[step]) for i, p, q in zip(ids, probs, chances)]
    headers = (
        t("repetition-loop.col_word"),
        t("repetition-loop.col_prob"),
        t("repetition-loop.col_chance", temperature=f"{temperature:.1f}"),
    )
    pair_html = isolate(" ".join(_show(w) for w in pair))
    caption = t("repetition-loop.choices_caption", pair=pair_html, step=step + 1)
    return choice_bars(rows, caption=caption, headers=headers, chosen_label=t("repetition-loop.chosen"), rtl=rtl())


def _words(tokens) -> str:
    """Tokens as text; a sentence break becomes a visible mark."""
    out, run = [], []
    for tok in tokens:
        if tok == ngram.BREAK:
            if run:
                out.append(esc(detokenize(run)))
                run = []
            out.append(tag("span", esc(_show(tok)), class_="break"))
        else:
            run.append(tok)
    if run:
        out.append(esc(detokenize(run)))
    return " ".join(out)


def render(tokens: list[str], loop: Loop | None) -> str:
    if loop is None:
        return _words(tokens)
    end = loop.start + loop.repeats * len(loop.unit)
    parts = [_words(tokens[: loop.start])] if loop.start else []
    for r in range(loop.repeats):
        piece = tokens[loop.start + r * len(loop.unit) : loop.start + (r + 1) * len(loop.unit)]
        parts.append(tag("mark", _words(piece), class_=f"loop loop-{'ab'[r % 2]}"))
    if end < len(tokens):
        parts.append(_words(tokens[end:]))
    return " ".join(parts)


def why(model: ngram.NGram, tokens: list[str], loop: Loop) -> str:
    """One row per step of the loop: the pair the model saw, what followed it in training."""
    rows = [
        tag(
            "tr",
            tag("th", esc(t("repetition-loop.col_pair")), scope="col")
            + tag("th", esc(t("repetition-loop.col_next")), scope="col")
            + tag("th", esc(t("repetition-loop.col_counts")), scope="col"),
        )
    ]
    history = [ngram.BREAK] + list(tokens)  # the model saw a sentence start before the prompt
    second = loop.start + len(loop.unit) + 1  # rows from the second repetition: all pairs are inside the loop
    for i in range(second, second + min(len(loop.unit), 8)):
        pair, chosen = history[i - 2 : i], history[i]
        everything = ngram.followers(model, pair, top=10**6)
        if everything:
            counts = " · ".join(t("repetition-loop.count", word=chip(w), count=num(c)) for w, c in everything[:3])
            counts += " " + esc(t("repetition-loop.of_total", total=sum(c for _, c in everything)))
        else:
            counts = esc(t("repetition-loop.unseen_pair"))
        rows.append(tag("tr", tag("td", chips(pair)) + tag("td", chip(chosen)) + tag("td", counts)))
    return tag("table", tag("caption", esc(t("repetition-loop.table_caption"))) + "".join(rows), class_="counts")


def run(params: dict, action: str, state) -> dict:
    model = ngram.from_corpus(3)
    draw = draw_count(state, action, fresh=("init", "go"))
    prompt = tokenize(params["prompt"])[:20]
    note = ""
    if not prompt:
        prompt = tokenize(PARAMS["prompt"].initial())
        note = tag("p", esc(t("repetition-loop.empty")), class_="note")
    temperature, penalty = params["temperature"], params["penalty"]
    g = continue_text(model, prompt, params["length"], temperature, penalty, params["seed"] + draw)
    tokens = list(prompt) + g.words
    loop = find_loop(tokens)

    if loop is not None:
        unit = detokenize(w for w in sentence_order(loop.unit) if w != ngram.BREAK) or _show(loop.unit[0])
        verdict = t("repetition-loop.found", unit=isolate(unit), repeats=num(loop.repeats), size=num(len(loop.unit)))
        details = why(model, tokens, loop)
        greedy = temperature == 0 and penalty == 1
        hint = t("repetition-loop.hint_greedy" if greedy else "repetition-loop.hint_still")
        summary = t("repetition-loop.summary_loop", unit=unit, repeats=loop.repeats)
    else:
        verdict = t("repetition-loop.none")
        details = ""
        reasons = []
        if temperature > 0:
            reasons.append(t("repetition-loop.why_temperature"))
        if penalty > 1:
            reasons.append(t("repetition-loop.why_penalty"))
        hint = " ".join(reasons) or t("repetition-loop.why_lucky")
        summary = t("repetition-loop.summary_none")
    body = (
        note
        + tag("p", render(tokens, loop), class_="generated", dir="rtl")
        + tag("p", t("repetition-loop.settings", temperature=num(temperature, 1), penalty=num(penalty, 1)), class_="stats")
        + tag("p", verdict, class_="verdict")
        + choices(model, tokens, prompt, g, shown_step(prompt, loop), temperature)
        + details
        + tag("p", esc(hint), class_="explain")
    )
    return {"html": body, "text": summary, "state": {"draw": draw}}
