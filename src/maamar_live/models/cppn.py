"""A tiny text-to-image model: words → a point in a cloud of features → a picture.

The article: "you change one small word in the prompt — 'sunset' instead of
'evening' — and get a completely different image.  Training taught the model to
tie every visual description to a huge cloud of features; a small change takes a
whole new path through the network."

Two honest halves:

* **The words → vector map is designed, not learned.**  Each known word stands
  for a *concept* (Hebrew and English spellings share one: חתול = cat).  A concept's
  vector is drawn from ``np.random.default_rng`` seeded by a hash of its name, so it
  is the same on every run and every machine.  Core concepts (subject, place, time
  of day) get long vectors in random directions of the 26 "feature" coordinates —
  swapping one jumps far.  Modifiers (a colour, an angle, a kind of light) get short
  vectors, mostly along six "style" coordinates wired to colour, framing and
  contrast, so they nudge.  A word the vocabulary doesn't know gets a medium random
  vector.  A prompt's vector is the sum of its distinct concepts.  That is the
  geometry a trained model *ends up with*; here we lay it out by hand.

* **The picture is really computed by a network from that vector.**  A
  compositional pattern-producing network (CPPN): a small multilayer perceptron,
  fixed random weights from a seed, applied to every pixel's coordinates ``x, y, r``
  together with the prompt vector.  It knows nothing about cats; it only shows how
  the *same* network turns nearby vectors into similar pictures and distant vectors
  into different ones.  Nearby inputs give nearby outputs because every layer is a
  smooth function (matrix product + ``tanh``).

Pictures are ``(size, size, 3)`` uint8 arrays; the widgets encode them with
``kit.png`` so they reach the page as ``data:`` URLs inside an ``<img>``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np

from ..text.tokenizer import strip_prefixes

# ---------------------------------------------------------------------------
# The cloud of features: coordinate layout of a prompt vector
# ---------------------------------------------------------------------------
DIM = 32
TINT = slice(0, 3)  # added to the red, green and blue outputs
ZOOM = 3  # framing: >0 wide shot, <0 close-up
LIFT = 4  # camera height: >0 from above, <0 from below
CONTRAST = 5  # light: >0 hard light, <0 soft light
STYLE = slice(0, 6)
FEATURES = slice(6, DIM)  # the 26 coordinates the core words live in
N_FEATURES = DIM - 6

CORE_NORM = 3.0  # a subject / place / time of day: a long jump
UNKNOWN_NORM = 1.5  # a word outside the vocabulary: a medium one
MODIFIER_JITTER = 0.1  # the small random part that makes every modifier distinct
MAX_WORDS = 48  # a prompt's words beyond this are not read

# Core concepts: category and the words (Hebrew and English) that name them.
CORE = {
    "cat": ("subject", "חתול חתולה חתלתול cat kitten"),
    "dog": ("subject", "כלב כלבה גור dog puppy"),
    "horse": ("subject", "סוס סוסה horse"),
    "bird": ("subject", "ציפור bird"),
    "fish": ("subject", "דג fish"),
    "child": ("subject", "ילד ילדה child kid"),
    "woman": ("subject", "אישה woman"),
    "robot": ("subject", "רובוט robot"),
    "dragon": ("subject", "דרקון dragon"),
    "house": ("subject", "בית house"),
    "tree": ("subject", "עץ tree"),
    "flower": ("subject", "פרח flower"),
    "boat": ("subject", "סירה boat"),
    "car": ("subject", "מכונית car"),
    "sea": ("place", "ים sea ocean"),
    "city": ("place", "עיר city"),
    "forest": ("place", "יער forest"),
    "desert": ("place", "מדבר desert"),
    "mountain": ("place", "הר mountain"),
    "snow": ("place", "שלג snow"),
    "space": ("place", "חלל space"),
    "garden": ("place", "גן garden"),
    "river": ("place", "נהר river"),
    "sunset": ("time", "שקיעה sunset"),
    "evening": ("time", "ערב evening"),
    "morning": ("time", "בוקר morning"),
    "night": ("time", "לילה night"),
    "noon": ("time", "צהריים noon midday"),
    "sunrise": ("time", "זריחה sunrise"),
    "dawn": ("time", "שחר dawn"),
}

# Modifiers: a designed move along the style coordinates (tint r, g, b, zoom,
# lift, contrast) and the words that name it.  Colours tint, angles reframe,
# lighting changes contrast and brightness — each a short step.
MODIFIERS = {
    "red": ((0.55, -0.2, -0.2, 0, 0, 0), "אדום אדומה red"),
    "blue": ((-0.2, -0.05, 0.55, 0, 0, 0), "כחול כחולה blue"),
    "green": ((-0.2, 0.5, -0.2, 0, 0, 0), "ירוק ירוקה green"),
    "yellow": ((0.35, 0.35, -0.35, 0, 0, 0), "צהוב צהובה yellow"),
    "purple": ((0.3, -0.3, 0.35, 0, 0, 0), "סגול סגולה purple violet"),
    "pink": ((0.45, -0.1, 0.25, 0, 0, 0), "ורוד ורודה pink"),
    "orange": ((0.45, 0.15, -0.35, 0, 0, 0), "כתום כתומה orange"),
    "from-above": ((0, 0, 0, 0, 0.45, 0), "מלמעלה from_above top_view"),
    "from-below": ((0, 0, 0, 0, -0.45, 0), "מלמטה from_below"),
    "close-up": ((0, 0, 0, -0.5, 0, 0), "תקריב close_up closeup"),
    "wide-shot": ((0, 0, 0, 0.5, 0, 0), "צילום_רחב wide_shot wide_angle"),
    "soft-light": ((0.12, 0.12, 0.12, 0, 0, -0.5), "תאורה_רכה אור_רך soft_light"),
    "hard-light": ((0, 0, 0, 0, 0, 0.5), "תאורה_חזקה אור_חזק hard_light strong_light"),
    "dim-light": ((-0.3, -0.3, -0.3, 0, 0, 0), "תאורה_עמומה אור_עמום dim_light dim"),
}

# Little words that carry no picture of their own.
FILLER = frozenset("של עם את על אל או גם מאוד עוד כמו a an the at in on of with and by during under to very".split())
_WORD = re.compile(r"[^\W_]+(?:['׳][^\W_]+)*")
_NIQQUD = re.compile("[\u0591-\u05c7]")


def _vocabulary() -> dict[str, str]:
    """Surface word (or two-word phrase, joined by a space) → concept name."""
    vocab = {}
    for concept, (_, words) in CORE.items():
        vocab.update(dict.fromkeys(words.split(), concept))
    for concept, (_, words) in MODIFIERS.items():
        vocab.update(dict.fromkeys((w.replace("_", " ") for w in words.split()), concept))
    return vocab


VOCABULARY = _vocabulary()


def normalise(text: str) -> str:
    """Case-fold, unify Unicode forms, drop Hebrew vowel points and unpaired surrogates."""
    text = str(text).encode("utf-8", "replace").decode("utf-8")  # lone surrogates from JS become "?"
    return _NIQQUD.sub("", unicodedata.normalize("NFKC", text).casefold())


def _candidates(phrase: str) -> list[tuple[str, str]]:
    """Ways to read a word: ``(prefix, stem)`` pairs, the whole word first, then with
    Hebrew prefix letters (ו, ה, ב, ל, מ, כ, ש) peeled off, then without an English plural s."""
    out = [("", phrase)] + strip_prefixes(phrase, most=len(phrase), rest=2)
    if phrase.endswith("s") and len(phrase) > 3:
        out.append(("", phrase[:-1]))
    return out


def split_prefix(phrase: str) -> tuple[str, str | None]:
    """``("ב", "sunset")`` for "בשקיעה": the prefix kept in front and the concept read, or ``("", None)``."""
    return next(((prefix, VOCABULARY[stem]) for prefix, stem in _candidates(phrase) if stem in VOCABULARY), ("", None))


def _lookup(phrase: str) -> str | None:
    return split_prefix(phrase)[1]


def word_for(concept: str, latin: bool = False) -> str:
    """The first Hebrew (or, with ``latin``, English) word that names a concept."""
    words = (CORE.get(concept) or MODIFIERS[concept])[1].split()
    pick = next((w for w in words if w.isascii() == latin), words[0])
    return pick.replace("_", " ")


def parse(prompt: str) -> list[tuple[str, str, str]]:
    """Split a prompt into ``(surface, role, key)`` triples, at most ``MAX_WORDS``.

    ``role`` is ``core``, ``modifier``, ``unknown`` or ``filler``; ``key`` is the
    concept name (or the normalised word itself when unknown).  Two-word phrases
    such as "soft light" / "תאורה רכה" are matched before single words.
    """
    words = _WORD.findall(normalise(prompt))[:MAX_WORDS]
    out = []
    i = 0
    while i < len(words):
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
        concept = _lookup(pair) if pair else None
        if concept:
            out.append((pair, "modifier", concept))
            i += 2
            continue
        word = words[i]
        concept = _lookup(word)
        if concept in CORE:
            out.append((word, "core", concept))
        elif concept:
            out.append((word, "modifier", concept))
        elif word in FILLER or len(word) < 2:
            out.append((word, "filler", word))
        else:
            out.append((word, "unknown", word))
        i += 1
    return out


def _stable_seed(name: str) -> int:
    """A 64-bit number from a string, identical in every process (unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest(), "little")


