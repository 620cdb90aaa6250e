"""Ask about a term the model (almost) never saw: it answers fluently anyway.

The reader asks "what is X?" and the model answers the way a chatbot starts an
answer, "X הוא …", continuing word by word from its counts (``ngram``).  Each
word is shaded by the probability the model gave it, and next to the answer
stands the number of times X appeared in the training text — usually zero.

Why it happens: the model has no slot for "I don't know".  Its next-word
probabilities always sum to one; when the context "X הוא" was never seen it
backs off to what follows "הוא" in general and continues with the same
statistics it uses for everything.  The answer therefore sounds as sure as any
other — for an unseen X it is word for word the answer it would give for any
other unseen X.  Confidence here is statistics about words, not knowledge
about X.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..text import corpus

from ..models import ngram
from ..kit.i18n import rtl, t
from ..kit.markup import clean, confidence_legend, confident_word, esc, num, tag
from ..kit.plots import choice_bars
from ..kit.spec import DRAW, Param, button, draw_count, from_param, select, text
from ..text.tokenizer import detokenize, is_hebrew, is_question_word, key, spaces, tokenize

KIND = "hallucination"
SUGGESTIONS = tuple(dict.fromkeys(corpus.unseen_terms() + corpus.rare_terms())) or ("פיברופלקס",)
MIN_WORDS = 4  # an answer is at least this many words before it may stop
CANDIDATES = 5  # the likeliest first words shown with their probabilities
PARAMS = {
    "term": Param("str", SUGGESTIONS[0], max_length=40, help="what the reader asks about"),
    "suggestion": Param("choice", SUGGESTIONS[0], choices=SUGGESTIONS, help="ready-made rare and unseen terms"),
    "seed": Param("int", 0, min=0, max=10**6, help="which of the possible answers"),
    "temperature": Param("float", 0.7, min=0.0, max=1.5, help="0 = always the likeliest word"),
    "length": Param("int", 30, min=5, max=60, help="most words in an answer"),
}
CONTROLS = [
    text("term", "hallucination.term", max_length=40),
    button("ask", "hallucination.ask", primary=True),
    select("suggestion", "hallucination.suggestion", [(s, s) for s in SUGGESTIONS], keys=False, action="suggest"),
    button("again", "hallucination.again"),
]
STATE = {
    "term": from_param(PARAMS["term"]),  # what is asked: the typed term or the picked suggestion
    "draw": DRAW,
}


def subject(question: str) -> list[str]:
    """The term being asked about: the question's tokens without "מה זה", "?" and friends."""
    tokens = tokenize(clean(question))
    while tokens and is_question_word(tokens[0]):
        tokens = tokens[1:]
    while tokens and is_question_word(tokens[-1]):
        tokens = tokens[:-1]
    return tokens


def pronoun(term: list[str]) -> str:
    """ "היא" for a Hebrew word with a feminine ending (ה, ת), otherwise "הוא"."""
    last = term[-1] if term else ""
    return "היא" if is_hebrew(last) and last[-1] in "הת" else "הוא"


def answer(model: ngram.NGram, term: list[str], seed: int, temperature: float, length: int) -> ngram.Generation:
    """ "<term> הוא …" continued to the end of the sentence, at least MIN_WORDS words long
    (until then sentence ends get probability zero, like a chatbot's minimum answer length)."""
    prompt = term + [pronoun(term)]
    start = 1 + len(prompt)
    enders = [model.index[w] for w in (ngram.BREAK, ".", "!", "?") if w in model.index]

    def not_yet(history, p):
        if len(history) - start >= MIN_WORDS:
            return p
        p = p.copy()
        p[enders] = 0.0
        return p / p.sum()

    g = ngram.generate(
        model, prompt, length, temperature=temperature, seed=seed, adjust=not_yet, stop_at_break=True, top=CANDIDATES
    )
    keep = [i for i, w in enumerate(g.ids) if w != 0]

    def kept(values):
        return [values[i] for i in keep]

    return ngram.Generation(kept(g.ids), kept(g.probs), kept(g.words), kept(g.tops))


