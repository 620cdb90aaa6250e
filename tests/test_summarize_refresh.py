"""summarize-refresh: early facts fall out of the window; a short extractive recap brings them back."""

import json
import re

import pytest

from maamar_live import runtime
from maamar_live.widgets import summarize_refresh as sr
from maamar_live.text.tokenizer import detokenize

KIND = "summarize-refresh"
ANSWERS = {"allergy": "לבוטנים", "dog": "פיסטוק", "name": "דנה"}


def call(action, state=None, **params):
    return runtime.call(KIND, params, action, state)


def verdict(out) -> str:
    for case in ("right", "wrong", "unknown"):
        if sr.t(f"summarize-refresh.verdict_{case}") in out["text"]:
            return case
    raise AssertionError(out["text"])


def pushed_out(seed=0):
    """The opening facts and one round of small talk: at the default window the facts are gone."""
    return call("talk", call("init", seed=seed)["state"], seed=seed)["state"]


def test_at_first_every_early_fact_is_inside_the_window_and_answered():
    start = call("init")
    assert sr.t("summarize-refresh.marker_all") in start["html"]
    for q, value in ANSWERS.items():
        out = call("ask", start["state"], question=q)
        assert verdict(out) == "right" and value in out["text"]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_small_talk_pushes_the_facts_out_and_the_model_no_longer_knows(seed):
    state = pushed_out(seed)
    out = call("update", state, seed=seed)
    assert out["html"].count('class="turn user out-of-window fact"') == 2
    for q, value in ANSWERS.items():
        out = call("ask", state, question=q, seed=seed)
        assert verdict(out) in ("unknown", "wrong") and value not in out["text"].split("תשובת הבוט")[1]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_summary_brings_the_facts_back_into_the_window(seed):
    state = call("summarize", pushed_out(seed), seed=seed)["state"]
    summary = state["turns"][-1]
    assert summary[0] == "s"
    assert [ref[:2] for ref in summary[1]] == [["f", 0], ["f", 2]]  # the two facts, not the small talk
    out = call("update", state, seed=seed)
    assert 'class="turn user in-window recap"' in out["html"]
    for q, value in ANSWERS.items():
        out = call("ask", state, question=q, seed=seed)
        assert verdict(out) == "right" and value in out["text"]


def test_the_summary_is_extractive_and_within_its_budget():
    state = pushed_out()
    turns = state["turns"]
    refs = sr.summarize(turns, sr.BUDGET)
    texts = {sr.base_text(c) for i, c in enumerate(turns) if sr.speaker(turns, i) == "user"}
    for kind, i, k in refs:
        sentence = detokenize(sr.sentences(sr.base_text([kind, i]))[k])
        assert any(sentence in text for text in texts)  # Dana's own words, verbatim
    assert sum(sr.is_word(w) for kind, i, k in refs for w in sr.sentences(sr.base_text([kind, i]))[k]) <= sr.BUDGET
    small = sr.summarize(turns, 8)
    assert len(small) == 1  # a small window: room for one fact


def test_more_small_talk_pushes_the_summary_out_too():
    state = call("summarize", pushed_out())["state"]
    state = call("talk", call("talk", state)["state"])["state"]
    assert verdict(call("ask", state, question="dog")) != "right"
    state = call("summarise", state)["state"]  # summarising again works again
    assert verdict(call("ask", state, question="dog")) == "right"


def test_a_wrong_clause_in_the_window_gives_a_confident_wrong_answer():
    # window 45 at the start: the name has just slipped out, the dog's name (also "קוראים") is still in.
    out = call("ask", call("init")["state"], window=45, question="name")
    assert verdict(out) == "wrong" and "פיסטוק" in out["text"]
    assert "evidence" in out["html"]


def test_window_size_changes_what_is_visible():
    state = pushed_out()
    small = call("update", state, window=20)
    large = call("update", state, window=200)
    assert small["html"].count("out-of-window") > large["html"].count("out-of-window")
    assert sr.t("summarize-refresh.marker_all") in large["html"]
    assert verdict(call("ask", state, window=200, question="allergy")) == "right"


def test_visible_from_counts_words_from_the_end():
    tokens = [["א", "ב", "."], ["ג", ",", "ד", "ה"], ["ו"]]
    assert sr.visible_from(tokens, 10) == [0, 0, 0]
    assert sr.visible_from(tokens, 3) == [3, 2, 0]  # last turn whole, "ד ה" of the middle one
    assert sr.visible_from(tokens, 1) == [3, 4, 0]


