"""Polish a result in tiny steps: keep the base description, add one modifier at a time.

The article: "To polish a result, keep the base description and iterate in tiny
steps — add a colour, an angle or lighting instead of replacing a core concept.
That way you stay close to the chain of patterns the model already made and
avoid dramatic jumps."

The reader starts from a base prompt and builds a strip of pictures with the
tiny model of :mod:`.cppn`: "add" appends one modifier (a short vector along
the colour / framing / light coordinates), "swap" replaces the core word of the
chosen kind (subject, place or time of day — a long vector in a fresh random
direction).  A line plot tracks how far each picture is from the first, in
percent of pixel values: modifiers creep up a few percent at a time, a swap
jumps by about a third, because the network is smooth — nearby vectors, nearby
pictures — and core words are far apart by design.
"""

from __future__ import annotations

import re

from ..models import cppn
from ..kit.i18n import rtl, t
from ..kit.png import picture_url
from ..kit.markup import esc, image, num, shown, tag
from ..kit.plots import line
from ..kit.spec import Param, button, list_of, optional, one_of, plain, record, select, text, whole, words

KIND = "refine-steps"
MAX_BASE = 60
MAX_STEPS = 10
MODIFIER_OPTIONS = tuple(cppn.MODIFIERS)
CORE_OPTIONS = (
    "evening",
    "night",
    "morning",
    "sunrise",
    "sunset",
    "sea",
    "city",
    "forest",
    "desert",
    "dog",
    "horse",
    "bird",
    "robot",
    "cat",
)
PARAMS = {
    "base": Param("str", key="refine-steps.default_base", max_length=MAX_BASE, help="the base description"),
    "modifier": Param("choice", "red", choices=MODIFIER_OPTIONS, help="the modifier 'add' appends"),
    "core": Param("choice", "evening", choices=tuple(cppn.CORE), help="the core word 'swap' puts in"),
    "size": Param("int", 64, min=32, max=64, help="thumbnail side in pixels (a full strip of 64s fits the time budget)"),
    "seed": Param("int", 0, min=0, max=10**6, help="the network's fixed random weights and word points"),
    "step": Param("int", 0, min=0, max=MAX_STEPS - 1, help="the step a clicked thumbnail jumps to ('goto')"),
}
CONTROLS = [
    text("base", "refine-steps.base", max_length=MAX_BASE, action="reset", live=True),  # < 1 ms
    select("modifier", "refine-steps.modifier", [(m, f"refine-steps.opt.{m}") for m in MODIFIER_OPTIONS], action=""),
    button("add", "refine-steps.add", primary=True),
    select("core", "refine-steps.core", [(c, f"refine-steps.opt.{c}") for c in CORE_OPTIONS], action=""),
    button("swap", "refine-steps.swap"),
    button("reset", "refine-steps.reset"),
]
_TEXT = words(MAX_BASE * 4)  # a prompt grown by nine modifiers stays far below this
STATE = {  # the strip so far: each step's prompt, and the move that made it
    "steps": list_of(
        record("Step", prompt=_TEXT, move=one_of("base", "add", "swap"), old=_TEXT, new=_TEXT),
        most=MAX_STEPS,
        least=1,
    ),
    "current": optional(whole(0, MAX_STEPS - 1)),  # the step on show (null: the last)
}
_WORD_EDGE = r"(?<![^\W_]){}(?![^\W_])"


def no_words_note(prompt: str) -> str:
    """The message for a start prompt with nothing to read (the prompts' shared strings)."""
    text = shown(prompt, 30)
    return t("prompts.no_words", which=text) if text else t("prompts.no_words_blank")


def is_latin(prompt: str) -> bool:
    """Write added words in English when the prompt has Latin letters and no Hebrew ones."""
    return bool(re.search("[a-z]", prompt)) and not re.search("[\u05d0-\u05ea]", prompt)


def add_modifier(prompt: str, modifier: str) -> tuple[str, str] | None:
    """The prompt with one modifier appended, and the word added; ``None`` if it is already there."""
    if ("modifier", modifier) in cppn.concepts(prompt):
        return None
    word = cppn.word_for(modifier, is_latin(prompt))
    return (f"{prompt}, {word}" if prompt.strip() else word), word


def swap_core(prompt: str, core: str) -> tuple[str, str, str] | None:
    """Replace the last core word of the same kind (subject, place, time) by ``core``.

    Returns ``(new prompt, old word, new word)``; a Hebrew prefix such as ב stays in
    front ("בשקיעה" → "בערב").  With no word of that kind the new word is appended
    (old word empty).  ``None`` when ``core`` is already in the prompt.
    """
    prompt = cppn.normalise(prompt)
    words = cppn.parse(prompt)
    if any(role == "core" and key == core for _, role, key in words):
        return None
    category = cppn.CORE[core][0]
    same_kind = [s for s, role, key in words if role == "core" and cppn.CORE[key][0] == category]
    if not same_kind:
        word = cppn.word_for(core, is_latin(prompt))
        return (f"{prompt} {word}" if prompt.strip() else word), "", word
    old = same_kind[-1]
    prefix, _ = cppn.split_prefix(old)
    new = prefix + cppn.word_for(core, is_latin(old))
    spans = list(re.finditer(_WORD_EDGE.format(re.escape(old)), prompt))
    start, end = spans[-1].span()
    return prompt[:start] + new + prompt[end:], old, new


