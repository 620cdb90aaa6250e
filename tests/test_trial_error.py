"""trial-error: the guesses the page sends back are read against STATE."""

from maamar_live import runtime
from maamar_live.kit.i18n import t
from maamar_live.widgets import trial_error as te


def test_a_valid_state_carries_on_and_round_trips():
    out = runtime.call(te.KIND, {}, "step", runtime.call(te.KIND, {}, "init")["state"])
    assert out["state"]["guesses"] == [10.0, te.correct(10.0, 42.0, 0.3)]
    again = runtime.call(te.KIND, {}, "step", out["state"])
    assert again["state"]["guesses"][:2] == out["state"]["guesses"] and len(again["state"]["guesses"]) == 3


def test_forged_guesses_are_refused_with_a_message():
    for forged, where in (
        ({"guesses": [10, "x"]}, "guesses[1]: expects a finite number"),
        ({"guesses": [10.0] * 5000}, "guesses: expects 1 to 101 items, got 5000"),
        ({"guesses": []}, "guesses: expects 1 to 101 items, got 0"),
        ({"guess": [10]}, "state: misses guesses"),
    ):
        out = runtime.call(te.KIND, {}, "step", forged)
        assert where in out["html"] and where in out["text"]
        assert t("state.rejected", reason="@").split("@")[0] in out["text"]
        assert out["state"]["guesses"] == [10.0, te.correct(10.0, 42.0, 0.3)]  # one try from the start


def test_the_verdict_names_the_overshoot_of_a_correction_bigger_than_the_error():
    bold = runtime.call(te.KIND, {"boldness": 1.5}, "finish")
    guesses = bold["state"]["guesses"]
    assert guesses[1] > 42.0 > guesses[2], "1.5 times the error lands on the other side"
    assert bold["text"].endswith(t("trial-error.settled_overshot", tries=len(guesses) - 1))
    state = runtime.call(te.KIND, {"boldness": 1.5}, "init")["state"]
    for _ in range(2):
        state = (halfway := runtime.call(te.KIND, {"boldness": 1.5}, "step", state))["state"]
    assert halfway["text"].endswith(t("trial-error.not_yet_overshot"))
    calm = runtime.call(te.KIND, {"boldness": 0.3}, "finish")
    assert all(g < 42.0 for g in calm["state"]["guesses"])
    assert calm["text"].endswith(t("trial-error.settled", tries=len(calm["state"]["guesses"]) - 1))
