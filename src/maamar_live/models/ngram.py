"""A word-level n-gram language model: the statistics of "which word came next", counted.

What it shows: a language model's "knowledge" is counts turned into
probabilities.  After the last ``order - 1`` words it looks up how often every
word followed them in the training text; when that context was never seen it
backs off to a shorter one, down to plain word frequencies.  That is also why
it always has an answer (a gap is filled by the shorter statistics, never by
"I don't know") and why greedy decoding can get stuck: if after the pair
"A B" the most frequent next word leads back to "A B", the loop never ends.

Smoothing is interpolated absolute discounting (Ney, Essen & Kneser 1994):
every seen count gives up ``discount`` and the saved mass goes to the shorter
context's distribution, so every distribution sums to one and no word has
probability zero.  Counts are kept per context as two small arrays (ids,
counts) so one next-word distribution is a handful of vectorised updates.

Decoding: ``generate`` takes the likeliest word (temperature 0) or samples the
tempered distribution; a repetition penalty divides the probability of every
word already said; an ``adjust`` hook lets a widget reshape the distribution
from what it can see (e.g. a copy mechanism over the visible window).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable, Sequence

import numpy as np

BREAK = "\n"  # between sentences (and before the first)
UNK = "<unk>"  # any word the model never saw
DISCOUNT = 0.5


@dataclass
class NGram:
    order: int
    vocab: list[str]  # id → word; 0 is BREAK, 1 is UNK
    index: dict[str, int]  # word → id
    table: list[dict[tuple, tuple[np.ndarray, np.ndarray, int]]]  # [m][context of m words] → (ids, counts, total)
    stream: np.ndarray  # the training text as ids (for counting phrases)
    discount: float = DISCOUNT

    @property
    def size(self) -> int:
        return len(self.vocab)

    def ids(self, words: Iterable[str]) -> list[int]:
        return [self.index.get(w, 1) for w in words]

    def words(self, ids: Iterable[int]) -> list[str]:
        return [self.vocab[i] for i in ids]


def build(
    sentences: Iterable[Sequence[str]], order: int = 3, discount: float = DISCOUNT, vocabulary: Iterable[str] = ()
) -> NGram:
    """Count every run of 1..order words of the sentences (joined by BREAK into one stream).

    ``vocabulary``: extra words the model can write although it never saw them in
    training (count zero) — e.g. the words of a text it will only see in its window."""
    vocab, index = [BREAK, UNK], {BREAK: 0, UNK: 1}
    stream = [0]
    for sentence in sentences:
        for word in sentence:
            if word not in index:
                index[word] = len(vocab)
                vocab.append(word)
            stream.append(index[word])
        stream.append(0)
    for word in vocabulary:
        if word not in index:
            index[word] = len(vocab)
            vocab.append(word)
    arr = np.array(stream, dtype=np.intp)
    table = []
    for m in range(order):
        grams = Counter(zip(*(stream[i : len(stream) - m + i] for i in range(m + 1))))
        by_context: dict[tuple, list] = defaultdict(lambda: ([], []))
        for gram, c in grams.items():
            ids, counts = by_context[gram[:-1]]
            ids.append(gram[-1])
            counts.append(c)
        table.append(
            {
                ctx: (np.array(ids, dtype=np.intp), np.array(counts, dtype=np.float64), int(sum(counts)))
                for ctx, (ids, counts) in by_context.items()
            }
        )
    return NGram(order, vocab, index, table, arr, discount)


def next_probs(model: NGram, history: Sequence[int]) -> np.ndarray:
    """P(next word | the last order-1 words of ``history``) for every word in the vocabulary.

    Starts from uniform, then for each longer context that was seen in training:
    keep ``discount·types/total`` of the shorter estimate and add the discounted counts."""
    p = np.full(model.size, 1.0 / model.size)
    tail = tuple(history[-(model.order - 1) :]) if model.order > 1 else ()
    for m in range(model.order):
        if m > len(tail):
            break
        entry = model.table[m].get(tail[len(tail) - m :])
        if entry is None:
            break  # a longer context containing an unseen one is unseen too
        ids, counts, total = entry
        p *= model.discount * len(ids) / total
        p[ids] += (counts - model.discount) / total
    return p


def followers(model: NGram, context: Sequence[str], top: int = 5) -> list[tuple[str, int]]:
    """The words that followed ``context`` in training, most frequent first, with counts."""
    entry = model.table[len(context)].get(tuple(model.ids(context))) if len(context) < model.order else None
    if entry is None:
        return []
    ids, counts, _ = entry
    order = np.lexsort((ids, -counts))[:top]
    return [(model.vocab[int(ids[i])], int(counts[i])) for i in order]


def longest_context(model: NGram, history: Sequence[int]) -> int:
    """How many of the last words the prediction actually used (the longest seen context)."""
    used = 0
    for m in range(1, model.order):
        if m > len(history) or tuple(history[len(history) - m :]) not in model.table[m]:
            break
        used = m
    return used


def count(model: NGram, words: Sequence[str]) -> int:
    """How many times this exact run of words appears in the training text."""
    if not words or any(w not in model.index for w in words):
        return 0
    ids = np.array(model.ids(words))
    s = model.stream
    if len(ids) > len(s):
        return 0
    windows = s[np.arange(len(s) - len(ids) + 1)[:, None] + np.arange(len(ids))[None, :]]
    return int(np.all(windows == ids, axis=1).sum())


def penalise(p: np.ndarray, said: Iterable[int], penalty: float) -> np.ndarray:
    """Divide the probability of every word already said by ``penalty`` (≥ 1), renormalise."""
    if penalty == 1.0:
        return p
    said = np.fromiter(set(said), dtype=np.intp)
    if said.size == 0:
        return p
    p = p.copy()
    p[said] /= penalty
    return p / p.sum()


def pick(p: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Temperature 0: the likeliest word (lowest id on ties).  Otherwise sample p^(1/T).

    Draws exactly one random number per call so the temperature never shifts later draws."""
    u = rng.random()
    if temperature <= 0:
        return int(np.argmax(p))
    logp = np.log(np.maximum(p, 1e-300)) / temperature
    q = np.exp(logp - logp.max())
    c = np.cumsum(q)
    return int(min(np.searchsorted(c, u * c[-1], side="right"), len(q) - 1))