def fresh(base: str) -> list[dict]:
    """The strip's first step: the base prompt, normalised so later edits find its words."""
    return [{"prompt": cppn.normalise(shown(base, MAX_BASE)), "move": "base", "old": "", "new": ""}]


def word(text: str) -> str:
    """One typed word, isolated: two Latin words around an arrow would otherwise form
    one left-to-right run, and an RTL reader would read the change backwards."""
    return tag("bdi", esc(shown(text, 30)))


def step_label(step: dict) -> str:
    """The thumbnail's caption, as markup."""
    if step["move"] == "add":
        return t("refine-steps.step_add", word=word(step["new"]))
    if step["move"] == "swap":
        return t("refine-steps.step_swap", old=word(step["old"] or "…"), new=word(step["new"]))
    return esc(t("refine-steps.step_base"))


def run(params: dict, action: str, state) -> dict:
    size, seed = params["size"], params["seed"]
    if state is None or action in ("init", "reset"):
        steps = fresh(params["base"])
        current = len(steps) - 1
    else:
        steps = plain(state.steps)
        # The step on show: the last, or the thumbnail the reader jumped to ("goto").
        # A new add or swap continues from it: the steps after it give way to the new one.
        current = len(steps) - 1 if state.current is None else min(state.current, len(steps) - 1)
    if action == "goto":
        current = min(params["step"], len(steps) - 1)
    kept = steps[: current + 1]
    note = ""
    last = kept[-1]["prompt"]
    made = None
    if action in ("add", "swap") and len(kept) >= MAX_STEPS:
        note = t("refine-steps.full", count=MAX_STEPS)
    elif action == "add":
        added = add_modifier(last, params["modifier"])
        if added is None:
            note = t("refine-steps.already", word=cppn.word_for(params["modifier"], is_latin(last)))
        else:
            made = {"prompt": added[0], "move": "add", "old": "", "new": added[1]}
    elif action == "swap":
        swapped = swap_core(last, params["core"])
        if swapped is None:
            note = t("refine-steps.same_core", word=cppn.word_for(params["core"], is_latin(last)))
        else:
            made = {"prompt": swapped[0], "move": "swap", "old": swapped[1], "new": swapped[2]}
    if made is not None:
        steps = kept + [made]
        current = len(steps) - 1

    keys = [cppn.concepts(s["prompt"]) for s in steps]
    first = cppn.picture(keys[0], size, seed)
    pictures = [cppn.picture(k, size, seed) for k in keys]
    from_first = [cppn.pixel_difference(first, p) for p in pictures]
    from_previous = [0.0] + [cppn.pixel_difference(a, b) for a, b in zip(pictures, pictures[1:])]

    thumbs = []
    for i, (step, key, pct) in enumerate(zip(steps, keys, from_first)):
        alt = t("refine-steps.step_alt", step=i, prompt=shown(step["prompt"], 80), pct=f"{pct:.0f}")
        caption = tag("span", step_label(step), class_="step-move") + " " + num(pct, 0, unit="%")
        # Each thumbnail is a button that jumps to its step (the binder sends "step").
        jump = tag(
            "button",
            image(picture_url(cppn.picture, key, size, seed), alt, size, "generated thumb")
            + tag("span", caption, class_="step-caption"),
            type="button",
            class_="step-jump",
            data_action="goto",
            name_="step",
            value=i,
            aria_current="step" if i == current else None,
        )
        thumbs.append(tag("li", jump, class_=f"step step-{step['move']}" + (" current" if i == current else "")))
    # The strip and the chart's x axis run the same way: step 0 on the right in RTL.
    strip = tag(
        "ol", "".join(thumbs), class_="refine-strip", aria_label=t("refine-steps.strip_label"), dir="rtl" if rtl() else "ltr"
    )
    plot = line(
        {t("refine-steps.series"): from_first},
        title=t("refine-steps.plot_title"),
        desc=t("refine-steps.plot_desc", steps=len(steps) - 1, last=f"{from_first[-1]:.0f}", jump=f"{max(from_previous):.0f}"),
        xlabel=t("refine-steps.x_label"),
        ylabel=t("refine-steps.y_label"),
        xs=list(range(len(steps))) if len(steps) > 1 else [0, 1],
        ylim=(0.0, max(40.0, max(from_first))),
        rtl=rtl(),
    )

    move, jump, total = steps[current], f"{from_previous[current]:.0f}", f"{from_first[current]:.0f}"
    if move["move"] == "add":
        verdict = t("refine-steps.move_add", word=move["new"], step=jump, total=total)
    elif move["move"] == "swap" and move["old"]:
        verdict = t("refine-steps.move_swap", old=move["old"], new=move["new"], step=jump)
    elif move["move"] == "swap":
        verdict = t("refine-steps.move_append", new=move["new"], step=jump)
    else:
        verdict = t("refine-steps.move_base")
    if current < len(steps) - 1:
        verdict = t("refine-steps.at_step", step=current, later=len(steps) - 1 - current) + " " + verdict
    if not keys[0]:
        note = " ".join(filter(None, [no_words_note(steps[0]["prompt"]), note]))

    body = strip + plot + (tag("p", esc(note), class_="message") if note else "") + tag("p", esc(verdict), class_="verdict")
    summary = t("refine-steps.summary", prompt=shown(move["prompt"], 80), steps=len(steps) - 1, total=total)
    state = {"steps": steps, "current": current}
    return {"html": body, "text": " ".join(filter(None, [summary, note, verdict])), "state": state}
