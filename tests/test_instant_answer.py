"""instant-answer: training takes many pushes, answering is one forward pass per character."""

import json
import re

import pytest

from maamar_live.models import charlm
from maamar_live.widgets import instant_answer
from maamar_live import runtime
from maamar_live.text.corpus import load_text

KIND = "instant-answer"
TIMING = re.compile(r'<p class="timing">.*?</p>')


def defaults():
    return {name: p.default for name, p in instant_answer.PARAMS.items()}


def train_to_the_end(params=None):
    out = runtime.call(KIND, params or {}, "init")
    calls = 0
    while not out["done"]:
        out = runtime.call(KIND, params or {}, "train", out["state"])
        calls += 1
        assert calls <= instant_answer.MAX_STEPS // instant_answer.TICK + 1
    return out, calls


def test_init_renders_a_real_untrained_answer():
    out = runtime.call(KIND, {}, "init")
    assert "<svg" in out["html"] and 'class="generated"' in out["html"]
    assert out["state"]["steps"] == 0 and not out["done"]
    assert len(json.dumps(out["state"])) < 200
    assert 'class="timing"' in out["html"]


def test_training_lowers_the_loss_to_usable_and_stops():
    out, calls = train_to_the_end()
    assert out["done"] and out["state"]["steps"] == instant_answer.MAX_STEPS
    model = charlm.trained(load_text(), 0, instant_answer.MAX_STEPS)
    _, losses = instant_answer.curve(model)
    assert losses[0] > 2.6 and losses[-1] < charlm.USABLE_LOSS
    usable_at = next(i for i, v in enumerate(losses) if v <= charlm.USABLE_LOSS)
    assert (usable_at + 1) * instant_answer.TICK <= 800  # "usable" well before the end (≈ 0.3 s CPython)
    assert out["state"]["timing"]["train_seconds"] >= 0


def test_the_trained_answer_is_mostly_hebrew_words_from_training():
    model = charlm.trained(load_text(), 0, instant_answer.MAX_STEPS)
    vocabulary = set(re.findall(r"[א-ת]+", load_text()))
    untrained = charlm.trained(load_text(), 0, 0)
    for seed in range(3):
        reply, seconds = instant_answer.answer(model, "החתול ", 200, 0.5, seed)
        words = re.findall(r"[א-ת]+", reply)
        assert sum(w in vocabulary for w in words) >= 0.5 * len(words)
        assert seconds < 0.5
        noise, _ = instant_answer.answer(untrained, "החתול ", 200, 0.5, seed)
        words = re.findall(r"[א-ת]+", noise)
        assert sum(w in vocabulary for w in words) <= 0.2 * len(words)


def test_same_inputs_give_the_same_output_apart_from_timing():
    a = runtime.call(KIND, {}, "train", {"steps": 120, "timing": {"train_seconds": 0.1}})
    b = runtime.call(KIND, {}, "train", {"steps": 120, "timing": {"train_seconds": 0.1}})
    assert TIMING.sub("", a["html"]) == TIMING.sub("", b["html"])
    assert a["text"] == b["text"] and a["state"]["steps"] == b["state"]["steps"] == 120 + instant_answer.TICK


def test_each_train_call_is_one_small_tick():
    """The live loss curve needs many small calls: each tick of the play loop advances a few steps."""
    assert instant_answer.TICK <= 30
    for steps in range(0, 6 * instant_answer.TICK, instant_answer.TICK):
        result = runtime.call(KIND, {"seed": 0}, "train", {"steps": steps, "timing": {"train_seconds": 0.0}})
        assert result["state"]["steps"] == steps + instant_answer.TICK


def points(html: str) -> list[tuple[float, float]]:
    line = re.search(r'<polyline class="series"[^>]* points="([^"]*)"', html).group(1)
    return [tuple(map(float, p.split(","))) for p in line.split()]


