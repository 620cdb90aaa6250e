"""A character-level neural language model, small enough to train in the reader's browser.

What it shows: "training" is many small pushes on a few thousand weights, and
"answering" is just running those weights forward once per character.  The
model never holds the training text and never searches it; it replays the
patterns its weights absorbed.

The network is the makemore MLP (Bengio et al. 2003): the last ``k``
characters are looked up in an embedding table, concatenated, passed through
one ``tanh`` hidden layer and a softmax over the next character.  Backprop is
written out by hand (a test checks it against finite differences) and the
weights are moved by Adam.  Training is cut into small chunks
(``train_steps(model, n)``) so a page can draw the loss curve while it learns,
and ``trained(text, seed, steps)`` memoises "the model for this seed after this
many steps", so a widget's state can stay as small as ``{"steps": n}``.

Alphabet: the 22 Hebrew letters with their 5 final forms (kept apart, so the
model has to learn that ם ends a word), space, four punctuation marks and the
line break that separates sentences.  Everything else is dropped (niqqud,
Latin, digits) or becomes a space (hyphens, maqaf, slashes).
"""

from __future__ import annotations

import copy
import math
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

BREAK = "\n"  # between sentences; also pads the context before the first character
LETTERS = "אבגדהוזחטיכךלמםנןסעפףצץקרשת"
ALPHABET = BREAK + " " + LETTERS + ".,?!"
INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
AS_SPACE = set("-\u05be/\t–—_")

CONTEXT = 4  # k: how many previous characters the model sees (with 5+ it memorises
# this small corpus more and writes fewer real words)
EMBED = 10  # d: numbers per character in the embedding table
HIDDEN = 96  # h: neurons in the hidden layer
BATCH = 128  # examples per push
LEARNING_RATE = 0.01
CHUNK = 60  # steps per widget call (≈ 22 ms in CPython, ≈ 150 ms in the browser)
USABLE_LOSS = 2.05  # nats per character: below this the samples are mostly real words
# (uniform guessing over the 33 characters is ln 33 ≈ 3.5; letter frequencies alone ≈ 3.0)


def clean(text: str) -> str:
    """Text reduced to the model's alphabet; unknown characters are dropped."""
    text = unicodedata.normalize("NFC", str(text)).replace("\r\n", "\n")
    out = []
    for ch in text:
        if ch in INDEX:
            out.append(ch)
        elif ch in AS_SPACE:
            out.append(" ")
        elif ch in "\r\n":
            out.append(BREAK)
    return re.sub(" {2,}", " ", "".join(out))


def encode(text: str) -> np.ndarray:
    return np.array([INDEX[ch] for ch in clean(text)], dtype=np.intp)


def decode(ids) -> str:
    return "".join(ALPHABET[i] for i in ids)


def examples(ids: np.ndarray, k: int = CONTEXT) -> tuple[np.ndarray, np.ndarray]:
    """Every (k previous characters → next character) pair of a text, as two arrays."""
    padded = np.concatenate([np.zeros(k, dtype=np.intp), ids])
    n = len(ids)
    windows = padded[np.arange(n)[:, None] + np.arange(k)[None, :]]
    return windows, ids.copy()


@dataclass
class Model:
    """Weights, Adam's running averages and the generator that picks minibatches."""

    params: dict[str, np.ndarray]
    rng: np.random.Generator
    k: int = CONTEXT
    step: int = 0
    adam: dict[str, np.ndarray] = field(default_factory=dict)
    losses: list[float] = field(default_factory=list)  # mean minibatch loss of every step

    def copy(self) -> "Model":
        return copy.deepcopy(self)

    @property
    def size(self) -> int:
        """How many numbers (weights) the model is."""
        return int(sum(p.size for p in self.params.values()))


def init_model(seed: int, k: int = CONTEXT, d: int = EMBED, h: int = HIDDEN) -> Model:
    """Random weights: tanh-friendly scale for the hidden layer, a near-zero output layer
    so the first guesses are almost uniform (loss ≈ ln V) instead of confidently wrong."""
    rng = np.random.default_rng(seed)
    v = len(ALPHABET)
    params = {
        "C": rng.standard_normal((v, d)),
        "W1": rng.standard_normal((k * d, h)) * (5 / 3) / math.sqrt(k * d),
        "b1": np.zeros(h),
        "W2": rng.standard_normal((h, v)) * 0.01,
        "b2": np.zeros(v),
    }
    adam = {f"{m}{name}": np.zeros_like(p) for name, p in params.items() for m in "mv"}
    return Model(params=params, rng=rng, k=k, adam=adam)


def forward(params: dict, X: np.ndarray) -> tuple[np.ndarray, tuple]:
    """Logits for the next character of every row of X (B×k character ids)."""
    emb = params["C"][X].reshape(len(X), -1)
    hidden = np.tanh(emb @ params["W1"] + params["b1"])
    logits = hidden @ params["W2"] + params["b2"]
    return logits, (X, emb, hidden)


