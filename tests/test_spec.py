"""kit/spec: how directive text and reader values become a widget's params."""

import sys

import pytest

from maamar_live.kit.spec import SHOWN_CHARS, Param, coerce, shown, state_int, state_seed


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