def test_play_ticks_lower_the_loss_and_grow_the_curve_in_a_fixed_frame():
    """Ticks one after the other, as the play loop sends them: the curve gains a point per
    tick, its frame does not move, and the loss it shows goes down."""
    out = runtime.call(KIND, {}, "init")
    frames, losses, answers = [], [], []
    for _ in range(12):
        out = runtime.call(KIND, {}, "train", out["state"])
        frames.append(re.findall(r'<text class="tick"[^>]*text-anchor="(?:middle|end)">([^<]*)</text>', out["html"]))
        losses.append(float(re.search(r"ההפסד (\d\.\d\d)", out["text"]).group(1)))
        answers.append(re.search(r'<span class="generated">(.*?)</span></p>', out["html"]).group(1))
        assert len(points(out["html"])) == out["state"]["steps"] // instant_answer.TICK
    assert all(f == frames[0] for f in frames) and frames[0][-1] == f"{instant_answer.MAX_STEPS}"
    assert losses[-1] < losses[0] - 0.3
    assert len(set(answers)) > 1  # the answer is redrawn from the weights of each tick


def test_unknown_letters_get_a_hebrew_note():
    out = runtime.call(KIND, {"prompt": "hello 😀"}, "ask")
    assert 'class="note"' in out["html"] and "hello" not in out["html"]
    out = runtime.call(KIND, {"prompt": "שָׁלוֹם world"}, "ask")
    assert "שלום" in out["html"]


def test_a_valid_state_round_trips():
    state = {"steps": 60, "timing": {"train_seconds": 0.25}}
    asked = runtime.call(KIND, {}, "ask", json.loads(json.dumps(state)))
    assert asked["state"] == state and "state-rejected" not in asked["html"]
    assert runtime.call(KIND, {}, "ask", {"steps": 60, "timing": {"train_seconds": 0}})["state"]["timing"]["train_seconds"] == 0.0
    trained = runtime.call(KIND, {}, "train", state)
    assert (
        trained["state"]["steps"] == 80 and trained["state"]["timing"]["train_seconds"] >= 0.25
    )  # carried on (the model may be memoised)


@pytest.mark.parametrize(
    "forged,where",
    [
        ({"steps": "60", "timing": {"train_seconds": 0.1}}, "steps: expects a whole number"),
        ({"steps": 60, "timing": {"train_seconds": float("nan")}}, "timing.train_seconds: expects a finite number"),
        ({"steps": 60, "timing": {"train_seconds": -1}}, "timing.train_seconds: must be between 0 and 1000000, got -1"),
        ({"steps": 1520, "timing": {"train_seconds": 0.1}}, "steps: must be between 0 and 1500, got 1520"),
        ({"steps": 50, "timing": {"train_seconds": 0.1}}, "steps: must be a multiple of 20, got 50"),
        ({"steps": 60, "timing": [0.1]}, "timing: expects an object"),
        ({"steps": 60}, "state: misses timing"),
        ({"steps": 60, "timing": {"train_seconds": 0.1}, "answer": "x"}, "state: has unknown answer"),
    ],
)
def test_a_forged_state_is_refused_naming_the_field(forged, where):
    out = runtime.call(KIND, {"start_steps": 40}, "ask", forged)
    assert where in out["text"] and where in out["html"]
    assert out["html"].count("state-rejected") == 1
    assert out["state"] == {"steps": 40, "timing": {"train_seconds": 0.0}}  # a fresh start: the page's steps


@pytest.mark.parametrize("action", ["init", "train", "ask", "reset", "update", "nonsense"])
@pytest.mark.parametrize(
    "params,state",
    [
        ({}, None),
        ({"prompt": "<script>alert(1)</script>\u202e", "seed": "x", "length": 10**9, "temperature": "nan"}, None),
        ({"prompt": "א" * 100_000, "start_steps": -5}, {"steps": "junk", "timing": "junk"}),
        ({"prompt": "", "seed": -1}, {"steps": 10**9}),
        ({"prompt": None}, {}),
    ],
)
def test_any_input_is_safe(action, params, state):
    out = runtime.call(KIND, params, action, state)
    assert "<script" not in out["html"] and "\u202e" not in out["html"]
    assert out["text"]
    json.dumps(out)


def test_a_sentence_break_is_written_with_the_same_mark_as_in_repetition_loop():
    """One newline convention across the site: ↵ in a muted span, never " / " or a raw newline."""
    mark = '<span class="break">↵</span>'
    answer = re.search(r'<span class="generated">(.*?)</span></p>', runtime.call(KIND, {}, "init")["html"]).group(1)
    assert mark in answer and "\n" not in answer and " / " not in answer  # the untrained model writes breaks
    looping = runtime.call("repetition-loop", {"prompt": "הכלב נבח", "temperature": 1.5}, "go")["html"]
    assert mark in looping and " / " not in looping
