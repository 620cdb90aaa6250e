"""Which words keep company: "the word 'חתול' appears close to 'חלב' in texts".

The model (``models.cooccurrence``) counts, in the site's Hebrew corpus, how
often every pair of words meets within ``window`` words, turns the counts into
PPMI and squeezes each word's row into ``dims`` numbers with a truncated SVD.
Words whose vectors point the same way keep the same company — "חלב" and
"חתול" because they are each other's company, "נבח" and "כלב" likewise, and
sometimes two words that never met at all but are surrounded by the same words.

This widget finds the word the reader typed (prefixes cut off, close spellings
suggested for unknown words), ranks its neighbours and shows the counts behind
the nearest one.
"""

from __future__ import annotations

import difflib
from collections import Counter
from functools import lru_cache

import numpy as np

from ..models.cooccurrence import STOPWORDS, cooccurrence, frequencies, neighbours, word_index, vocabulary
from ..text import corpus
from ..kit.i18n import rtl, t
from ..kit.markup import clean, isolate, num, tag
from ..kit.plots import bar, heatmap
from ..kit.spec import Param, button, select, slider, text, words
from ..text.tokenizer import is_hebrew, key, prefix_splits, tokenize

KIND = "word-neighbours"
SUGGESTIONS = ("חתול", "כלב", "חלב", "בורג", "מדף", "משקולות", "גשם", "מורה", "סבתא")
MAX_INPUT = 40
SATURATED = 0.98  # every shown neighbour at least this similar: too few numbers to tell them apart
PARAMS = {
    "word": Param("str", "חתול", max_length=MAX_INPUT, help="the word typed by the reader"),
    "suggestion": Param("choice", SUGGESTIONS[0], choices=SUGGESTIONS, help="ready-made words"),
    "window": Param("int", 5, min=1, max=8, help="how many words apart still count as 'close'"),
    "dims": Param("int", 60, min=2, max=100, help="numbers per word vector"),
    "count": Param("int", 8, min=3, max=12, help="how many neighbours to show"),
}
CONTROLS = [
    select("suggestion", "word-neighbours.suggestion", [(s, s) for s in SUGGESTIONS], keys=False, action="pick"),
    text("word", "word-neighbours.word", max_length=MAX_INPUT),
    button("look", "word-neighbours.look", primary=True),
    slider("dims", "word-neighbours.dims", step=1, action="update", live=True),  # ~6 ms
]
STATE = {"word": words(MAX_INPUT)}  # the word on screen


def find(typed: str) -> dict:
    """What the reader's text refers to: ``{"status": ..., ...}``.

    Tries each typed Hebrew word as it is, then without one to three prefix
    letters (comparing with final letters folded, so "שלומ" finds "שלום");
    otherwise says why there is nothing to show: empty, not Hebrew, a glue word,
    too rare to place, or never seen — with the closest known spellings.
    """
    tokens = tokenize(clean(typed)[: MAX_INPUT * 4])
    hebrew = [tok for tok in tokens if is_hebrew(tok)]
    if not tokens:
        return {"status": "empty"}
    if not hebrew:
        return {"status": "not_hebrew"}
    index = word_index()
    for word in hebrew:  # the first word the model knows; any others are mentioned
        for cut, rest in [("", word)] + list(prefix_splits(word)):
            if key(rest) in index:
                return {"status": "found", "key": key(rest), "typed": word, "cut": cut, "extra": len(hebrew) > 1}
    word = hebrew[0]
    forms = [key(word)] + [key(rest) for _, rest in prefix_splits(word)]
    if any(f in STOPWORDS for f in forms):
        return {"status": "glue", "typed": word}
    times = mentions(forms[0]) or max(mentions(f) for f in forms)
    if times:
        return {"status": "rare", "typed": word, "times": times}
    # Close spellings among every corpus word, so "טרפזון" leads to the rare "טרפזונט".
    close = difflib.get_close_matches(forms[0], written()[0], n=4, cutoff=0.6)
    return {"status": "unknown", "typed": word, "close": close}


@lru_cache(maxsize=1)
def written() -> tuple[tuple[str, ...], Counter, dict[str, str]]:
    """Every Hebrew word of the corpus as written (prefixes not cut, glue words and
    all): the keys in a fixed order, their counts, and a written form for each."""
    tokens = [tok for line in corpus.load_lines() for tok in tokenize(line) if is_hebrew(tok)]
    counts = Counter(key(tok) for tok in tokens)
    forms = {}
    for tok in tokens:
        forms.setdefault(key(tok), tok)
    return tuple(sorted(counts)), counts, forms


def mentions(word_key: str) -> int:
    """How often a word appears in the corpus as written."""
    return written()[1].get(word_key, 0)


def _times(n: int) -> str:
    return t("word-neighbours.once") if n == 1 else t("word-neighbours.times", n=num(n))


def _listing(words) -> str:
    return ", ".join(isolate(w) for w in words)


def _chosen_word(params: dict, action: str, state) -> str:
    """The word to show: the picked suggestion, the typed text, or the one on screen."""
    if action == "pick":
        return params["suggestion"]
    if action == "look" or state is None:
        return params["word"] if action == "look" or params["word"].strip() else params["suggestion"]
    return state.word


