"""One small word, a completely different picture.

The article: "Midjourney shows another side: you change one small word in the
prompt — 'sunset' instead of 'evening' — and get a completely different image …
a small change takes a whole new path through the network of connections."

Two prompts side by side, each drawn by the tiny text-to-image model of
:mod:`.cppn`.  Each known word is a point in a 32-coordinate cloud of features and
a prompt is the sum of its words' points; core words (subject, place, time of day)
sit far from each other, modifiers (colour, angle, light) are short steps.  The
same network then paints every pixel from the prompt's vector, so the distance
between the two vectors predicts how different the pictures are: swap a core
word and the colours move by about a third of their full range on average, add
a colour and they move by a few percent.  The word → vector geometry is designed by hand (the caption says
so); the pictures are really computed from the vectors.
"""

from __future__ import annotations

import numpy as np

from ..models import cppn
from ..kit.i18n import t
from ..kit.png import picture_url
from ..kit.markup import esc, image, num, shown, tag
from ..kit.spec import Param, button, text

KIND = "prompt-to-image"
MAX_PROMPT = 80
PARAMS = {
    "prompt_a": Param("str", key="prompt-to-image.default_a", max_length=MAX_PROMPT, help="the first prompt"),
    "prompt_b": Param("str", key="prompt-to-image.default_b", max_length=MAX_PROMPT, help="the second prompt"),
    "size": Param("int", 128, min=32, max=128, help="picture side in pixels (128 fits the time budget)"),
    "seed": Param("int", 0, min=0, max=10**6, help="the network's fixed random weights and word points"),
}
CONTROLS = [
    text("prompt_a", "prompt-to-image.prompt_a", max_length=MAX_PROMPT, action="update", live=True),  # ~2 ms
    text("prompt_b", "prompt-to-image.prompt_b", max_length=MAX_PROMPT, action="update", live=True),
    button("draw", "prompt-to-image.draw", primary=True),
]


def alt_text(prompt: str) -> str:
    """Hebrew alt text naming the prompt (cleaned of bidi overrides, shortened)."""
    text = shown(prompt, 60)
    return t("prompts.alt", prompt=text) if text else t("prompts.alt_empty")


def word_list(words: list[tuple[str, str, str]]) -> str:
    """The prompt as the model read it: each word with its role (core, modifier...)."""
    items = "".join(
        tag(
            "li",
            tag("bdi", esc(surface)) + " " + tag("span", esc(t(f"prompts.role.{role}")), class_="role"),
            class_=f"word word-{role}",
        )
        for surface, role, _ in words
    )
    return tag("ul", items, class_="prompt-words", aria_label=t("prompt-to-image.words_label")) if items else ""


def changed_words(words_a, words_b) -> tuple[str, list[str], list[str]]:
    """Which kind of word differs between the prompts (core before unknown before
    modifier), and the differing words of that kind as typed in each prompt."""
    keys_a = {(role, key) for _, role, key in words_a if role != "filler"}
    keys_b = {(role, key) for _, role, key in words_b if role != "filler"}
    changed = keys_a ^ keys_b
    for kind in ("core", "unknown", "modifier"):
        if any(role == kind for role, _ in changed):

            def typed(words, kind=kind):
                return list(dict.fromkeys(s for s, role, key in words if role == kind and (role, key) in changed))

            return kind, typed(words_a), typed(words_b)
    return "same", [], []


def describe_change(kind: str, only_a: list[str], only_b: list[str]) -> tuple[str, str]:
    """The verdict as text and as markup.  In the markup every typed word is isolated
    on its own: "evening ← sunset" as one Latin run would read backwards in RTL."""
    sep = t("prompts.list_sep")
    if only_a and only_b:
        key, values = f"prompt-to-image.{kind}_changed", {"old": only_a[:3], "new": only_b[:3]}
    elif only_b:
        key, values = f"prompt-to-image.{kind}_added", {"new": only_b[:3]}
    else:
        key, values = f"prompt-to-image.{kind}_removed", {"old": only_a[:3]}
    text = t(key, **{k: sep.join(shown(w, 30) for w in v) for k, v in values.items()})
    html = t(key, **{k: sep.join(tag("bdi", esc(shown(w, 30))) for w in v) for k, v in values.items()})
    return text, html


def no_words_note(prompt: str) -> str:
    """The Hebrew message for a prompt with nothing to read (empty, emoji only, punctuation)."""
    text = shown(prompt, 30)
    return t("prompts.no_words", which=text) if text else t("prompts.no_words_blank")


def panel(prompt: str, words, url: str, size: int, alt: str) -> str:
    caption = tag("bdi", esc(shown(prompt, MAX_PROMPT)), class_="prompt-text") + word_list(words)
    return tag("figure", image(url, alt, size) + tag("figcaption", caption), class_="prompt-panel")


def run(params: dict, action: str, state: dict | None) -> dict:
    prompt_a, prompt_b = params["prompt_a"], params["prompt_b"]
    size, seed = params["size"], params["seed"]
    words_a, words_b = cppn.parse(prompt_a), cppn.parse(prompt_b)
    key_a, key_b = cppn.concepts(prompt_a), cppn.concepts(prompt_b)
    distance = float(np.linalg.norm(cppn.prompt_vector(key_a, seed) - cppn.prompt_vector(key_b, seed)))
    pct = cppn.pixel_difference(cppn.picture(key_a, size, seed), cppn.picture(key_b, size, seed))

    alt_b = f"{alt_text(prompt_b)} {t('prompt-to-image.alt_diff', pct=f'{pct:.0f}')}"
    panels = panel(prompt_a, words_a, picture_url(cppn.picture, key_a, size, seed), size, alt_text(prompt_a)) + panel(
        prompt_b, words_b, picture_url(cppn.picture, key_b, size, seed), size, alt_b
    )

    notes = [no_words_note(prompt) for prompt, key in ((prompt_a, key_a), (prompt_b, key_b)) if not key]
    kind, only_a, only_b = changed_words(words_a, words_b)
    if kind == "same":
        verdict = t(
            "prompt-to-image.same_text" if shown(prompt_a, None) == shown(prompt_b, None) else "prompt-to-image.same_concepts"
        )
        verdict_html = esc(verdict)
    else:
        verdict, verdict_html = describe_change(kind, only_a, only_b)

    body = (
        tag("div", panels, class_="prompt-pair")
        + tag("p", t("prompt-to-image.stats", dist=num(distance, 2), pct=num(pct, 1, "%")), class_="stats")
        + tag("p", esc(t("prompt-to-image.scale_hint")), class_="hint")
        + "".join(tag("p", esc(note), class_="message") for note in dict.fromkeys(notes))
        + tag("p", verdict_html, class_="verdict")
    )
    summary = t("prompt-to-image.summary", a=shown(prompt_a, 40), b=shown(prompt_b, 40), dist=f"{distance:.2f}", pct=f"{pct:.1f}")
    return {"html": body, "text": f"{summary} {verdict}", "state": None}
