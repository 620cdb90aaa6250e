"""grounding: facts pasted into the question are copied into the answer; without them the model invents."""

import json
import re

import pytest

from maamar_live.models import copying
from maamar_live.text.tokenizer import same_word
from maamar_live.widgets import grounding as g
from maamar_live.models import ngram
from maamar_live import runtime

KIND = "grounding"
FACTS = g.PARAMS["facts"].initial("he")


def answers(question, facts=FACTS, weight=0.6):
    out = runtime.call(KIND, {"question": question, "facts": facts, "weight": weight}, "ask")
    start = tuple(g.words_of(g.t(f"grounding.start_{question}")))
    sentences = tuple(tuple(s) for s in g.fact_sentences(facts))
    return copying.answer((), start, weight), copying.answer(sentences, start, weight), out


def test_times_phones_and_prefixed_numbers_stay_single_tokens():
    assert g.words_of(FACTS)[:13] == [
        "“",
        "הפינה",
        "של",
        "תמר",
        "”",
        "פתוח",
        "בימי",
        "שישי",
        "מ-7:30",
        "עד",
        "14:00",
        ".",
        "הטלפון",
    ]
    assert "03-5551234" in g.words_of(FACTS)
    assert g.words_of("בין 7:30-14:00, טל׳ 03\u20135551234") == ["בין", "7:30-14:00", ",", "טל׳", "03-5551234"]
    assert g.words_of("GPT-4 ו־3.5") == ["GPT", "4", "ו-3.5"]


def test_prefixed_forms_count_as_the_same_word():
    assert same_word("בטלפון", "הטלפון") and same_word("שישי", "בשישי") and same_word("המומלצת", "מומלצת")
    assert not same_word("כלב", "לב") and not same_word("שלי", "לי")


def test_the_pointer_prefers_a_two_word_match():
    stream = ["\n", "המנה", "המומלצת", ":", "שקשוקה", "\n", "הטלפון", ":", "03-5551234", "\n"]
    scores = copying.copy_scores(stream, ["את", "המנה", "המומלצת"])
    assert scores[3] == 3.0 and scores.sum() == 3.0
    scores = copying.copy_scores(stream, ["בטלפון", ":"])
    assert scores[8] == 3.0 and scores.sum() == 3.0  # a ":" alone is no anchor
    scores = copying.copy_scores(stream, ["טלפון"])
    assert scores[7] == 1.0 and scores.sum() == 1.0


@pytest.mark.parametrize(
    "question,value,changed,new_value",
    [
        ("hours", "14:00", FACTS.replace("14:00", "16:00"), "16:00"),
        ("phone", "03-5551234", FACTS.replace("03-5551234", "04-1234567"), "04-1234567"),
        ("dish", "שקשוקה", FACTS.replace("שקשוקה עם פטה", "פנקייק עם סילאן"), "פנקייק"),
    ],
)
def test_the_answer_follows_the_facts_and_changes_with_them(question, value, changed, new_value):
    bare, grounded, _ = answers(question)
    assert value in grounded.words
    assert value not in bare.words and not any(re.search(r"\d", w) for w in bare.words)
    _, regrounded, out = answers(question, changed)
    assert new_value in regrounded.words and value not in regrounded.words
    assert new_value in out["text"]


def test_fact_only_words_are_new_to_the_model_and_can_only_be_copied():
    model = ngram.from_corpus(3)
    assert "14:00" not in model.index and "שקשוקה" not in model.index
    _, grounded, out = answers("hours")
    i = grounded.words.index("14:00")
    assert grounded.copied[i] and grounded.new[i]
    assert all(grounded.copied)
    html = out["html"]
    assert re.search(r'class="tok conf-\d copied new-word"[^>]*>14:00<', html)
    without = html.split('class="side with"')[0]
    assert "copied" not in without.split('class="side without"')[1]
    assert '<mark class="source" dir="ltr">14:00</mark>' in html or '<mark class="source">14:00</mark>' in html


def test_the_weight_decides_how_much_the_facts_count():
    bare, none, _ = answers("dish", weight=0.0)
    assert none.words == bare.words and not any(none.copied)
    _, low, _ = answers("dish", weight=0.05)
    _, high, _ = answers("dish", weight=0.8)
    assert "שקשוקה" not in low.words and "שקשוקה" in high.words
    assert sum(low.copied) < sum(high.copied)