def _explain(found: dict) -> tuple[str, str]:
    """Markup and plain text for an input the model has nothing to show for."""
    status = found["status"]
    typed = found.get("typed", "")
    if status == "rare":
        message = t("word-neighbours.rare", word=isolate(typed), times=_times(found["times"]))
    elif status == "unknown":
        message = t("word-neighbours.unknown", word=isolate(typed))
        if found["close"]:
            message += " " + t("word-neighbours.close", words=_listing(_shown(k) for k in found["close"]))
        else:
            message += " " + t("word-neighbours.try", words=_listing(SUGGESTIONS[:4]))
    elif status == "glue":
        message = t("word-neighbours.glue", word=isolate(typed))
    else:  # empty, not_hebrew
        message = t(f"word-neighbours.{status}")
    plain = clean(message.replace('<bdi class="num" dir="ltr">', "").replace("</bdi>", ""))
    return tag("p", message, class_="verdict"), plain


def _shown(word_key: str) -> str:
    """The written form of a key (final letters restored): the model's, else the corpus's."""
    return frequencies()[1].get(word_key) or written()[2].get(word_key, word_key)


def run(params: dict, action: str, state) -> dict:
    window, dims, count = params["window"], params["dims"], params["count"]
    asked = _chosen_word(params, action, state)
    found = find(asked)
    state = {"word": clean(asked, MAX_INPUT)}
    if found["status"] != "found":
        body, plain = _explain(found)
        return {"html": body, "text": plain, "state": state, "done": True}

    vocab, counts = vocabulary(), cooccurrence(window)
    index = word_index()
    me = found["key"]
    word = _shown(me)
    dims = min(dims, len(vocab))
    near = neighbours(me, window, dims, count)
    seen, _ = frequencies()

    notes = []
    if found["cut"]:
        notes.append(t("word-neighbours.cut_note", typed=isolate(found["typed"]), cut=isolate(found["cut"]), word=isolate(word)))
    if found["extra"]:
        notes.append(t("word-neighbours.extra_note", word=isolate(word)))
    head = "".join(tag("p", n, class_="note") for n in notes)
    head += tag("p", t("word-neighbours.heading", word=isolate(word), times=_times(seen[me])), class_="stats")

    labels = [_shown(k) for k, _ in near]
    plot = bar(
        labels,
        [round(s, 2) for _, s in near],
        title=t("word-neighbours.plot_title", word=word),
        desc=t("word-neighbours.plot_desc", word=word, words=", ".join(f"{w} {s:.2f}" for w, (_, s) in zip(labels, near))),
        ylabel=t("word-neighbours.y_label"),
        rtl=rtl(),  # rank 1 where a reader starts reading
    )

    rows = []
    for label, (k, sim) in zip(labels, near):
        together = int(counts[index[me], index[k]])
        if together:
            why = t(
                "word-neighbours.together", other=isolate(label), word=isolate(word), window=num(window), times=_times(together)
            )
        else:
            why = t("word-neighbours.never_together", other=isolate(label), word=isolate(word))
        rows.append(tag("li", tag("span", isolate(label), class_="word") + " " + num(sim) + " · " + why))
    listing = tag("ol", "".join(rows), class_="neighbours")
    if near and min(s for _, s in near) >= SATURATED:
        # With a handful of dimensions cosine similarity saturates: few directions, many words.
        listing = tag("p", t("word-neighbours.saturated", dims=num(dims), one=num(1.0)), class_="note") + listing

    row = counts[index[me]]
    partners = [j for j in np.argsort(-row, kind="stable")[:5] if row[j] > 0]
    company = (
        tag(
            "p",
            t(
                "word-neighbours.company",
                word=isolate(word),
                window=num(window),
                words=", ".join(f"{isolate(_shown(vocab[j]))} ({num(int(row[j]))})" for j in partners),
            ),
            class_="company",
        )
        if partners
        else ""
    )

    group = [me] + [k for k, _ in near[:5]]
    ids = [index[k] for k in group]
    names = [_shown(k) for k in group]
    grid = heatmap(
        [[int(counts[a, b]) if a != b else 0 for b in ids] for a in ids],
        title=t("word-neighbours.heat_title", word=word),
        desc=t("word-neighbours.heat_desc", word=word, window=window),
        row_labels=names,
        col_labels=names,
    )

    stats = tag("p", t("word-neighbours.stats", vocab=num(len(vocab)), dims=num(dims), window=num(window)), class_="stats")
    summary = t("word-neighbours.summary", word=word, words=", ".join(labels[:3]))
    first = near[0]
    first_count = int(counts[index[me], index[first[0]]])
    summary += " " + (
        t(
            "word-neighbours.summary_together",
            other=labels[0],
            word=word,
            window=window,
            times=t("word-neighbours.once") if first_count == 1 else t("word-neighbours.times", n=first_count),
        )
        if first_count
        else t("word-neighbours.summary_never", other=labels[0], word=word)
    )
    return {"html": head + plot + listing + company + grid + stats, "text": summary, "state": {"word": word}, "done": True}
