"""kit/spec: how directive text and reader values become a widget's params."""

import sys

import pytest

from maamar_live import runtime
from maamar_live.kit.spec import DRAW, SHOWN_CHARS, Param, coerce, shown, state_int, state_seed
from maamar_live.registry import WIDGETS


@pytest.mark.parametrize(
    "param, raw, value",
    [
        (Param("int", 1), " 42 ", 42),
        (Param("int", 1), "-3", -3),
        (Param("float", 1.0), "0.25", 0.25),
        (Param("bool", False), "Yes", True),
        (Param("bool", True), "false", False),
        (Param("choice", "a", choices=("a", "b")), "b", "b"),
        (Param("str", "", max_length=5), "  hello  ", "hello"),
    ],
)
def test_parse_reads_each_type(param, raw, value):
    assert param.parse(raw) == value


@pytest.mark.parametrize(
    "param, raw, message",
    [
        (Param("int", 1), "4.5", "expects a whole number, got '4.5'"),
        (Param("float", 1.0), "many", "expects a number, got 'many'"),
        (Param("float", 1.0), "nan", "expects a finite number, got 'nan'"),
        (Param("bool", True), "maybe", "expects true or false, got 'maybe'"),
        (Param("choice", "a", choices=("a", "b")), "c", "expects one of a, b, got 'c'"),
        (Param("str", "", max_length=3), "abcd", "is at most 3 characters long, got 4"),
        (Param("int", 5, min=1, max=10), "11", "must be between 1 and 10, got 11"),
    ],
)
def test_parse_says_what_is_wrong(param, raw, message):
    with pytest.raises(ValueError) as caught:
        param.parse(raw)
    assert str(caught.value) == message


def test_parse_with_only_a_lower_bound_names_that_bound():
    with pytest.raises(ValueError) as caught:
        Param("int", 5, min=1).parse("0")
    assert str(caught.value) == "must be at least 1, got 0"
    assert Param("int", 5, min=1).parse("1000000") == 1000000


def test_parse_with_only_an_upper_bound_names_that_bound():
    with pytest.raises(ValueError) as caught:
        Param("float", 0.5, max=1).parse("1.5")
    assert str(caught.value) == "must be at most 1, got 1.5"
    assert Param("float", 0.5, max=1).parse("-7") == -7


def test_a_huge_value_is_echoed_cut_short():
    raw = "x" * 10_000
    with pytest.raises(ValueError) as caught:
        Param("float", 1.0).parse(raw)
    message = str(caught.value)
    assert len(message) < SHOWN_CHARS + 60
    assert "(10000 characters)" in message


def test_shown_keeps_short_values_whole():
    assert shown("short") == "short"
    assert len(shown("y" * 500)) < SHOWN_CHARS + 25


@pytest.mark.skipif(not hasattr(sys, "get_int_max_str_digits"), reason="Python before 3.11 has no digit limit")
def test_a_5000_digit_number_is_blamed_on_pythons_digit_limit():
    with pytest.raises(ValueError) as caught:
        Param("int", 1).parse("9" * 5000)
    message = str(caught.value)
    assert "whole number" in message and "5000 digits" in message
    assert str(sys.get_int_max_str_digits()) in message
    assert "expects a whole number" not in message
    assert len(message) < 200


def test_coerce_clamps_into_both_bounds():
    spec = {"n": Param("int", 5, min=1, max=10), "x": Param("float", 0.5, min=0, max=1)}
    assert coerce({"n": "99", "x": -3}, spec) == {"n": 10, "x": 0}
    assert coerce({"n": "-4", "x": "7"}, spec) == {"n": 1, "x": 1}


def test_coerce_clamps_when_only_max_is_set():
    spec = {"n": Param("int", 5, max=10), "x": Param("float", 0.5, max=1)}
    assert coerce({"n": 1e9, "x": "2.5"}, spec) == {"n": 10, "x": 1}
    assert coerce({"n": -4, "x": -2}, spec) == {"n": -4, "x": -2}


def test_coerce_clamps_when_only_min_is_set():
    assert coerce({"n": -4}, {"n": Param("int", 5, min=0)}) == {"n": 0}


