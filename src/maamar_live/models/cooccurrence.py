"""Which words keep company: co-occurrence counts → PPMI → truncated SVD.

The model reads the site's Hebrew corpus and counts, for every pair of words,
how often they appear in the same sentence within ``window`` words of each other
(glue words such as "של", "את" and the one-letter prefixes are left out: they sit
next to everything and would drown the signal — word2vec handles the same
problem by skipping frequent words).  Raw counts favour frequent words, so each
count becomes PPMI, positive pointwise mutual information,
``max(0, log P(a, b) / (P(a) P(b)))``: how much more often the pair meets than
chance would have it.  Finally a truncated SVD squeezes each word's row of PPMI
into ``dims`` numbers, its vector.  Words whose vectors point the same way
(cosine close to 1) keep the same company.

Why SVD of PPMI rather than word2vec's SGD: Levy & Goldberg (2014) showed
word2vec's skip-gram with negative sampling is, in effect, factorising a shifted
PMI matrix, so the explicit factorisation learns the same kind of vectors — but
in one deterministic step instead of thousands of random updates.  For our few
hundred words that is tens of milliseconds rather than seconds, needs no seed,
and gives the same neighbours under CPython and Pyodide once similarities are
rounded (a singular vector's sign may differ between BLAS builds; cosines don't
see signs).
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np

from ..text import corpus
from ..text.tokenizer import is_hebrew, key, lexicon, tokenize, word_counts

MIN_COUNT = 2  # a word seen once has one context: too little to place it
MAX_VOCAB = 3000  # the SVD is cubic in this; our corpus has ~500 words seen twice
# Glue words: they sit next to every word, so their counts say nothing about company.
STOPWORDS = frozenset(
    key(w)
    for w in (
        "את של על עם זה זו זאת הוא היא הם הן לא כל גם אז כי אבל או יש אין מה כמו רק עוד כבר "
        "אחרי לפני אני אנחנו אתה אתם לו לה לי להם לנו אותי אותו אותה אותם שלו שלה שלי שלנו "
        "אל היה הייתה היו מאוד עד אחר כך יותר מדי שם פה איך למה כמה אם בו בה עליו עליה עליי "
        "כאילו הזה הזאת האלה כאן אף"
    ).split()
)


def content_words(line: str, vocabulary: frozenset) -> list[str]:
    """A sentence as the model sees it: prefixes cut off, glue words and symbols gone."""
    return [
        tok
        for tok in tokenize(line, detach_prefixes=True, vocabulary=vocabulary)
        if is_hebrew(tok) and len(tok) > 1 and key(tok) not in STOPWORDS
    ]


@lru_cache(maxsize=1)
def sentences() -> tuple[tuple[str, ...], ...]:
    """Every corpus sentence as content words (surface forms)."""
    lines = corpus.load_lines()
    vocabulary = lexicon(word_counts(lines))
    return tuple(tuple(content_words(line, vocabulary)) for line in lines)


@lru_cache(maxsize=1)
def frequencies() -> tuple[Counter, dict[str, str]]:
    """How often each word occurs (by ``key``), and the form to show for each key."""
    seen: Counter = Counter()
    forms: dict[str, Counter] = {}
    for sentence in sentences():
        for tok in sentence:
            seen[key(tok)] += 1
            forms.setdefault(key(tok), Counter())[tok] += 1
    shown = {k: min(c.items(), key=lambda item: (-item[1], item[0]))[0] for k, c in forms.items()}
    return seen, shown


@lru_cache(maxsize=1)
def vocabulary() -> tuple[str, ...]:
    """The words the model places (keys, most frequent first): seen at least MIN_COUNT times."""
    seen, _ = frequencies()
    ranked = sorted(seen.items(), key=lambda item: (-item[1], item[0]))
    return tuple(k for k, n in ranked if n >= MIN_COUNT)[:MAX_VOCAB]


@lru_cache(maxsize=1)
def word_index() -> dict[str, int]:
    return {k: i for i, k in enumerate(vocabulary())}


@lru_cache(maxsize=4)
def cooccurrence(window: int) -> np.ndarray:
    """The symmetric count matrix over ``vocabulary()``:
    ``counts[a, b]`` = how often b appeared within ``window`` words of a."""
    index = word_index()
    rows: list[int] = []
    cols: list[int] = []
    for sentence in sentences():
        ids = [index.get(key(tok), -1) for tok in sentence]
        for i, a in enumerate(ids):
            if a < 0:
                continue
            for b in ids[i + 1 : i + 1 + window]:
                if b >= 0:
                    rows += (a, b)
                    cols += (b, a)
    counts = np.zeros((len(index), len(index)))
    np.add.at(counts, (np.array(rows, dtype=int), np.array(cols, dtype=int)), 1.0)
    return counts


def ppmi(counts: np.ndarray, smoothing: float = 0.75) -> np.ndarray:
    """Positive PMI.  The context probabilities are raised to 0.75 (as in word2vec)
    so that a rare context word does not earn a huge PMI from one meeting."""
    total = counts.sum() or 1.0
    p_word = counts.sum(axis=1) / total
    p_context = counts.sum(axis=0) ** smoothing
    p_context = p_context / (p_context.sum() or 1.0)
    expected = np.outer(p_word, p_context)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(counts / total / expected)
    return np.where(counts > 0, np.maximum(pmi, 0.0), 0.0)


@lru_cache(maxsize=4)
def _factors(window: int) -> np.ndarray:
    """All singular directions of the PPMI matrix, scaled by their singular values."""
    u, s, _ = np.linalg.svd(ppmi(cooccurrence(window)))
    return u * s


@lru_cache(maxsize=16)
def model(window: int, dims: int) -> np.ndarray:
    """Every vocabulary word's vector of ``dims`` numbers, scaled to length 1
    (so a dot product is the cosine).  Fewer dims than words: the SVD keeps the
    strongest patterns of company and drops the noise of single meetings."""
    vectors = _factors(window)[:, :dims]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms > 0, norms, 1.0)


def neighbours(word_key: str, window: int, dims: int, count: int) -> list[tuple[str, float]]:
    """The ``count`` words whose vectors are closest in direction to ``word_key``'s."""
    vocab, vectors = vocabulary(), model(window, dims)
    i = word_index()[word_key]
    # Rounded before sorting so that the last bits of a BLAS cannot reorder ties.
    sims = np.round(vectors @ vectors[i], 6)
    sims[i] = -np.inf
    order = np.argsort(-sims, kind="stable")[:count]
    return [(vocab[j], float(sims[j])) for j in order]