def softmax(logits: np.ndarray) -> np.ndarray:
    z = logits - logits.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def loss_and_grads(params: dict, X: np.ndarray, Y: np.ndarray) -> tuple[float, dict]:
    """Cross-entropy (mean over the batch) and its gradient for every weight, by hand."""
    logits, (X, emb, hidden) = forward(params, X)
    probs = softmax(logits)
    n = len(Y)
    loss = float(-np.log(probs[np.arange(n), Y] + 1e-12).mean())
    dlogits = probs
    dlogits[np.arange(n), Y] -= 1.0
    dlogits /= n
    grads = {"W2": hidden.T @ dlogits, "b2": dlogits.sum(0)}
    dhidden = dlogits @ params["W2"].T
    dpre = dhidden * (1.0 - hidden**2)
    grads["W1"] = emb.T @ dpre
    grads["b1"] = dpre.sum(0)
    demb = (dpre @ params["W1"].T).reshape(X.shape + (-1,))
    dC = np.zeros_like(params["C"])
    np.add.at(dC, X.ravel(), demb.reshape(-1, demb.shape[-1]))
    grads["C"] = dC
    return loss, grads


def adam_update(model: Model, grads: dict, lr: float = LEARNING_RATE, b1: float = 0.9, b2: float = 0.99) -> None:
    """One Adam push: move each weight against a smoothed gradient, scaled per weight."""
    model.step += 1
    t = model.step
    for name, g in grads.items():
        m, v = model.adam["m" + name], model.adam["v" + name]
        m *= b1
        m += (1 - b1) * g
        v *= b2
        v += (1 - b2) * g * g
        m_hat = m / (1 - b1**t)
        v_hat = v / (1 - b2**t)
        model.params[name] -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)


def train_steps(model: Model, X: np.ndarray, Y: np.ndarray, n: int, batch: int = BATCH) -> Model:
    """``n`` pushes on random minibatches (drawn from the model's own generator, so
    training in chunks of any size gives the same weights as training in one go)."""
    for _ in range(n):
        rows = model.rng.integers(0, len(Y), batch)
        loss, grads = loss_and_grads(model.params, X[rows], Y[rows])
        adam_update(model, grads)
        model.losses.append(loss)
    return model


def mean_loss(model: Model, X: np.ndarray, Y: np.ndarray) -> float:
    """Average cross-entropy (nats per character) over the given examples."""
    probs = softmax(forward(model.params, X)[0])
    return float(-np.log(probs[np.arange(len(Y)), Y] + 1e-12).mean())


def next_probs(model: Model, context: np.ndarray) -> np.ndarray:
    """The model's distribution over the next character after ``context`` (ids)."""
    window = np.concatenate([np.zeros(model.k, dtype=np.intp), np.asarray(context, dtype=np.intp)])[-model.k :]
    return softmax(forward(model.params, window[None, :])[0][0])


def sample(
    model: Model, prompt: str, n: int, *, temperature: float = 0.8, top_k: int = 0, seed: int = 0, stop_at_break: bool = False
) -> tuple[str, list[float]]:
    """Continue ``prompt`` by ``n`` characters, one forward pass per character.

    ``temperature`` divides the logits (0 means always the likeliest character),
    ``top_k`` > 0 keeps only the k likeliest.  Returns the continuation and the
    probability the model gave each chosen character.  Same seed, same text.
    """
    rng = np.random.default_rng(seed)
    context = list(encode(prompt))
    out, chosen_probs = [], []
    window = np.array(([0] * model.k + context)[-model.k :], dtype=np.intp)
    for _ in range(n):
        logits = forward(model.params, window[None, :])[0][0]
        probs = softmax(logits)
        pick = choose(logits, temperature, top_k, rng)
        out.append(pick)
        chosen_probs.append(float(probs[pick]))
        if stop_at_break and pick == 0:
            break
        window[:-1] = window[1:]
        window[-1] = pick
    return decode(out), chosen_probs


def choose(logits: np.ndarray, temperature: float, top_k: int, rng: np.random.Generator) -> int:
    """Pick the next id: argmax when temperature is 0, else sample the tempered softmax.

    The generator is drawn from exactly once per call either way, so changing the
    temperature never shifts the random numbers used later."""
    u = rng.random()
    if temperature <= 0:
        return int(np.argmax(logits))
    z = logits / temperature
    if 0 < top_k < len(z):
        cut = np.partition(z, -top_k)[-top_k]
        z = np.where(z >= cut, z, -np.inf)
    p = softmax(z)
    return int(min(np.searchsorted(np.cumsum(p), u * p.sum(), side="right"), len(p) - 1))


def flops_per_char(model: Model) -> int:
    """Multiply-adds in one forward pass for one character."""
    kd, h = model.params["W1"].shape
    v = model.params["W2"].shape[1]
    return kd * h + h * v


@lru_cache(maxsize=4)
def dataset(text: str, k: int = CONTEXT) -> tuple[np.ndarray, np.ndarray]:
    """The training pairs of a text (memoised: the corpus is encoded once)."""
    X, Y = examples(encode(text), k)
    X.setflags(write=False)
    Y.setflags(write=False)
    return X, Y


def trained(text: str, seed: int, steps: int, chunk: int = CHUNK) -> Model:
    """The model for ``seed`` after ``steps`` pushes on ``text``, built chunk by chunk and
    memoised, so asking for steps+chunk right after steps costs one chunk (do not mutate)."""
    return _trained(text, int(seed), max(int(steps), 0), int(chunk))


@lru_cache(maxsize=24)
def _trained(text: str, seed: int, steps: int, chunk: int) -> Model:
    if steps == 0:
        return init_model(seed)
    previous = ((steps - 1) // chunk) * chunk
    model = _trained(text, seed, previous, chunk).copy()
    X, Y = dataset(text)
    return train_steps(model, X, Y, steps - previous)