@pytest.mark.parametrize("junk", [None, "abc", "nan", "inf", [], {}, "9" * 5000])
def test_coerce_turns_junk_into_the_default(junk):
    spec = {"n": Param("int", 5, min=1, max=10), "x": Param("float", 0.5, min=0, max=1)}
    assert coerce({"n": junk, "x": junk}, spec) == {"n": 5, "x": 0.5}


def test_coerce_fills_missing_params_cuts_text_and_reads_flags():
    spec = {
        "text": Param("str", "", max_length=4),
        "flag": Param("bool", False),
        "mode": Param("choice", "a", choices=("a", "b")),
        "n": Param("int", 3),
    }
    assert coerce({"text": "abcdefgh", "flag": "on", "mode": "z"}, spec) == {"text": "abcd", "flag": True, "mode": "a", "n": 3}


def test_state_int_and_state_seed_survive_junk():
    assert state_int("7") == 7 and state_int("junk") == 0 and state_int(10**9) == 10**6 and state_int(-5, lo=2) == 2
    spec = {"seed": Param("int", 0, min=0, max=99)}
    assert state_seed({"seed": 250}, {"seed": 3}, spec) == 250 % 100
    assert state_seed({}, {"seed": 3}, spec) == 3
    assert state_seed(None, {"seed": 3}, spec) == 3


# --- state schemas ---------------------------------------------------------------------

from maamar_live.kit.spec import (  # noqa: E402
    StateError,
    bound,
    either,
    flag,
    from_param,
    list_of,
    number,
    one_of,
    optional,
    plain,
    read_state,
    record,
    row,
    slider,
    whole,
    words,
)

SCHEMA = {
    "seed": from_param(Param("int", 0, min=0, max=99)),
    "guesses": list_of(number(-10, 10), most=3, least=1),
    "asked": flag(),
    "note": words(5),
    "turn": either(row(one_of("f"), whole(0, 3)), row(one_of("t"), whole(0, 9))),
    "last": optional(record("Last", index=whole(0, 9), kind=one_of("cat", "dog"))),
}
GOOD = {"seed": 7, "guesses": [1, 2.5], "asked": True, "note": "hi", "turn": ["t", 4], "last": {"index": 2, "kind": "dog"}}


def test_a_valid_state_becomes_a_frozen_typed_object_and_round_trips():
    state = read_state(GOOD, SCHEMA)
    assert state.seed == 7 and state.guesses == (1.0, 2.5) and state.asked is True
    assert state.turn == ("t", 4) and state.last.kind == "dog" and state.last.index == 2
    with pytest.raises(AttributeError):
        state.seed = 8  # frozen: a widget builds the next state, it does not edit the old one
    assert plain(state) == {**GOOD, "guesses": [1.0, 2.5]}
    assert read_state({**GOOD, "last": None}, SCHEMA).last is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"seed": "7"}, "seed: expects a whole number"),
        ({"seed": True}, "seed: expects a whole number"),
        ({"seed": 100}, "seed: must be between 0 and 99, got 100"),
        ({"guesses": []}, "guesses: expects 1 to 3 items, got 0"),
        ({"guesses": [0.0] * 100_000}, "guesses: expects 1 to 3 items, got 100000"),
        ({"guesses": [1, float("nan")]}, "guesses[1]: expects a finite number"),
        ({"guesses": [1, 11]}, "guesses[1]: must be between -10 and 10, got 11"),
        ({"asked": 1}, "asked: expects true or false"),
        ({"note": "x" * 10_000}, "note: is at most 5 characters long, got 10000"),
        ({"turn": ["f", 5]}, "turn: fits none of its 2 forms"),
        ({"last": {"index": 2, "kind": "fox"}}, "last.kind: expects one of cat, dog"),
        ({"last": {"index": 2}}, "last: misses kind"),
        ({"extra": 1}, "state: has unknown extra"),
        ({"\u202eex\x07tra": 1}, "state: has unknown extra"),  # a key is echoed: cleaned like text
    ],
)
def test_a_forged_state_is_refused_saying_where_and_why(change, message):
    with pytest.raises(StateError) as caught:
        read_state({**GOOD, **change}, SCHEMA)
    assert str(caught.value) == message


