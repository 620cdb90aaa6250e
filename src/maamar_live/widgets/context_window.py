"""A long story continued through a small window: repeating itself, losing the plot.

The model here has two sources for every next word, like a chatbot:

* what it learned in training — word statistics of the rest of the corpus (a
  trigram model, ``ngram``), which never contained this story;
* what it can see — the last ``window`` words of the story and of its own
  continuation.  It "looks back": if the word it just wrote appears in the
  window, it proposes whatever came after it there (the copy / induction
  behaviour that lets real models reuse names from the conversation).

``LOOK_BACK`` of the guess comes from the window, the rest from training.  The
names of the story's characters were never in training, so they can come back
only by being copied from the window.  With a small window the model sees only
what it has just written: names slip out of view and never return, and
copying its own last sentence makes it repeat itself.  With a large window the
beginning of the story is still in view and the characters keep coming back.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..text import corpus

from ..models import ngram
from ..kit.i18n import rtl, t
from ..kit.markup import esc, how, isolate, num, tag
from ..kit.plots import bar
from ..kit.spec import DRAW, Param, button, draw_count, slider
from ..text.tokenizer import detokenize, forms, key, spaces, tokenize

KIND = "context-window"
STORY_DIR = "rtl"  # the corpus's stories are Hebrew, whatever the page's language
LOOK_BACK = 0.7  # share of each guess taken from the window
CURVE_WINDOWS = (5, 15, 40, 100, 250, 800)
DEFAULT_NAMES = "נועה, איתי, רחל, בונבון, מיצי"
PARAMS = {
    "window": Param("int", 20, min=5, max=800, help="how many of the last words the model sees"),
    "seed": Param("int", 0, min=0, max=10**6, help="which of the possible continuations"),
    "length": Param("int", 80, min=20, max=200, help="words in the continuation"),
    "temperature": Param("float", 0.8, min=0.1, max=1.5, help="how adventurous the sampling is"),
    "story": Param("str", "", max_length=80, help="story name in the corpus; empty = the longest"),
    "names": Param("str", DEFAULT_NAMES, max_length=200, help="the characters to look for, comma separated"),
}
CONTROLS = [
    slider("window", "context-window.window", step=5, live=True),  # ~22 ms in the browser
    button("again", "context-window.again"),
]
STATE = {"draw": DRAW}
HEAD, TAIL = 30, 45  # story words shown before and after the elided middle


def story_name(requested: str) -> str:
    return requested if requested in corpus.stories() else corpus.longest_story()


@lru_cache(maxsize=4)
def story_model(name: str) -> tuple[ngram.NGram, tuple[int, ...]]:
    """Trigram statistics of everything except the story, and the story as ids.

    The story's words join the vocabulary with zero counts: the model can write
    them, but only by copying them from what it sees."""
    lines = corpus.story(name)
    inside = set(lines)
    sentences = [tokenize(s) for s in lines]
    model = ngram.build(
        (tokenize(s) for s in corpus.load_lines() if s not in inside), 3, vocabulary=[w for s in sentences for w in s]
    )
    ids = [0]
    for s in sentences:
        ids += model.ids(s) + [0]
    return model, tuple(ids)


def look_back(history: list[int], window: int, size: int) -> np.ndarray | None:
    """What followed the last word wherever it appears earlier in the window, or None."""
    seen = np.asarray(history[-window:])
    where = np.flatnonzero(seen[:-1] == seen[-1])
    if where.size == 0:
        return None
    return np.bincount(seen[where + 1], minlength=size) / where.size


def continue_story(name: str, window: int, length: int, temperature: float, seed: int) -> tuple[int, ...]:
    """The continuation's word ids: each step mixes training statistics with looking back."""
    model, story = story_model(name)

    def mix(history, p):
        copied = look_back(history, window, model.size)
        return p if copied is None else (1 - LOOK_BACK) * p + LOOK_BACK * copied

    out = ngram.generate(model, [], length, temperature=temperature, seed=seed, adjust=mix, history=list(story))
    return tuple(out.ids)