def first_choice(model: ngram.NGram, g: ngram.Generation, said: str, temperature: float) -> str:
    """The model's distribution for the answer's first word, the one right after "<term> הוא":
    the word where knowing the term would show, as bars."""
    if not g.tops:
        return ""
    ids, probs, chances = g.tops[0]
    rows = [(tag("span", esc(model.vocab[i]), class_="token"), p, q, i == g.ids[0]) for i, p, q in zip(ids, probs, chances)]
    headers = (
        t("hallucination.col_word"),
        t("hallucination.col_prob"),
        t("hallucination.col_chance", temperature=f"{temperature:.1f}"),
    )
    return choice_bars(
        rows,
        caption=esc(t("hallucination.choices_caption", pronoun=said)),
        headers=headers,
        chosen_label=t("hallucination.chosen"),
        rtl=rtl(),
    )


@lru_cache(maxsize=1)
def _keyed_lines() -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((line, tuple(key(w) for w in tokenize(line))) for line in corpus.load_lines())


def sightings(term: list[str], limit: int = 3) -> list[str]:
    """The corpus sentences the term appears in (compared by ``key``), at most ``limit``."""
    want = tuple(key(w) for w in term)
    n = len(want)
    return [line for line, keys in _keyed_lines() if any(keys[i : i + n] == want for i in range(len(keys) - n + 1))][:limit]


def run(params: dict, action: str, state) -> dict:
    model = ngram.from_corpus(3)
    if action == "suggest":
        question = params["suggestion"]
    elif action == "ask" or state is None:
        question = params["term"]
    else:
        question = state.term
    draw = draw_count(state, action, fresh=("init", "ask", "suggest"))
    new_state = {"term": question, "draw": draw}

    term = subject(question)
    if not term:
        message = t("hallucination.empty")
        return {"html": tag("p", esc(message), class_="note"), "text": message, "state": new_state}

    shown_term = detokenize(term)
    term_html = tag("bdi", esc(shown_term))  # isolated: a Latin or emoji term keeps its place
    said = pronoun(term)
    seen = ngram.count(model, term)
    g = answer(model, term, params["seed"] + draw, params["temperature"], params["length"])
    used = ngram.longest_context(model, [0] + model.ids(term + [said]))
    mean = float(np.mean(g.probs)) if g.probs else 0.0

    spoken = tag("span", term_html, class_="term") + " " + esc(said)
    for w, p, gap in zip(g.words, g.probs, spaces([said] + g.words)[1:]):
        word = confident_word(w, p, t("hallucination.token_title", percent=round(100 * p)))
        spoken += (" " if gap else "") + word
    legend = confidence_legend([t(f"hallucination.legend_{i}") for i in range(4)])

    if seen == 0:
        count_line = t("hallucination.count_zero", term=term_html)
    elif seen == 1:
        count_line = t("hallucination.count_one", term=term_html)
    else:
        count_line = t("hallucination.count_many", term=term_html, count=num(seen))
    quotes = ""
    if 0 < seen <= 3:
        quotes = tag("ul", "".join(tag("li", esc(s)) for s in sightings(term)), class_="sightings")
    backoff = t("hallucination.backoff" if used < 2 else "hallucination.context_seen", term=term_html, pronoun=said)
    verdict = t(
        "hallucination.verdict_unknown"
        if seen == 0
        else "hallucination.verdict_rare"
        if seen <= 3
        else "hallucination.verdict_known"
    )
    body = (
        tag("p", t("hallucination.question", term=term_html), class_="question")
        + tag("p", spoken, class_="answer generated", dir="rtl")
        + legend
        + first_choice(model, g, said, params["temperature"])
        + tag("p", count_line, class_="stats")
        + quotes
        + tag("p", t("hallucination.confidence", percent=num(round(100 * mean), unit="%")), class_="stats")
        + tag("p", backoff, class_="explain")
        + tag("p", esc(verdict), class_="verdict")
    )
    summary = t(
        "hallucination.summary",
        term=clean(shown_term),
        pronoun=said,
        count=seen,
        answer=detokenize(g.words),
        percent=round(100 * mean),
    )
    return {"html": body, "text": f"{summary} {verdict}", "state": new_state}
