"""hallucination: an unseen term gets a fluent, confident answer made of word statistics."""

import json
import re

import pytest

from maamar_live.text import corpus
from maamar_live.widgets import hallucination as h
from maamar_live.models import ngram
from maamar_live import runtime

KIND = "hallucination"


def test_an_unseen_term_has_count_zero_and_still_gets_a_fluent_answer():
    model = ngram.from_corpus(3)
    for term in corpus.unseen_terms()[:3] or ["פיברופלקס"]:
        assert ngram.count(model, h.subject(term)) == 0
        g = h.answer(model, h.subject(term), 0, 0.7, 30)
        assert len(g.words) >= h.MIN_WORDS
        assert ngram.UNK not in g.words  # only real words from training
        assert sum(p >= 0.3 for p in g.probs) >= 2  # and several of them "confident"
    out = runtime.call(KIND, {"term": "פיברופלקס"}, "ask")
    assert "אפס" in out["html"] and 'class="answer generated"' in out["html"]
    assert "conf-3" in out["html"] or "conf-2" in out["html"]


def test_the_answer_does_not_depend_on_an_unknown_term():
    model = ngram.from_corpus(3)
    a = h.answer(model, ["פיברופלקס"], 4, 0.7, 30)
    b = h.answer(model, ["מגנוליט"], 4, 0.7, 30)
    assert a.words == b.words and a.probs == b.probs
    assert ngram.longest_context(model, [0] + model.ids(["פיברופלקס", "הוא"])) == 1


def test_a_rare_term_appeared_once_and_its_sentence_is_shown():
    model = ngram.from_corpus(3)
    rare = corpus.rare_terms()[0]
    assert ngram.count(model, [rare]) == 1
    out = runtime.call(KIND, {"term": f"מה זה {rare}?"}, "ask")
    assert 'class="sightings"' in out["html"]
    assert "פעם אחת" in out["html"]


def test_question_words_are_stripped_and_the_pronoun_follows_the_ending():
    assert h.subject("מה זה טרפזונט?") == ["טרפזונט"]
    assert h.subject("  ?  ") == []
    assert h.pronoun(["היפרטרופיה"]) == "היא" and h.pronoun(["דיבל"]) == "הוא" and h.pronoun(["GPT"]) == "הוא"


def test_probability_buckets():
    from maamar_live.kit.markup import confidence

    assert [confidence(p) for p in (0.0, 0.05, 0.1, 0.2, 0.3, 0.59, 0.6, 1.0)] == [0, 0, 1, 1, 2, 2, 3, 3]


def test_suggestion_and_again_and_state():
    first = runtime.call(KIND, {"suggestion": h.SUGGESTIONS[-1]}, "suggest")
    assert first["state"]["term"] == h.SUGGESTIONS[-1]
    again = runtime.call(KIND, {}, "again", first["state"])
    assert again["state"] == {"term": h.SUGGESTIONS[-1], "draw": 1}
    assert again == runtime.call(KIND, {}, "again", first["state"])


def test_a_forged_state_is_refused_naming_the_field_and_a_valid_one_carries_on():
    kept = runtime.call(KIND, {}, "again", {"term": "זברוטון", "draw": 2})
    assert kept["state"] == {"term": "זברוטון", "draw": 3} and "state-rejected" not in kept["html"]
    for forged, where in (
        ({"term": 5, "draw": 1}, "term: expects text"),
        ({"term": "x" * 41, "draw": 1}, "term: is at most 40 characters long, got 41"),
        ({"term": "x", "draw": -1}, "draw: must be between 0 and 1000000, got -1"),
        ({"term": "x", "draw": "1"}, "draw: expects a whole number"),
        ({"term": "x"}, "state: misses draw"),
        ({"term": "x", "draw": 1, "seed": 3}, "state: has unknown seed"),
    ):
        out = runtime.call(KIND, {}, "again", forged)
        assert where in out["text"] and out["html"].count("state-rejected") == 1
        assert out["state"] == {"term": h.PARAMS["term"].default, "draw": 1}  # a fresh start, one "again" on


@pytest.mark.parametrize("action", ["init", "ask", "suggest", "again", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"term": "<img src=x onerror=alert(1)>", "suggestion": "not-a-choice"}, None),
        ({"term": "😀🙈", "seed": "x", "temperature": "nan", "length": 10**9}, {"term": 5, "draw": "junk"}),
        ({"term": "\u202eמה זה\u202c ?"}, {"draw": -1}),
        ({"term": "ש" * 100_000}, {"term": "x" * 100_000, "draw": 10**12}),
        ({"term": ""}, {}),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<img" not in out["html"] and "\u202e" not in out["html"] and "\u202e" not in out["text"]
    assert out["text"]
    assert len(json.dumps(out["state"], ensure_ascii=False)) < 200
    json.dumps(out)


def choices_table(html):
    table = re.search(r'<table class="choices">.*?</table>', html).group(0)
    words = re.findall(r'<span class="token">([^<]*)</span>', table)
    numbers = [float(x) for x in re.findall(r'<bdi class="num" dir="ltr">([\d.]+)%</bdi>', table)]
    return table, words, numbers[0::2], numbers[1::2]


def test_the_first_words_bars_are_the_models_distribution_the_same_for_any_unseen_term():
    model = ngram.from_corpus(3)
    table, words, probs, chances = choices_table(runtime.call(KIND, {"term": "פיברופלקס"}, "ask")["html"])
    assert len(words) == h.CANDIDATES and probs == sorted(probs, reverse=True)
    # recomputed from the counts: "פיברופלקס הוא" was never seen, so it is what follows "הוא",
    # with sentence ends held back until the answer is MIN_WORDS long
    p = ngram.next_probs(model, [0] + model.ids(["פיברופלקס", "הוא"]))
    enders = [model.index[w] for w in (ngram.BREAK, ".", "!", "?") if w in model.index]
    p[enders] = 0
    p /= p.sum()
    assert probs[0] == pytest.approx(100 * p[model.index[words[0]]], abs=0.05)
    assert table.count('class="chosen"') == 1 and "(נבחרה)" in table
    assert chances[0] > probs[0]  # temperature 0.7 < 1 favours the favourite
    other = choices_table(runtime.call(KIND, {"term": "זברוטון"}, "ask")["html"])
    assert other[1:3] == (words, probs)  # an unseen term changes nothing: no knowledge, the same statistics