def mentions(word: str, name: str) -> bool:
    """Is ``word`` the name, maybe with one-letter prefixes glued on ("ובונבון", "למיצי")?"""
    return key(name) in forms(word)


def kept_names(words, names) -> list[str]:
    """The names that come back somewhere in ``words``."""
    return [n for n in names if any(mentions(w, n) for w in words)]


def repeated(words) -> np.ndarray:
    """For each word: does it end a three-word phrase that already appeared earlier?"""
    flags = np.zeros(len(words), dtype=bool)
    seen = set()
    for i in range(2, len(words)):
        gram = tuple(words[i - 2 : i + 1])
        flags[i] = gram in seen
        seen.add(gram)
    return flags


@lru_cache(maxsize=32)
def names_curve(name: str, names: tuple[str, ...], length: int, temperature: float, seed: int) -> tuple[int, ...]:
    """How many names come back, for each window size in CURVE_WINDOWS (memoised)."""
    model, _ = story_model(name)
    return tuple(len(kept_names(model.words(continue_story(name, w, length, temperature, seed)), names)) for w in CURVE_WINDOWS)


def _runs(words, classes) -> str:
    """Consecutive words with the same class as one span, spaced like written text
    (``spaces``: no space before a full stop even where a span ends); sentence
    breaks are dropped, the space after the stop stands for them."""
    kept = [(w, c) for w, c in zip(words, classes) if w != ngram.BREAK]
    gaps = spaces([w for w, _ in kept])
    out, i = [], 0
    while i < len(kept):
        j = i
        while j < len(kept) and kept[j][1] == kept[i][1]:
            j += 1
        text = esc(detokenize(w for w, _ in kept[i:j]))
        out.append((" " if gaps[i] else "") + (tag("span", text, class_=kept[i][1]) if kept[i][1] else text))
        i = j
    return "".join(out)


def render_story(words: list[str], window: int, names) -> str:
    total = len(words)
    first_seen = max(total - window, 0)

    def cls(i):
        parts = ["in-window" if i >= first_seen else "out-of-window"]
        if any(mentions(words[i], n) for n in names):
            parts.append("name")
        return " ".join(parts)

    if total <= HEAD + TAIL:
        return _runs(words, [cls(i) for i in range(total)])
    head = range(HEAD)
    tail = range(total - TAIL, total)
    hidden = total - HEAD - TAIL
    hidden_seen = max(0, min(hidden, total - TAIL - first_seen))
    key, counts = ("context-window.elided", {}) if hidden_seen == 0 else ("context-window.elided_seen", {"seen": hidden_seen})
    counts["count"] = hidden
    # the marker is in the page's language, the story in Hebrew: isolated when the two differ
    gap = isolate(t(key, **counts), around=STORY_DIR, body=t(key, **{k: num(v) for k, v in counts.items()}))
    return (
        _runs([words[i] for i in head], [cls(i) for i in head])
        + " "
        + tag("span", gap, class_="elided " + ("in-window" if hidden_seen else "out-of-window"))
        + " "
        + _runs([words[i] for i in tail], [cls(i) for i in tail])
    )


def characters(listed: str, story_words) -> tuple[str, ...]:
    """The comma-separated names that really occur in the story (at most 12)."""
    names = (n.strip() for n in listed.split(","))
    return tuple(n for n in names if n and any(mentions(w, n) for w in story_words))[:12]


def word_classes(words, names) -> list[str]:
    """CSS classes for the continuation: "name" for a character, "repeat" for a repeated phrase."""
    flags = iter(repeated([w for w in words if w != ngram.BREAK]))
    classes = []
    for w in words:
        again = w != ngram.BREAK and bool(next(flags))
        is_name = any(mentions(w, n) for n in names)
        classes.append(" ".join(c for c, on in (("name", is_name), ("repeat", again)) if on))
    return classes