@pytest.mark.parametrize("junk", [None, "x", [1, 2], 5])
def test_a_state_that_is_not_an_object_is_refused(junk):
    with pytest.raises(StateError, match="^state: expects an object$"):
        read_state(junk, SCHEMA)
    with pytest.raises(StateError, match="^state: misses "):
        read_state({}, SCHEMA)


def test_text_in_a_state_loses_bidi_overrides_and_control_characters():
    assert read_state({**GOOD, "note": "\u202eab\x07"}, SCHEMA).note == "ab"


def test_a_slider_takes_its_range_from_its_param_and_refuses_its_own():
    params = {"rate": Param("float", 0.5, min=0.1, max=2)}
    (control,) = bound([slider("rate", "x.rate", step=0.1)], params)
    assert (control.min, control.max, control.step) == (0.1, 2, 0.1)
    with pytest.raises(TypeError, match=r"takes its range from PARAMS\['rate'\]"):
        slider("rate", "x.rate", 0, 2, 0.1)


def test_the_draw_counter_starts_at_zero_counts_again_and_stops_at_its_bound():
    from maamar_live.kit.spec import DRAWS, draw_count, read_state

    spec = {"draw": DRAW}
    four, last = read_state({"draw": 4}, spec), read_state({"draw": DRAWS}, spec)
    assert draw_count(None, "again") == 1 and draw_count(four, "again") == 5
    assert draw_count(four, "update") == 4 and draw_count(four, "init") == 0 and draw_count(None, "update") == 0
    assert draw_count(four, "ask", fresh=("init", "ask")) == 0
    assert draw_count(last, "again") == DRAWS


# the widgets whose whole state is the resample counter (context-window, repetition-loop)
ONLY_A_DRAW = sorted(kind for kind, module in WIDGETS.items() if getattr(module, "STATE", None) == {"draw": DRAW})


def test_the_widgets_that_keep_only_a_draw_counter_are_found():
    assert {"context-window", "repetition-loop"} <= set(ONLY_A_DRAW)


@pytest.mark.parametrize("kind", ONLY_A_DRAW)
def test_a_forged_draw_is_refused_naming_the_field(kind):
    kept = runtime.call(kind, {}, "again", {"draw": 4})
    assert kept["state"] == {"draw": 5} and "state-rejected" not in kept["html"]
    for forged, where in (
        ({"draw": "junk"}, "draw: expects a whole number"),
        ({"draw": 2.5}, "draw: expects a whole number"),
        ({"draw": 10**12}, "draw: must be between 0 and 1000000, got 1000000000000"),
        ({}, "state: misses draw"),
    ):
        out = runtime.call(kind, {}, "again", forged)
        assert where in out["text"] and out["html"].count("state-rejected") == 1 and out["state"] == {"draw": 1}


def test_next_seed_is_another_seed_within_range_and_the_same_each_time():
    from maamar_live.kit.spec import next_seed

    param = Param("int", 0, min=0, max=50)
    seeds = [next_seed(s, param) for s in range(20)]
    assert seeds == [next_seed(s, param) for s in range(20)] and all(0 <= s < 50 for s in seeds)
    assert len(set(seeds)) > 10 and next_seed(0, Param("int", 0, min=0, max=10**6)) != 0


def test_a_default_that_names_a_string_is_read_in_the_active_language():
    from maamar_live.kit.i18n import language

    facts = Param("str", key="grounding.default_facts", max_length=500)
    assert facts.initial("en").startswith("Tamar's Corner") and facts.initial("he").startswith("“הפינה של תמר”")
    with language("en"):
        assert coerce({}, {"facts": facts})["facts"] == facts.initial("en")
        assert coerce({"facts": "mine"}, {"facts": facts})["facts"] == "mine"
    with language("he"):
        assert coerce({}, {"facts": facts})["facts"] == facts.initial("he")
    with pytest.raises(ValueError, match="'str' param"):
        Param("int", 3, key="grounding.default_facts")
