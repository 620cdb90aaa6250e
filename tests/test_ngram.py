"""The word n-gram model: counts become probabilities that sum to one, decoding is reproducible."""

import numpy as np
import pytest

from maamar_live.models import ngram

SENTENCES = [
    s.split()
    for s in [
        "החתול שותה חלב .",
        "החתול שותה מים .",
        "החתול שותה חלב קר .",
        "הכלב שותה מים .",
        "הכלב רץ בגינה .",
        "הילדה רצה בגינה עם הכלב .",
    ]
]


@pytest.fixture(scope="module")
def model():
    return ngram.build(SENTENCES, order=3)


def test_counts(model):
    assert ngram.count(model, ["החתול"]) == 3
    assert ngram.count(model, ["החתול", "שותה", "חלב"]) == 2
    assert ngram.count(model, ["שותה", "חלב", "קר", "."]) == 1
    assert ngram.count(model, ["תנין"]) == 0
    assert ngram.count(model, []) == 0
    assert ngram.followers(model, ["החתול", "שותה"]) == [("חלב", 2), ("מים", 1)]
    assert ngram.followers(model, ["לא", "קיים"]) == []


def test_probabilities_sum_to_one_and_follow_the_counts(model):
    for words in [[], ["החתול"], ["החתול", "שותה"], ["תנין", "שותה"], ["תנין", "ירוק"], ["."]]:
        p = ngram.next_probs(model, [0] + model.ids(words))
        assert p.sum() == pytest.approx(1.0)
        assert (p > 0).all()
    p = ngram.next_probs(model, model.ids(["החתול", "שותה"]))
    assert p[model.index["חלב"]] > p[model.index["מים"]] > p[model.index["רץ"]]


def test_unseen_context_backs_off_to_shorter_statistics(model):
    """A word never seen still gets a fluent continuation: the model falls back to what
    follows the last word it does know — it has no "I don't know"."""
    h = model.ids(["תנין", "שותה"])
    assert h[0] == 1  # UNK
    assert ngram.longest_context(model, h) == 1
    p = ngram.next_probs(model, h)
    assert model.vocab[int(np.argmax(p))] in ("חלב", "מים")


def test_greedy_is_deterministic_and_temperature_samples(model):
    g = ngram.generate(model, ["החתול"], 6)
    assert g.words[:2] == ["שותה", "חלב"]
    assert g == ngram.generate(model, ["החתול"], 6, seed=123)  # greedy ignores the seed
    a = ngram.generate(model, ["הכלב"], 30, temperature=1.0, seed=1)
    assert a == ngram.generate(model, ["הכלב"], 30, temperature=1.0, seed=1)
    assert a.words != ngram.generate(model, ["הכלב"], 30, temperature=1.0, seed=2).words
    assert all(0 < p <= 1 for p in a.probs)


def test_repetition_penalty_divides_said_words(model):
    p = np.full(4, 0.25)
    q = ngram.penalise(p, [1, 1, 2], 2.0)
    assert q.sum() == pytest.approx(1.0)
    assert q[1] == q[2] == pytest.approx(q[0] / 2)
    assert ngram.penalise(p, [1], 1.0) is p


def test_adjust_hook_reshapes_the_distribution(model):
    target = model.index["רץ"]

    def always_run(history, p):
        q = np.zeros_like(p)
        q[target] = 1.0
        return q

    g = ngram.generate(model, ["החתול"], 3, adjust=always_run)
    assert g.words == ["רץ"] * 3


def test_perplexity_is_lower_on_training_text_than_on_shuffled_text(model):
    rng = np.random.default_rng(0)
    shuffled = [list(rng.permutation(s)) for s in SENTENCES]
    assert ngram.perplexity(model, SENTENCES) < ngram.perplexity(model, shuffled)
