"""The character model: backprop is right, training learns, sampling is reproducible."""

import numpy as np
import pytest

from maamar_live.models import charlm

TEXT = "\n".join(
    [
        "החתול שותה חלב בבוקר.",
        "הכלב רץ בגינה עם הכדור.",
        "החתול ישן על הספה אחרי החלב.",
        "הילדה קוראת ספר בגינה.",
        "הכלב והחתול משחקים בחצר.",
    ]
    * 8
)


def test_alphabet_cleaning_keeps_hebrew_and_drops_the_rest():
    assert charlm.clean("שָׁלוֹם, world 42!") == "שלום, !"
    assert charlm.clean("צ׳אט-GPT  ו") == "צאט ו"
    assert charlm.clean("החתול ") == "החתול "
    assert set(charlm.clean("😀 <script>\u202e")) <= {" "}
    assert charlm.decode(charlm.encode("ילד ים")) == "ילד ים"


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    model = charlm.init_model(1, k=3, d=4, h=7)
    model.params["W2"] = rng.standard_normal(model.params["W2"].shape) * 0.5  # away from the tiny init
    X, Y = charlm.examples(charlm.encode(TEXT[:60]), k=3)
    _, grads = charlm.loss_and_grads(model.params, X, Y)
    eps = 1e-6
    for name, p in model.params.items():
        for _ in range(6):
            i = tuple(int(rng.integers(0, s)) for s in p.shape)
            if name == "C":  # pick a row that is actually used
                i = (int(X[rng.integers(0, X.shape[0]), rng.integers(0, 3)]), i[1])
            old = p[i]
            p[i] = old + eps
            up, _ = charlm.loss_and_grads(model.params, X, Y)
            p[i] = old - eps
            down, _ = charlm.loss_and_grads(model.params, X, Y)
            p[i] = old
            numeric = (up - down) / (2 * eps)
            assert grads[name][i] == pytest.approx(numeric, rel=1e-4, abs=1e-8), name


def test_training_lowers_the_loss():
    X, Y = charlm.dataset(TEXT)
    model = charlm.init_model(0)
    before = charlm.mean_loss(model, X, Y)
    assert before == pytest.approx(np.log(len(charlm.ALPHABET)), abs=0.1)  # starts uniform
    charlm.train_steps(model, X, Y, 300)
    after = charlm.mean_loss(model, X, Y)
    assert after < before - 1.5
    assert np.mean(model.losses[-30:]) < np.mean(model.losses[:30])


def test_training_in_chunks_equals_training_in_one_go():
    X, Y = charlm.dataset(TEXT)
    a = charlm.train_steps(charlm.init_model(5), X, Y, 50)
    b = charlm.init_model(5)
    for _ in range(5):
        charlm.train_steps(b, X, Y, 10)
    for name in a.params:
        np.testing.assert_array_equal(a.params[name], b.params[name])
    memo = charlm.trained(TEXT, 5, 50, chunk=10)
    np.testing.assert_array_equal(memo.params["W1"], a.params["W1"])
    assert charlm.trained(TEXT, 5, 50, chunk=10) is memo


def test_probabilities_sum_to_one():
    model = charlm.trained(TEXT, 0, 80)
    for context in ["", "החתול ", "xyz", "ש" * 20]:
        p = charlm.next_probs(model, charlm.encode(context))
        assert p.shape == (len(charlm.ALPHABET),)
        assert p.sum() == pytest.approx(1.0)
        assert (p > 0).all()


def test_sampling_is_deterministic_for_a_seed():
    model = charlm.trained(TEXT, 0, 200)
    a = charlm.sample(model, "החתול ", 60, seed=7)
    b = charlm.sample(model, "החתול ", 60, seed=7)
    c = charlm.sample(model, "החתול ", 60, seed=8)
    assert a == b
    assert a[0] != c[0]
    assert len(a[0]) == 60 and len(a[1]) == 60
    assert all(0 < p <= 1 for p in a[1])
    greedy = charlm.sample(model, "החתול ", 30, temperature=0)
    assert greedy == charlm.sample(model, "החתול ", 30, temperature=0, seed=99)
    top1 = charlm.sample(model, "החתול ", 30, temperature=1.0, top_k=1, seed=3)
    assert top1[0] == greedy[0]


def test_a_trained_model_writes_words_it_learned():
    model = charlm.trained(TEXT, 1, 600)
    text, _ = charlm.sample(model, "הכלב ", 200, temperature=0.5, seed=2)
    words = set(TEXT.replace("\n", " ").replace(".", " ").split())
    produced = text.replace("\n", " ").replace(".", " ").split()
    assert sum(w in words for w in produced) >= len(produced) * 0.6
