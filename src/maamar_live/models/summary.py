"""Extractive summaries and answers by word rarity (TF‑IDF), over the site's corpus.

A sentence's score is the mean IDF of its distinct words — how rare they are in
the training text — times one plus the number of "entities" in it: words the
training text never contained (names, allergies) and numbers.  A summary keeps
sentences best first while they score at least ``main_share`` of the best one,
fit a word budget and add words not already covered: small talk scores low
because every word of it is common; facts score high because they carry names
and things no training text mentions.

An answer is found only in the text it is given (a model's window): the clause
that best overlaps the question, each shared word weighted by its IDF, and from
it the run of words around its rarest word that the question did not contain.
When no clause covers ``share`` of the question's weight there is no answer.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..text import corpus
from ..text.tokenizer import detokenize, forms, key, tokenize


def is_word(token: str) -> bool:
    return any(ch.isalnum() for ch in token)


@lru_cache(maxsize=1)
def document_frequency() -> tuple[dict[str, int], int]:
    """In how many corpus lines each word form occurs (prefixes allowed: "הכלב" counts for "כלב")."""
    df: dict[str, int] = {}
    lines = corpus.load_lines()
    for line in lines:
        for f in {f for w in tokenize(line) for f in forms(w)}:
            df[f] = df.get(f, 0) + 1
    return df, len(lines)


def idf(word: str) -> float:
    """log((N+1)/(df+1)) + 1 over the training lines: rare words weigh more; an unseen word most."""
    df, n = document_frequency()
    return float(np.log((n + 1) / (max(df.get(f, 0) for f in forms(word)) + 1)) + 1)


def unseen(word: str) -> bool:
    df, _ = document_frequency()
    return all(df.get(f, 0) == 0 for f in forms(word))


def sentence_score(tokens) -> float:
    """TF‑IDF of a sentence (the mean IDF of its distinct words), times one plus the number of
    "entities" in it: words the training text never contained (names, allergies) and numbers."""
    words = {key(w) for w in tokens if is_word(w)}
    if not words:
        return 0.0
    entities = sum(unseen(w) or any(ch.isdigit() for ch in w) for w in words)
    return float(np.mean([idf(w) for w in words])) * (1 + entities)


def pick(sentences: list, scores: list[float], budget: int, main_share: float) -> list[int]:
    """Indices of the sentences a summary keeps, in their original order: best score
    first, within ``budget`` words, skipping any that score below ``main_share`` of the
    best or whose words are mostly covered already."""
    chosen, covered, used = [], set(), 0
    best = max(scores, default=0.0)
    for i in sorted(range(len(sentences)), key=lambda i: (-scores[i], i)):
        tokens = sentences[i]
        words = {f for w in tokens if is_word(w) for f in forms(w)}
        n = sum(map(is_word, tokens))
        if (
            scores[i] <= 0
            or scores[i] < main_share * best
            or used + n > budget
            or (words and len(words & covered) >= len(words) / 2)
        ):
            continue
        chosen.append(i)
        covered |= words
        used += n
    return sorted(chosen)


def clauses(tokens: list[str]) -> list[list[str]]:
    out, current = [], []
    for w in tokens:
        if w in (",", ";", ":", ".", "!", "?"):
            if current:
                out.append(current)
            current = []
        else:
            current.append(w)
    if current:
        out.append(current)
    return out


def answer_span(asked: list[str], visible: list[tuple[int, list[str]]], share: float) -> tuple[str | None, int | None, list[str]]:
    """The answer to the question words ``asked`` inside ``visible`` ``(turn, tokens)``:
    (the span, or None for "don't know"; the turn it came from; the clause)."""
    weights = {w: idf(w) for w in asked}
    total = sum(weights.values())
    best = (0.0, None, [])
    for turn, tokens in visible:
        for clause in clauses(tokens):
            hit = [any(forms(q) & forms(w) for w in clause) for q in asked]
            score = sum(weights[q] for q, h in zip(asked, hit) if h)
            fresh_words = [not any(forms(q) & forms(w) for q in asked) for w in clause]
            if score > 0 and score >= best[0] and any(fresh_words):
                best = (score, turn, clause, fresh_words)
    if best[1] is None or best[0] < share * total:
        return None, None, []
    _, turn, clause, fresh_words = best
    top = max((i for i, f in enumerate(fresh_words) if f), key=lambda i: (idf(clause[i]), -i))
    lo, hi = top, top + 1
    while lo > 0 and fresh_words[lo - 1]:
        lo -= 1
    while hi < len(clause) and fresh_words[hi]:
        hi += 1
    return detokenize(clause[lo:hi]), turn, clause
