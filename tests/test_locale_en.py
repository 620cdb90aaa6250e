"""English has every string the Hebrew locale has, so any built-in widget works in an English article."""

import importlib
import re
import string
from functools import lru_cache
from html.parser import HTMLParser

import pytest

from maamar_live import runtime
from maamar_live.registry import WIDGETS
from maamar_live.text import corpus
from maamar_live.text.tokenizer import is_hebrew, key, tokenize

HEBREW_MODULES = ("runtime", "training", "generation", "prompts")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def module(lang: str, part: str) -> dict[str, str]:
    try:
        return importlib.import_module(f"maamar_live.locale.{lang}.{part}").STRINGS
    except ModuleNotFoundError:
        return {}


@pytest.mark.parametrize("part", HEBREW_MODULES)
def test_every_hebrew_key_exists_in_the_english_module_of_the_same_name(part):
    hebrew, english = module("he", part), module("en", part)
    missing = sorted(set(hebrew) - set(english))
    assert not missing, f"{len(missing)} of {len(hebrew)} keys of he/{part}.py have no English: {missing[:10]}"
    assert not sorted(set(english) - set(hebrew)), "an English key no Hebrew module has"


@pytest.mark.parametrize("part", HEBREW_MODULES)
def test_english_strings_keep_the_hebrew_placeholders(part):
    hebrew, english = module("he", part), module("en", part)
    differ = {k: (placeholders(v), placeholders(english[k])) for k, v in hebrew.items() if k in english}
    differ = {k: pair for k, pair in differ.items() if pair[0] != pair[1]}
    assert not differ, f"placeholders differ (Hebrew, English): {differ}"


def module_strings(lang: str) -> dict[str, str]:
    return {k: v for part in HEBREW_MODULES for k, v in module(lang, part).items()}


def test_the_merged_english_table_is_every_hebrew_key():
    from maamar_live.kit import i18n

    assert set(i18n.built_in("en")) == set(i18n.built_in("he")) == set(module_strings("he"))


# --- an English article shows no Hebrew except the widgets' own data ---------------------

HEBREW_WORD = re.compile(r"[\u05d0-\u05ea\u05f0-\u05f4'\"]*[\u05d0-\u05ea][\u05d0-\u05ea\u05f0-\u05f4'\"]*")
HEBREW_RUN = re.compile(rf"{HEBREW_WORD.pattern}(?:[\s,.:!?–-]+{HEBREW_WORD.pattern})*")
# Elements whose whole content is a Hebrew model's output or a Hebrew text it reads, by class:
# the widget's data, not its wording.  A widget not listed here may show no Hebrew at all.
DATA_ELEMENTS = {
    "context-window": ("story", "generated", "names"),  # the corpus story, its continuation, the characters
    "grounding": ("generated", "prompt-seen"),  # a Hebrew-corpus model's answers; the facts (a Hebrew Param default)
    "hallucination": ("generated", "choices"),  # the answer and the candidate words of a Hebrew-corpus model
    "instant-answer": ("answer",),  # the Hebrew prompt (Param default) and a letter model trained on Hebrew
    "prompt-to-image": ("prompt-panel", "prompt-words"),  # the two prompts (Hebrew Param defaults) as read
    "refine-steps": (),  # the base prompt (a Hebrew Param default) quoted in each thumbnail's alt text
    "repetition-loop": ("generated", "choices", "counts"),  # Hebrew bigram output and its training counts
    "summarize-refresh": ("chat",),  # the small talk: lines of the Hebrew corpus
    "word-neighbours": ("neighbours", "plot", "company"),  # Hebrew corpus words and their counts
}
# Hebrew allowed in the English wording itself: only a data word quoted in a sentence (a term,
# a neighbour, a prompt, a pronoun the Hebrew model wrote), never a run of more than this many words.
MOST_QUOTED = 3


def outside_data(kind: str, html_text: str) -> str:
    """The text and attribute values of ``html_text`` outside the kind's data elements."""
    skip = DATA_ELEMENTS.get(kind, ())
    found: list[str] = []

    class Reader(HTMLParser):
        stack: list[bool] = []

        def handle_starttag(self, tag, attrs):
            inside = (self.stack and self.stack[-1]) or any(c in skip for k, v in attrs if k == "class" and v for c in v.split())
            if not inside:
                found.extend(v for _, v in attrs if v)
            if tag not in VOID:
                self.stack.append(bool(inside))

        def handle_endtag(self, tag):
            if self.stack:
                self.stack.pop()

        def handle_data(self, data):
            if not (self.stack and self.stack[-1]):
                found.append(data)

    Reader(convert_charrefs=True).feed(html_text)
    return " ".join(found)


VOID = {"area", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}


