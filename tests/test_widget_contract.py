"""Every widget in the registry keeps the widget contract (docs/widget-contract.md).

One generic test instead of a copy per widget: strings exist, controls map to
params, and every action survives junk params, hostile reader text and junk
state, returning safe, JSON-able, deterministic output.
"""

import json

import pytest

from maamar import contract

from maamar_live import runtime
from maamar_live.kit.i18n import t
from maamar_live.registry import WIDGETS

KINDS = sorted(WIDGETS)
HOSTILE_TEXT = [
    "",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\u202eגלגל\u202c",
    "😀" * 500,
    "Latin words only",
    "א" * 100_000,
    "\x00\x07",
]
JUNK_NUMBERS = ["x", float("nan"), float("inf"), -1e300, 1e300, None, "1e999", True]


def actions(module):
    found = ["init", "update", "no-such-action"]
    for control in module.CONTROLS:
        if control.action and control.action not in found:
            found.append(control.action)
    return found


def audit(result):
    assert contract.output_problems(result) == []
    assert "\u202e" not in result["html"] and "\u202e" not in result["text"]
    # a unit after an isolated number must be inside it (markup.num(..., unit="%")), or RTL shows "%33"
    assert "</bdi>%" not in result["html"]
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("kind", KINDS)
def test_strings_controls_and_registry_agree(kind):
    """The checks every author widget also gets at build time (maamar.contract)."""
    module = WIDGETS[kind]
    assert module.KIND == kind
    assert t(f"{kind}.title") and t(f"{kind}.caption")
    assert module.__doc__ and len(module.__doc__) > 100, "say what it shows and why it works"
    assert contract.check(kind, module, WIDGETS) == []


def test_the_contract_check_names_what_is_wrong():
    import types

    from maamar_live.kit.spec import Param, button, slider, words

    def run(params, action, state):
        return {"html": "<p onclick='x'>hi</p>", "text": "", "state": {"big": "x" * 30_000}}

    broken = types.SimpleNamespace(
        KIND="broken-kind",
        run=run,
        PARAMS={"rate": Param("float", 0.5)},
        CONTROLS=[slider("rate", "trial-error.boldness", step=0.1), button("go", "no such label")],
        STATE={"big": words(10)},
    )
    problems = [message for _, message in contract.check("broken-kind", broken, {"broken-kind": broken})]
    assert any("no string 'broken-kind.title'" in p for p in problems)
    broken.STRINGS = None
    from maamar_live.kit import i18n

    i18n.add_strings({"en": {"broken-kind.title": "T", "broken-kind.caption": "C"}})
    problems = [message for _, message in contract.check("broken-kind", broken, {"broken-kind": broken})]
    assert any("slider 'rate' spans its param's range" in p and "no min and max" in p for p in problems)
    assert any("the init state does not fit STATE: big: is at most 10 characters long, got 30000" in p for p in problems)
    assert any("no string 'no such label'" in p and "string keys" in p for p in problems)
    assert any("p[onclick]" in p for p in problems)
    assert any("'text'" in p for p in problems)
    assert any("keep it under 20,000" in p for p in problems)


@pytest.mark.parametrize("kind", KINDS)
def test_every_action_is_safe_with_hostile_text_and_junk_numbers(kind):
    module = WIDGETS[kind]
    texts = [name for name, p in module.PARAMS.items() if p.type == "str"]
    numbers = [name for name, p in module.PARAMS.items() if p.type in ("int", "float")]
    for i, action in enumerate(actions(module)):
        params = {name: HOSTILE_TEXT[(i + j) % len(HOSTILE_TEXT)] for j, name in enumerate(texts)}
        params.update({name: JUNK_NUMBERS[(i + j) % len(JUNK_NUMBERS)] for j, name in enumerate(numbers)})
        for state in (None, {}, {"junk": [1, 2]}, "not a dict"):
            audit(runtime.call(kind, params, action, state))


@pytest.mark.parametrize("kind", KINDS)
def test_state_survives_the_json_round_trip_and_output_is_deterministic(kind):
    module = WIDGETS[kind]

    def session(roundtrip):
        out = runtime.call(kind, {}, "init")
        outs = [out]
        for action in actions(module)[3:] * 2:
            state = json.loads(json.dumps(out["state"])) if roundtrip else out["state"]
            out = runtime.call(kind, {}, action, state)
            outs.append(out)
        return outs

    first, second = session(False), session(True)

    def strip(outs):
        if kind == "instant-answer":  # measured seconds differ from run to run, by design
            return [o["state"]["steps"] for o in outs]
        return [(o["text"], o["state"]) for o in outs]

    assert strip(first) == strip(second)
    for out in first:
        assert len(json.dumps(out["state"])) < 20_000, "state is embedded in the page: keep it small"


STATEFUL = [kind for kind in KINDS if getattr(WIDGETS[kind], "STATE", None) is not None]


def test_the_converted_widgets_declare_their_state():
    assert {"trial-error", "one-example-push", "refine-steps", "summarize-refresh", "gym"} <= set(STATEFUL)


@pytest.mark.parametrize("kind", STATEFUL)
def test_every_state_a_widget_returns_reads_back_against_its_schema(kind):
    from maamar_live.kit.spec import plain, read_state

    module = WIDGETS[kind]
    out = runtime.call(kind, {}, "init")
    for action in actions(module)[3:] * 2:
        state = json.loads(json.dumps(out["state"]))
        assert plain(read_state(state, module.STATE)) == state  # the page's copy round-trips exactly
        out = runtime.call(kind, {}, action, state)
        assert "state-rejected" not in out["html"]


@pytest.mark.parametrize("kind", STATEFUL)
def test_a_forged_state_is_refused_with_a_message_and_the_widget_starts_again(kind):
    good = runtime.call(kind, {}, "init")["state"]
    name = next(iter(good))
    fresh = runtime.call(kind, {}, "update", None)
    for forged in ({**good, name: "x" * 10_000}, {**good, name: [0] * 100_000}, {}, "junk", {**good, "extra": 1}):
        out = runtime.call(kind, {}, "update", forged)
        audit(out)
        assert 'class="message state-rejected"' in out["html"]
        assert out["text"].startswith(t("state.rejected", reason="@").split("@")[0])
        assert out["state"] == fresh["state"]  # what a page without state gets


def test_a_default_that_names_a_string_must_exist_and_fit_in_every_language():
    from maamar.contract import keyed_default_problems
    from maamar_live.kit.spec import Param

    assert keyed_default_problems({"facts": Param("str", key="grounding.default_facts", max_length=500)}) == []
    short = keyed_default_problems({"facts": Param("str", key="grounding.default_facts", max_length=20)})
    assert any("'grounding.default_facts' in 'en', is at most 20 characters long" in p for p in short), short
    assert any("in 'he'" in p for p in short), short
    missing = keyed_default_problems({"prompt": Param("str", key="no-such.default")})
    assert missing == ["param 'prompt': its default names the string 'no-such.default', which no language has"]
