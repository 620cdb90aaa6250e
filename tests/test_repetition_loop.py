"""repetition-loop: greedy decoding gets stuck; the detector finds the loop; temperature and penalty break it."""

import re
import json

import pytest

from maamar_live.text import corpus
from maamar_live.models import ngram
from maamar_live import runtime
from maamar_live.widgets import repetition_loop as rl
from maamar_live.text.tokenizer import tokenize

KIND = "repetition-loop"


def test_find_loop_finds_a_planted_loop():
    words = "בבוקר החתול שתה חלב ואז".split() + "תודה רבה ,".split() * 4 + ["סוף"]
    loop = rl.find_loop(words)
    assert loop == rl.Loop(start=5, unit=("תודה", "רבה", ","), repeats=4)
    assert rl.find_loop(list("abab")) is None  # twice is not yet a loop
    assert rl.find_loop(list("ababab")) == rl.Loop(0, ("a", "b"), 3)
    assert rl.find_loop(list("xxxx")) == rl.Loop(0, ("x",), 4)
    assert rl.find_loop([]) is None


def test_find_loop_finds_nothing_in_varied_text():
    for name in corpus.stories():
        tokens = [t for line in corpus.story(name) for t in tokenize(line) + [ngram.BREAK]]
        assert rl.find_loop(tokens) is None, name


def test_greedy_decoding_falls_into_a_loop_of_the_same_pair():
    model = ngram.from_corpus(3)
    prompt = tokenize("תודה רבה")
    g = rl.continue_text(model, prompt, 40, 0.0, 1.0, 0)
    loop = rl.find_loop(prompt + g.words)
    assert loop is not None and loop.repeats >= 10
    assert set(loop.unit) == {"תודה", "רבה", ","}
    # and the counts say why: after "רבה ," the only thing training ever had was "תודה"
    assert ngram.followers(model, ["רבה", ","]) == [("תודה", 1)]


def test_temperature_or_penalty_break_the_loop():
    model = ngram.from_corpus(3)
    prompt = tokenize("תודה רבה")
    assert rl.find_loop(prompt + rl.continue_text(model, prompt, 40, 1.0, 1.0, 0).words) is None
    assert rl.find_loop(prompt + rl.continue_text(model, prompt, 40, 0.0, 3.0, 0).words) is None


def test_the_page_highlights_the_loop_and_explains_it_with_counts():
    out = runtime.call(KIND, {}, "init")
    assert 'class="loop loop-a"' in out["html"] and 'class="loop loop-b"' in out["html"]
    assert '<table class="counts">' in out["html"]
    free = runtime.call(KIND, {"temperature": 1.0}, "update", out["state"])
    assert "loop-a" not in free["html"] and '<table class="counts">' not in free["html"]


def bar_rows(html):
    """(token, probability %, pick chance %, chosen) of each candidate row of the choices table."""
    table = re.search(r'<table class="choices">.*?</table>', html).group(0)
    rows = re.findall(r'<tr( class="chosen")?><td><span class="token">([^<]*)</span>.*?</tr>', table)
    numbers = [float(x) for x in re.findall(r'<bdi class="num" dir="ltr">([\d.]+)%</bdi>', table)]
    return [(tok, numbers[2 * i], numbers[2 * i + 1], bool(chosen)) for i, (chosen, tok) in enumerate(rows)]


def test_the_bars_show_the_models_real_distribution_and_temperature_spreads_the_chances():
    model = ngram.from_corpus(3)
    greedy = bar_rows(runtime.call(KIND, {}, "init")["html"])
    # the loop closes where the counts said: after "רבה ," comes "תודה", greedy takes it for sure
    assert greedy[0][0] == "תודה" and greedy[0][3] and greedy[0][2] == 100.0
    assert all(q == 0.0 for _, _, q, _ in greedy[1:])
    p = ngram.next_probs(model, model.ids(["רבה", ","]))
    assert greedy[0][1] == pytest.approx(100 * p[model.index["תודה"]], abs=0.05)
    assert [r[1] for r in greedy] == sorted((r[1] for r in greedy), reverse=True)
    warm = bar_rows(runtime.call(KIND, {"temperature": 1.0}, "update")["html"])
    assert sum(r[3] for r in warm) <= 1
    assert all(abs(prob - chance) < 0.06 for _, prob, chance, _ in warm)  # T = 1: picked as likely as predicted
    hot = bar_rows(runtime.call(KIND, {"temperature": 1.5}, "update")["html"])
    assert hot[0][2] < hot[0][1]  # a higher temperature takes chance from the favourite


def test_tokens_are_chips_so_a_bare_comma_reads_as_a_token():
    html = runtime.call(KIND, {}, "init")["html"]
    table = re.search(r'<table class="counts">.*?</table>', html).group(0)
    assert '<span class="token">,</span>' in table
    assert not re.search(r"<td>[^<]*,", table)  # no bare comma in a cell


@pytest.mark.parametrize("action", ["init", "go", "again", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"prompt": "<script>x</script>", "temperature": "hot", "penalty": -7}, {"draw": "junk"}),
        ({"prompt": "😀 \u202e", "length": 10**9, "seed": "x"}, {"draw": -1}),
        ({"prompt": "ש " * 50_000, "temperature": 99, "penalty": 99}, {"draw": 10**12}),
        ({"prompt": ""}, {}),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<script" not in out["html"] and "\u202e" not in out["html"]
    assert out["text"]
    json.dumps(out)


def test_the_hebrew_phrase_and_pair_are_isolated_in_english_sentences():
    english = runtime.call("repetition-loop", {}, "init", lang="en")["html"]
    hebrew = runtime.call("repetition-loop", {}, "init", lang="he")["html"]
    assert "the model repeats “<bdi>תודה רבה,</bdi>” (" in english
    assert re.search(r"<caption>The words the model can write after “<bdi>[^<]+</bdi>” \(word", english), english[:600]
    assert "<bdi>" not in hebrew.replace('<bdi class="num"', "")