@lru_cache(maxsize=1)
def data_vocabulary() -> frozenset[str]:
    """Every Hebrew word the widgets' data holds: the corpus (stories, term lists) and Param defaults."""
    texts = [corpus.raw_text()] + [
        str(p.initial("he")) for module in WIDGETS.values() for p in module.PARAMS.values() if isinstance(p.initial("he"), str)
    ]
    texts.append(getattr(WIDGETS["context-window"], "DEFAULT_NAMES", ""))
    return frozenset(key(w) for text in texts for w in tokenize(text) if is_hebrew(w))


@pytest.mark.parametrize("kind", sorted(WIDGETS))
def test_an_english_widget_shows_hebrew_only_in_its_own_data(kind):
    out = runtime.call(kind, {}, "init", lang="en")
    runs = HEBREW_RUN.findall(outside_data(kind, out["html"]))
    long_runs = [r for r in runs if len(tokenize(r)) > MOST_QUOTED]
    assert not long_runs, f"{kind}: Hebrew wording in an English widget: {long_runs[:5]}"
    strangers = {w for r in runs for w in tokenize(r) if is_hebrew(w) and key(w) not in data_vocabulary()}
    assert not strangers, f"{kind}: Hebrew words that are no data of the widget: {sorted(strangers)}"
    if kind not in DATA_ELEMENTS:
        assert not runs, f"{kind} has no Hebrew data, yet shows {runs[:5]}"


def test_no_hebrew_sentence_of_the_locale_leaks_into_english_output():
    """Belt and braces: no literal piece (four words or more) of a Hebrew string shows up in English."""
    pieces = {
        piece.strip()
        for text in module_strings("he").values()
        for piece, _, _, _ in string.Formatter().parse(text)
        if len(HEBREW_WORD.findall(piece)) >= 4
    }
    for kind in sorted(WIDGETS):
        out = runtime.call(kind, {}, "init", lang="en")
        shown = outside_data(kind, out["html"]) + out["text"]
        assert not [p for p in pieces if p in shown], kind


def test_english_prompts_draw_with_english_words_only():
    pair = runtime.call("prompt-to-image", {"prompt_a": "a cat at sunset", "prompt_b": "a cat in the evening"}, lang="en")
    assert "The core word “<bdi>sunset</bdi>” was replaced by “<bdi>evening</bdi>”" in pair["html"]
    params = {"base": "a cat at sunset", "modifier": "blue", "core": "dog"}
    state = runtime.call("refine-steps", params, "init", lang="en")["state"]
    state = runtime.call("refine-steps", params, "add", state, lang="en")["state"]
    steps = runtime.call("refine-steps", params, "swap", state, lang="en")
    assert "“a dog at sunset, blue”" in steps["text"]
    for out in (pair, steps):
        assert not re.search("[\u05d0-\u05ea]", out["html"] + out["text"])


def test_english_facts_are_copied_into_the_english_answer():
    facts = "Tamar's Corner is open on Fridays from 7:30 to 14:00. The phone: 03-5551234. The dish to try: shakshuka with feta."
    said = {
        q: runtime.call("grounding", {"question": q, "facts": facts}, "ask", lang="en")["text"]
        for q in ("hours", "phone", "dish")
    }
    assert "with the facts: “Tamar's Corner is open on Fridays from 7:30 to 14:00.”" in said["hours"]
    assert "with the facts: “You can call Tamar's Corner on the phone: 03-5551234.”" in said["phone"]
    assert "with the facts: “At Tamar's Corner, the dish to try: shakshuka with feta.”" in said["dish"]


@pytest.mark.parametrize(
    ("question", "reply"), [("allergy", "allergic to peanuts"), ("dog", "is Pistachio"), ("name", "is Dana")]
)
def test_the_english_conversation_forgets_a_fact_and_the_summary_brings_it_back(question, reply):
    """Dana's English messages are written so the same word-overlap mechanism finds each answer."""
    params = {"question": question, "window": 120}

    def then(action, state):
        return runtime.call("summarize-refresh", params, action, state, lang="en")

    asked = then("ask", then("init", None)["state"])
    assert f"{reply}. Right." in asked["text"]
    state = asked["state"]
    for _ in range(3):
        state = then("talk", state)["state"]
    assert "I have no idea." in then("ask", state)["text"]
    assert f"{reply}. Right." in then("summarize", state)["text"]


def test_a_quoted_label_is_quoted_in_english_by_its_english_label():
    """“Press „לאמן”” must become “Press “Train””: the reader looks for the button they read about."""
    hebrew, english = module_strings("he"), module_strings("en")
    checked = 0
    for k, text in hebrew.items():
        widget = k.split(".")[0]
        for quoted in re.findall(r"[„“״]([^”״“]+)[”״]", text):
            labels = [j for j, v in hebrew.items() if j.split(".")[0] == widget and v == quoted and j != k]
            for j in labels:
                assert f"“{english[j]}”" in english[k], (k, j)
                checked += 1
    assert checked >= 8  # the training and summarize buttons, "pointy ears", …