def test_answer_copies_the_span_the_question_does_not_contain():
    clause = sr.tokenize("ואני אלרגית לבוטנים ולאגוזים.")
    span, turn, _ = sr.answer("allergy", [(3, clause)])
    assert span == "לבוטנים ולאגוזים" and turn == 3
    assert sr.answer("allergy", [(0, sr.tokenize("אני אוהב את הבית בשעות האלה."))])[0] is None


def test_deterministic_and_seeded():
    a = call("talk", call("init", seed=5)["state"], seed=5)
    assert a == call("talk", call("init", seed=5)["state"], seed=5)
    b = call("talk", call("init", seed=6)["state"], seed=6)
    assert a["state"]["turns"] != b["state"]["turns"]


def test_the_conversation_has_a_limit():
    state = call("init")["state"]
    for _ in range(30):
        state = call("talk", state)["state"]
    assert len(state["turns"]) <= sr.MAX_TURNS
    assert sr.t("summarize-refresh.full", count=sr.MAX_TURNS) in call("talk", state)["text"]
    assert len(json.dumps(state, ensure_ascii=False)) < 20_000


@pytest.mark.parametrize("action", ["init", "talk", "summarize", "summarise", "ask", "reset", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"window": "x", "question": "<script>", "seed": -5}, {}),
        ({"window": 10**9, "question": "name", "seed": "nan"}, {"turns": "junk", "asked": "yes"}),
        ({"window": -1}, {"turns": [["t", 10**12]], "asked": True}),
        ({}, {"turns": [["s", [["f", 0, 99]]]]}),
        ({}, {"turns": [["s", [["f", 0, 0], ["x", 1, 0]]], ["f", True]]}),
        ({}, {"turns": [["f", 0]] * 5000}),
        ({}, {"turns": [["f", 0], ["s", []]], "asked": True}),
        ({"question": "dog"}, "junk"),
        ({}, [1, 2, 3]),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<script" not in out["html"] and out["text"]
    assert len(json.dumps(out["state"], ensure_ascii=False)) < 20_000
    json.dumps(out)


def test_the_caption_quotes_labels_that_exist():
    """The captions name buttons and boxes by what they are called on the page, not by side."""
    from maamar_live.kit.i18n import lookup

    assert f"“{lookup('summarize-refresh.summarize')}”" in lookup("summarize-refresh.caption")
    grounding = lookup("grounding.caption")  # the two answers stack on phones: first/second, not left/right
    assert "משמאל" not in grounding and "מימין" not in grounding
    assert "הראשונה" in grounding and "ובשנייה" in grounding


def test_a_turn_naming_a_line_past_the_corpus_is_refused_with_a_message():
    state = call("init")["state"]
    assert call("update", state)["state"] == state  # a valid state is kept as it came
    forged = {**state, "turns": state["turns"] + [["t", 999_999]]}
    out = call("talk", forged)
    assert "the corpus has no line 999999" in out["html"] and "state-rejected" in out["html"]
    assert out["state"]["turns"] == call("talk", None)["state"]["turns"]
    out = call("update", {**state, "turns": [["s", [["f", 0, 50]]]]})
    assert "that message has no sentence 50" in out["text"]
    out = call("update", {**state, "asked": "yes"})
    assert "asked: expects true or false" in out["text"]


def test_the_old_spelling_of_the_summary_action_still_summarizes():
    state = pushed_out()
    assert call("summarise", state) == call("summarize", state)
    assert call("summarize", state)["state"]["turns"][-1][0] == "s"


def test_a_hebrew_chat_line_is_isolated_on_an_english_page_and_the_answer_runs_left_to_right():
    english = runtime.call("summarize-refresh", {}, "ask", lang="en")["html"]
    hebrew = runtime.call("summarize-refresh", {}, "ask", lang="he")["html"]
    lines = re.findall(r'<li class="turn [^"]*"><span class="speaker">[^<]*</span> (.*?)</li>', english)
    assert lines and all(line.startswith("<bdi>") == any("\u05d0" <= c <= "\u05ea" for c in line) for line in lines)
    assert 'class="answer generated" dir="ltr"' in english
    assert "<bdi>" not in hebrew and 'class="answer generated" dir="rtl"' in hebrew
