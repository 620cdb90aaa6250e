"""A copying (pointer) decoder: a language model that can also copy from its prompt.

The trigram model of the corpus (``ngram``) continues an answer from its counts.
Given facts in the prompt it gets a second source: a copy component that looks
for the last one or two words of the answer in the facts and proposes whatever
came right after them there — the way real models reuse what is in their
window.  Each step mixes the two: ``p = (1 − weight)·p_training + weight·p_copy``
(when the copy found a match).  Nothing in the model changes; the prompt adds
probability to the facts' next words for this one answer.

Words that exist only in the facts join the vocabulary with zero counts, so the
model can write them only by copying.  Hebrew glues "in/the/and" to the next
word, so "בטלפון" and "הטלפון" count as the same word when looking for a match
(``text.tokenizer.same_word``).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from ..text.tokenizer import same_word
from . import ngram

MAX_WORDS = 16  # longest answer
MIN_WORDS = 2  # an answer is at least this many words before it may end
ENDERS = (".", "!", "?")


@lru_cache(maxsize=32)
def with_words(words: tuple[str, ...]) -> ngram.NGram:
    """The corpus model with ``words`` added to its vocabulary with zero counts — like
    ``ngram.build(..., vocabulary=words)``, without recounting: the counts are shared."""
    base = ngram.from_corpus(3)
    new = [w for w in dict.fromkeys(words) if w not in base.index]
    if not new:
        return base
    index = dict(base.index)
    index.update((w, base.size + i) for i, w in enumerate(new))
    return dataclasses.replace(base, vocab=base.vocab + new, index=index)


@dataclasses.dataclass(frozen=True)
class Answer:
    words: tuple[str, ...]
    probs: tuple[float, ...]
    copied: tuple[bool, ...]  # the copy gave this word more probability than training did
    new: tuple[bool, ...]  # a word training never saw: only copying can write it
    sources: frozenset  # positions in the facts stream the copied words came from
    matched: int  # steps at which the copy found the last word(s) in the facts


def copy_scores(stream: list[str], said: list[str]) -> np.ndarray:
    """For every position j of the facts: did the word before it match the answer's last
    word (1), and the two words before it the last two (3)?  The pointer's attention.

    A punctuation mark alone is no anchor (every text has commas): after one, only a
    two-word match counts ("הטלפון :" but not any ":")."""
    scores = np.zeros(len(stream))
    if not said:
        return scores
    last, prev = said[-1], said[-2] if len(said) > 1 else None
    alone = 1.0 if any(ch.isalnum() for ch in last) else 0.0
    for j in range(1, len(stream)):
        before = stream[j - 1]
        if before != ngram.BREAK and same_word(before, last):
            scores[j] = alone
            if prev is not None and j >= 2 and stream[j - 2] != ngram.BREAK and same_word(stream[j - 2], prev):
                scores[j] = 3.0
    return scores


@lru_cache(maxsize=64)
def answer(
    facts: tuple[tuple[str, ...], ...], start: tuple[str, ...], weight: float, temperature: float = 0.0, seed: int = 0
) -> Answer:
    """Continue ``start`` to the end of the sentence, each step mixing the trigram guess with
    the copy guess: p = (1 − weight)·p_training + weight·p_copy (when the copy found a match)."""
    stream = [ngram.BREAK]
    for sentence in facts:
        stream += list(sentence) + [ngram.BREAK]
    model = with_words(tuple(w for s in facts for w in s))
    ids = np.array(model.ids(stream), dtype=np.intp)
    enders = [model.index[w] for w in (ngram.BREAK,) + ENDERS if w in model.index]
    begin = 1 + len(start)
    steps: list[tuple[np.ndarray, np.ndarray | None, np.ndarray | None]] = []

    def mix(history, p):
        said = list(start) + model.words(history[begin:])
        scores = copy_scores(stream, said) if facts and weight > 0 else np.zeros(0)
        copy = None
        if scores.any():
            copy = np.bincount(ids, weights=scores, minlength=model.size) / scores.sum()
            mixed = (1 - weight) * p + weight * copy
        else:
            mixed = p
        if len(history) - begin < MIN_WORDS:
            mixed = mixed.copy()
            mixed[enders] = 0.0
            mixed = mixed / mixed.sum()
        steps.append((p, copy, scores if copy is not None else None))
        return mixed

    g = ngram.generate(model, list(start), MAX_WORDS, temperature=temperature, seed=seed, adjust=mix, stop_at_break=True)
    base = ngram.from_corpus(3).size
    words, probs, flags, new, sources = [], [], [], [], set()
    for choice, word, prob, (p, copy, scores) in zip(g.ids, g.words, g.probs, steps):
        if choice == 0:
            break
        copied = copy is not None and weight * copy[choice] > (1 - weight) * p[choice]
        words.append(word)
        probs.append(prob)
        flags.append(bool(copied))
        new.append(choice >= base)
        if copied:
            sources.update(int(j) for j in np.flatnonzero((scores > 0) & (ids == choice)))
    matched = sum(c is not None for _, c, _ in steps)
    return Answer(tuple(words), tuple(probs), tuple(flags), tuple(new), frozenset(sources), matched)