@dataclass
class Generation:
    ids: list[int]  # the continuation
    probs: list[float]  # the probability the model gave each chosen word
    words: list[str]
    # with ``generate(top=k)``: each step's k likeliest words, as (ids, probability the
    # model gave them, chance of being picked at the temperature used)
    tops: list[tuple[list[int], list[float], list[float]]] = field(default_factory=list)


def pick_chances(p: np.ndarray, temperature: float) -> np.ndarray:
    """The chance ``pick`` takes each word: p^(1/T) renormalised; at T = 0 all on the likeliest."""
    if temperature <= 0:
        q = np.zeros_like(p)
        q[int(np.argmax(p))] = 1.0
        return q
    logp = np.log(np.maximum(p, 1e-300)) / temperature
    q = np.exp(logp - logp.max())
    return q / q.sum()


def top_words(p: np.ndarray, temperature: float, k: int) -> tuple[list[int], list[float], list[float]]:
    """The ``k`` likeliest words of ``p`` (ties: lowest id first), their probabilities and pick chances."""
    ids = np.lexsort((np.arange(len(p)), -p))[:k]
    q = pick_chances(p, temperature)
    return [int(i) for i in ids], [float(p[i]) for i in ids], [float(q[i]) for i in ids]


Adjust = Callable[[list[int], np.ndarray], np.ndarray]


def generate(
    model: NGram,
    prompt: Sequence[str],
    n: int,
    *,
    temperature: float = 0.0,
    penalty: float = 1.0,
    seed: int = 0,
    adjust: Adjust | None = None,
    stop_at_break: bool = False,
    history: Sequence[int] | None = None,
    top: int = 0,
) -> Generation:
    """Continue ``prompt`` (words; unknown ones become UNK) by ``n`` words.

    ``history`` (ids) is text already before the prompt, e.g. a whole story;
    by default the prompt starts a new sentence.

    Each step: counts → next_probs → ``adjust(history, p)`` if given (must return a
    distribution) → repetition penalty over the words generated so far → pick.
    The reported probability of a word is the one it had after ``adjust`` and the
    penalty but before temperature, i.e. how "sure" the model sounded.  ``top`` > 0
    also keeps each step's ``top`` likeliest words (``Generation.tops``)."""
    rng = np.random.default_rng(seed)
    history = ([0] if history is None else list(history)) + model.ids(prompt)
    start = len(history)
    out, probs, tops = [], [], []
    for _ in range(n):
        p = next_probs(model, history)
        if adjust is not None:
            p = adjust(history, p)
        p = penalise(p, history[start:], penalty)
        if top:
            tops.append(top_words(p, temperature, top))
        choice = pick(p, temperature, rng)
        out.append(choice)
        probs.append(float(p[choice]))
        history.append(choice)
        if stop_at_break and choice == 0:
            break
    return Generation(out, probs, model.words(out), tops)


def perplexity(model: NGram, sentences: Iterable[Sequence[str]]) -> float:
    """exp(mean −log P) of the words (and sentence ends) of ``sentences``."""
    total, n = 0.0, 0
    for sentence in sentences:
        history = [0]
        for w in list(model.ids(sentence)) + [0]:
            total -= float(np.log(next_probs(model, history)[w]))
            n += 1
            history.append(w)
    return float(np.exp(total / max(n, 1)))


@lru_cache(maxsize=4)
def from_corpus(order: int = 3) -> NGram:
    """The model of the site's Hebrew corpus (memoised), tokenized like every other widget."""
    from ..text.corpus import load_lines
    from ..text.tokenizer import tokenize

    return build((tokenize(line) for line in load_lines()), order)