def _direction(rng: np.random.Generator, size: int) -> np.ndarray:
    v = rng.standard_normal(size)
    return v / np.linalg.norm(v)


@lru_cache(maxsize=512)
def concept_vector(role: str, key: str, seed: int = 0) -> np.ndarray:
    """The designed point of one concept in the cloud (read-only array of length ``DIM``)."""
    rng = np.random.default_rng([seed, _stable_seed(f"{role}:{key}")])
    v = np.zeros(DIM)
    if role == "core":
        v[FEATURES] = CORE_NORM * _direction(rng, N_FEATURES)
    elif role == "modifier":
        v[STYLE] = MODIFIERS[key][0]
        v[FEATURES] = MODIFIER_JITTER * _direction(rng, N_FEATURES)
    elif role == "unknown":
        v[FEATURES] = UNKNOWN_NORM * _direction(rng, N_FEATURES)
    v.flags.writeable = False
    return v


def concepts(prompt: str) -> tuple[tuple[str, str], ...]:
    """The distinct ``(role, key)`` pairs of a prompt, sorted: what the vector depends on."""
    return tuple(sorted({(role, key) for _, role, key in parse(prompt) if role != "filler"}))


def prompt_vector(key: tuple[tuple[str, str], ...], seed: int = 0) -> np.ndarray:
    """A prompt's point: the sum of its distinct concepts' points (word order doesn't matter)."""
    if not key:
        return np.zeros(DIM)
    return np.sum([concept_vector(role, k, seed) for role, k in key], axis=0)