def test_the_facts_as_lines_without_full_stops_and_with_other_wording():
    facts = "בשישי פותחים ב-8:00 וסוגרים ב-16:00\nמספר הטלפון הוא 04-1234567"
    _, hours, _ = answers("hours", facts)
    _, phone, _ = answers("phone", facts)
    assert "ב-16:00" in hours.words and "04-1234567" in phone.words


@pytest.mark.parametrize(
    "facts,message",
    [
        ("", "grounding.empty"),
        ("Tamar's Corner is open on Fridays 7:30-14:00. Phone: 03-5551234.", "grounding.no_match"),
        ("14:00 16:00 03-5551234", "grounding.no_match"),
        ("😀🙈🎉", "grounding.no_match"),
    ],
)
def test_facts_the_copy_cannot_use_get_a_hebrew_message(facts, message):
    out = runtime.call(KIND, {"facts": facts, "question": "hours"}, "ask")
    assert g.t(message) in out["text"]
    assert "14:00" not in out["text"].split("עם העובדות")[1]


def test_deterministic():
    params = {"facts": FACTS.replace("14:00", "15:30"), "question": "hours", "weight": 0.45}
    assert runtime.call(KIND, params, "ask") == runtime.call(KIND, params, "ask")
    sampled = {**params, "temperature": 0.9, "seed": 7}
    assert runtime.call(KIND, sampled, "ask") == runtime.call(KIND, sampled, "ask")


@pytest.mark.parametrize("action", ["init", "ask", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"facts": "<img src=x onerror=alert(1)> הטלפון: <script>03-5551234</script>", "question": "phone"}, {}),
        ({"facts": "\u202eהפינה של תמר פתוח בימי שישי עד 16:00\u202c", "question": "not-a-choice"}, {"question": 5}),
        ({"facts": "ש" * 100_000, "weight": "nan", "temperature": "x", "seed": 10**12}, {"junk": [1, 2]}),
        ({"facts": "הטלפון " * 20_000, "question": "phone", "weight": -3}, "junk"),
        ({"facts": None, "weight": 99}, []),
        ({"facts": "😀🙈 \x00\x07 \ufeff"}, None),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    html = out["html"]
    assert "<img" not in html and "<script" not in html and "\u202e" not in html and "\u202e" not in out["text"]
    assert out["text"]
    assert len(json.dumps(out["state"], ensure_ascii=False)) < 200
    json.dumps(out)


def test_excerpts_have_no_space_before_punctuation():
    """The text is written as marked spans: a span boundary must not add a space ("רחל ." → "רחל.")."""
    for params in ({}, {"weight": 0}):
        for action in ("init", "again", "ask"):
            text = re.sub(r"<[^>]+>", "", runtime.call("grounding", params, action)["html"])
            assert not re.search(r"[^\s\d] [.,;:!?]", text), re.findall(r".{12}[^\s\d] [.,;:!?]", text)[:3]


def test_the_caption_names_the_answers_by_order_as_the_page_shows_them():
    """Side by side in RTL, stacked on a phone: "first/second" holds for both, "left/right" for neither."""
    caption = g.t("grounding.caption")
    assert "הראשונה" in caption and "ובשנייה" in caption
    assert not any(side in caption for side in ("שמאל", "ימין"))
    html = runtime.call(g.KIND, {}, "init")["html"]
    assert html.index('class="side without"') < html.index('class="side with"'), "the no-facts answer comes first"


@pytest.mark.parametrize("question", g.QUESTIONS)
def test_an_english_page_starts_from_english_facts_and_copies_from_them(question):
    out = runtime.call(KIND, {"question": question}, "ask", lang="en")
    assert out["params"]["facts"] == g.t("grounding.default_facts", "en")
    assert g.t("grounding.no_match", "en") not in out["text"]
    copied = re.search(r"\((\d+) of the (\d+) words copied", out["text"])
    assert copied and int(copied.group(1)) >= 3, out["text"]


def test_the_answers_run_the_pages_way():
    english = runtime.call(KIND, {}, "init", lang="en")["html"]
    hebrew = runtime.call(KIND, {}, "init", lang="he")["html"]
    assert english.count('class="answer generated" dir="ltr"') == 2 and 'dir="rtl"' not in english
    assert hebrew.count('class="answer generated" dir="rtl"') == 2 and 'class="prompt-seen" dir="rtl"' in hebrew
    # "from 7:30 to 14:00" is read in order in English: no word is turned around on its own
    assert '<span class="tok conf-3 copied new-word" title="copied from the facts · confidence 65%">from</span>' in english
    assert 'dir="ltr">14:00</span>' in hebrew  # a number in a Hebrew answer stays isolated left-to-right
