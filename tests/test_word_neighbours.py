"""word-neighbours: "חתול" keeps company with "חלב" — counts, PPMI, truncated SVD."""

import json
import re

import numpy as np
import pytest

from maamar_live.text import corpus
from maamar_live import runtime
from maamar_live.models import cooccurrence as co
from maamar_live.widgets import word_neighbours as wn
from maamar_live.text.tokenizer import key

KIND = "word-neighbours"
DEFAULT = (wn.PARAMS["window"].default, wn.PARAMS["dims"].default)


def names(word: str, count: int = 8, window: int = DEFAULT[0], dims: int = DEFAULT[1]) -> list[str]:
    return [k for k, _ in co.neighbours(key(word), window, dims, count)]


def test_neighbours_of_cat_include_milk():
    assert key("חלב") in names("חתול")
    assert key("חתול") in names("חלב")
    assert key("חלב") in names("חתול", dims=100)  # not an accident of one setting


def test_the_articles_other_pairs_are_learned():
    assert {key("נבח"), key("נובח")} & set(names("כלב", 3))
    assert {key("משולשות"), key("אוזניים")} <= set(names("חתול", 5))
    assert key("רחל") in names("סבתא", 3)


def test_the_counts_behind_the_neighbours_are_real_counts():
    counts = co.cooccurrence(DEFAULT[0])
    i, j = co.word_index()[key("חתול")], co.word_index()[key("חלב")]
    assert counts[i, j] == counts[j, i] >= 20  # they really met, many times
    assert np.allclose(counts, counts.T)
    # What the model reads: "החתול שתה חלב." without the article and the full stop.
    assert ("חתול", "שתה", "חלב") in co.sentences()


def test_ppmi_is_positive_and_zero_where_words_never_met():
    counts = np.array([[0, 4, 0], [4, 0, 1], [0, 1, 0]], dtype=float)
    p = co.ppmi(counts)
    assert (p >= 0).all() and p[0, 2] == 0 and p[0, 0] == 0 and p[0, 1] > 0


def test_vectors_are_unit_length_and_deterministic():
    v = co.model(*DEFAULT)
    assert v.shape == (len(co.vocabulary()), DEFAULT[1])
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0)
    a = runtime.call(KIND, {"word": "חתול"}, "look")
    b = runtime.call(KIND, {"word": "חתול"}, "look")
    assert json.dumps(a, ensure_ascii=False) == json.dumps(b, ensure_ascii=False)


def test_look_shows_bars_counts_and_heatmap():
    out = runtime.call(KIND, {"word": "חתול"}, "look")
    html = out["html"]
    assert html.count("<svg") == 2 and 'class="neighbours"' in html and 'class="company"' in html
    assert "חלב" in out["text"] and "פעמים" in out["text"]
    assert out["state"] == {"word": "חתול"} and out["done"] is True


def test_prefixes_and_final_letters_are_tried_before_giving_up():
    found = wn.find("וכשהחתול")
    assert found["status"] == "found" and found["key"] == key("חתול") and found["cut"] == "וכשה"
    assert wn.find("גשמ")["key"] == key("גשם")
    out = runtime.call(KIND, {"word": "מהחלב"}, "look")
    assert "בלי התחילית" in out["html"]


def test_unknown_rare_glue_and_foreign_words_get_a_hebrew_message():
    unseen = corpus.unseen_terms()[0]
    out = runtime.call(KIND, {"word": unseen}, "look")
    assert "לא מופיעה בקורפוס" in out["text"] and "<svg" not in out["html"]
    near_miss = runtime.call(KIND, {"word": "טרפזון"}, "look")
    assert "טרפזונט" in near_miss["text"]  # the close known spelling is suggested
    rare = runtime.call(KIND, {"word": corpus.rare_terms()[0]}, "look")
    assert "פעם אחת" in rare["text"]
    assert "מילת קישור" in runtime.call(KIND, {"word": "של"}, "look")["text"]
    for text in ("GPT", "😀", "123"):
        assert "בעברית" in runtime.call(KIND, {"word": text}, "look")["text"]
    assert "הקלידו" in runtime.call(KIND, {"word": "  "}, "look")["text"]