# ---------------------------------------------------------------------------
# The network: a CPPN over pixel coordinates, conditioned on the prompt vector
# ---------------------------------------------------------------------------
WIDTH = 20  # hidden units per layer
COORD_GAIN = 3.0  # how fast the pattern varies across the picture
PROMPT_GAIN = 1.3  # how hard the prompt's features push the first layer
FRAMING = (0.3, 0.3)  # how far the zoom and camera-height coordinates move the grid
TINT_GAIN = 2.0


def _bumps(x: np.ndarray) -> np.ndarray:
    return np.exp(-x * x)


# The classic CPPN mix: tanh edges, Gaussian bumps, then tanh and sine stripes.
ACTIVATIONS = (np.tanh, _bumps, np.tanh, np.sin)


@lru_cache(maxsize=4)
def network(seed: int = 0) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...], np.ndarray, np.ndarray]:
    """Fixed random weights for ``seed``: coordinate and prompt weights of the first
    layer, the hidden layers, the output weights and output bias (all read-only)."""
    rng = np.random.default_rng([seed, 20240601])
    coords_w = rng.normal(0.0, COORD_GAIN, (3, WIDTH))
    prompt_w = rng.normal(0.0, PROMPT_GAIN, (N_FEATURES, WIDTH))
    hidden = tuple(rng.normal(0.0, 2.0 / np.sqrt(WIDTH), (WIDTH, WIDTH)) for _ in ACTIVATIONS[1:])
    out_w = rng.normal(0.0, 4.0 / np.sqrt(WIDTH), (WIDTH, 3))
    out_b = rng.normal(0.0, 0.5, 3)
    weights = tuple(np.asarray(w, dtype=np.float32) for w in (coords_w, prompt_w, *hidden, out_w, out_b))
    for array in weights:
        array.flags.writeable = False
    return weights[0], weights[1], weights[2:-2], weights[-2], weights[-1]


@lru_cache(maxsize=8)
def _grid(size: int) -> np.ndarray:
    s = np.linspace(-1.0, 1.0, size, dtype=np.float32)
    x, y = np.meshgrid(s, -s)  # y grows upwards, like a photo's "above"
    grid = np.stack([x, y], axis=-1).reshape(-1, 2)
    grid.flags.writeable = False
    return grid


def draw(z: np.ndarray, size: int = 128, seed: int = 0) -> np.ndarray:
    """Run the network on every pixel: ``(size, size, 3)`` uint8 RGB for prompt vector ``z``.

    Framing coordinates of ``z`` scale and shift the pixel grid, its feature
    coordinates become a bias of the first layer (the same for every pixel — that
    is how a prompt steers the whole picture), its tint and contrast coordinates
    act on the output colours.
    """
    coords_w, prompt_w, hidden, out_w, out_b = network(seed)
    z = np.asarray(z, dtype=np.float32)  # single precision: three times faster, plenty for 8-bit colour
    xy = _grid(size) * np.exp(FRAMING[0] * z[ZOOM]) + np.array([0.0, FRAMING[1] * z[LIFT]], dtype=np.float32)
    r = np.sqrt((xy**2).sum(axis=1, keepdims=True))
    h = ACTIVATIONS[0](np.hstack([xy, r]) @ coords_w + z[FEATURES] @ prompt_w)
    for activation, w in zip(ACTIVATIONS[1:], hidden):
        h = activation(h @ w)
    logits = np.exp(z[CONTRAST]) * (h @ out_w + out_b) + TINT_GAIN * z[TINT]
    rgb = 1.0 / (1.0 + np.exp(-logits))
    return (rgb * 255.0 + 0.5).astype(np.uint8).reshape(size, size, 3)


@lru_cache(maxsize=64)
def picture(key: tuple[tuple[str, str], ...], size: int = 128, seed: int = 0) -> np.ndarray:
    """Memoised ``draw`` for a prompt's concept key (read-only)."""
    image = draw(prompt_vector(key, seed), size, seed)
    image.flags.writeable = False
    return image


def pixel_difference(a: np.ndarray, b: np.ndarray) -> float:
    """How far apart two pictures are: mean absolute channel difference, in % of full scale."""
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).mean() / 255.0 * 100.0)
