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