def test_pick_uses_the_suggestion_and_update_keeps_the_word_on_screen():
    picked = runtime.call(KIND, {"suggestion": "בורג", "word": "חתול"}, "pick")
    assert picked["state"] == {"word": "בורג"}
    moved = runtime.call(KIND, {"dims": 20, "word": "חתול"}, "update", picked["state"])
    assert moved["state"] == {"word": "בורג"} and "“בורג”" in moved["text"]
    fresh = runtime.call(KIND, {"dims": 20}, "update", None)
    assert fresh["state"] == {"word": "חתול"}


def test_a_forged_word_is_refused_naming_the_field():
    for forged, where in (
        ({"word": 5}, "word: expects text"),
        ({"word": "א" * 41}, "word: is at most 40 characters long, got 41"),
        (["not", "a", "dict"], "state: expects an object"),
        ({"word": "בורג", "window": 3}, "state: has unknown window"),
    ):
        out = runtime.call(KIND, {"dims": 20}, "update", forged)
        assert where in out["text"] and out["html"].count("state-rejected") == 1
        assert out["state"] == {"word": "חתול"}  # a fresh start: the directive's word


@pytest.mark.parametrize("action", ["init", "look", "pick", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"word": "<img src=x onerror=alert(1)>", "suggestion": "not-a-choice"}, None),
        ({"word": "חתול<img src=x onerror=alert(1)>"}, {"word": "<script>alert(1)</script>"}),
        ({"word": "\u202e", "dims": "nan", "window": 10**9}, {"word": 5}),
        ({"word": "\u202eחתול\u202c"}, {"word": "\u202eכלב"}),
        ({"word": "😀" * 1000, "count": -4}, {"word": "😀" * 1000}),
        ({"word": ""}, {}),
        ({"word": "ש" * 10_000}, {"word": "א" * 10_000}),
        ({"word": "חתול " * 2000}, ["not", "a", "dict"]),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<img" not in out["html"] and "<script" not in out["html"]
    assert "\u202e" not in out["html"] and "\u202e" not in out["text"]
    assert out["text"]
    assert len(json.dumps(out["state"], ensure_ascii=False)) < 300
    json.dumps(out)


def test_run_itself_survives_ten_kilobytes():
    params = dict(runtime.call(KIND, {}, "init")["params"], word="חתול חלב " * 1200)
    out = wn.run(params, "look", None)
    assert "חתול" in out["text"] and len(json.dumps(out["state"], ensure_ascii=False)) < 300


@pytest.mark.parametrize("lang", ["he", "en"])
def test_rank_one_stands_where_reading_starts(lang):
    html = runtime.call(wn.KIND, {"word": "חתול"}, "look", lang=lang)["html"]
    chart = html[html.index("<svg") : html.index("</svg>")]
    xs = [float(x) for x in re.findall(r'<rect x="([\d.]+)"', chart)]
    assert len(xs) == wn.PARAMS["count"].default
    assert xs == sorted(xs, reverse=lang == "he") and len(set(xs)) == len(xs)


def test_with_two_numbers_every_neighbour_is_at_one_and_the_widget_says_why():
    def scores(html):
        return [float(x) for x in re.findall(r'</span> <bdi class="num" dir="ltr">([\d.]+)</bdi>', html)]

    two = runtime.call(wn.KIND, {"dims": 2}, "update")["html"]
    assert scores(two) and all(s >= wn.SATURATED for s in scores(two))  # cosine saturates in two dimensions
    assert "מעט כיוונים" in two
    many = runtime.call(wn.KIND, {"dims": 60}, "update")["html"]
    assert min(scores(many)) < wn.SATURATED and "מעט כיוונים" not in many
    english = runtime.call(wn.KIND, {"dims": 2}, "update", lang="en")["html"]
    assert "few directions" in english


def test_hebrew_words_in_english_sentences_are_isolated():
    english = runtime.call("word-neighbours", {}, "init", lang="en")["html"]
    hebrew = runtime.call("word-neighbours", {}, "init", lang="he")["html"]
    assert "The word “<bdi>חתול</bdi>” appears" in english
    company = re.search(r'<p class="company">(.*?)</p>', english).group(1)
    assert re.search(r"it\): <bdi>[^<]+</bdi> \(<bdi class=\"num\"", company), company
    assert "<bdi>חתול</bdi>" not in hebrew