def judge(kept: int, names: int, share: float) -> str:
    """Lost the plot (a third of the characters or fewer came back) and/or repeating (≥ 25%)."""
    lost, repeats = kept <= names // 3, share >= 0.25
    case = "both" if lost and repeats else "lost" if lost else "repeats" if repeats else "kept"
    return t(f"context-window.verdict_{case}")


def run(params: dict, action: str, state) -> dict:
    name = story_name(params["story"])
    model, story = story_model(name)
    story_words = model.words(story)
    names = characters(params["names"], story_words)
    draw = draw_count(state, action)
    seed = params["seed"] + draw
    window, length, temperature = params["window"], params["length"], params["temperature"]

    words = model.words(continue_story(name, window, length, temperature, seed))
    kept = kept_names(words, names)
    rep = repeated([w for w in words if w != ngram.BREAK])
    share = float(rep.mean()) if rep.size else 0.0
    curve = names_curve(name, names, length, temperature, seed)
    verdict = judge(len(kept), len(names), share)
    seen_all = window >= len(story)
    nearest = int(np.argmin([abs(np.log(w) - np.log(window)) for w in CURVE_WINDOWS]))
    plot = bar(
        [""] * len(CURVE_WINDOWS),  # the window sizes are the buttons under the bars
        list(curve),
        highlight=nearest,
        title=t("context-window.plot_title"),
        desc=t("context-window.plot_desc", points="; ".join(f"{w}: {k}" for w, k in zip(CURVE_WINDOWS, curve)), total=len(names)),
        ylabel=t("context-window.y_label"),
        rtl=rtl(),  # the smallest window where the slider's minimum is
    )
    # One button under each bar: it moves the slider to that window (the binder's
    # name/value) and runs the slider's action, so the bars are a way to navigate.
    jumps = tag(
        "div",
        "".join(
            tag(
                "button",
                num(w),
                type="button",
                data_action="update",
                name_="window",
                value=w,
                aria_label=t("context-window.jump", window=w, kept=k, total=len(names)),
                aria_current="true" if i == nearest else None,
            )
            for i, (w, k) in enumerate(zip(CURVE_WINDOWS, curve))
        ),
        class_="bar-jumps",
        dir="rtl" if rtl() else "ltr",  # the way the chart's bars run
        role="group",
        aria_label=t("context-window.jumps_label"),
    )
    names_list = tag(
        "ul",
        "".join(
            tag(
                "li",
                esc(t("context-window.name_kept" if n in kept else "context-window.name_lost", name=n)),
                class_="kept" if n in kept else "lost",
            )
            for n in names
        ),
        class_="names",
    )
    body = (
        tag(
            "p",
            t("context-window.sees", window=num(min(window, len(story))), total=num(len(story)))
            + (" " + esc(t("context-window.sees_all")) if seen_all else ""),
            class_="stats",
        )
        + tag("blockquote", render_story(story_words, window, names), class_="story", dir=STORY_DIR, tabindex="0")
        + tag("p", esc(t("context-window.continuation")), class_="label")
        + tag("blockquote", _runs(words, word_classes(words, names)), class_="generated", dir=STORY_DIR)
        + tag(
            "p",
            t("context-window.measures", kept=num(len(kept)), names=num(len(names)), repeat=num(round(100 * share), unit="%")),
            class_="stats",
        )
        + names_list
        + tag("p", esc(verdict), class_="verdict")
        + tag("div", plot + jumps, class_="bar-chart")
        + tag("p", esc(t("context-window.plot_note")), class_="note")
        + how(esc(t("context-window.explain", share=round(100 * LOOK_BACK))))
    )
    summary = t("context-window.summary", window=window, kept=len(kept), names=len(names), repeat=round(100 * share))
    return {"html": body, "text": f"{summary} {verdict}", "state": {"draw": draw}}
