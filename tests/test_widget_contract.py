"""Every widget in the registry keeps the widget contract (docs/widget-contract.md).

One generic test instead of a copy per widget: strings exist, controls map to
params, and every action survives junk params, hostile reader text and junk
state, returning safe, JSON-able, deterministic output.
"""
import html.parser
import json
import re

import pytest

from maamar_demos import runtime
from maamar_demos.i18n import t
from maamar_demos.registry import WIDGETS

KINDS = sorted(WIDGETS)
HOSTILE_TEXT = [
    "", "<img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "\u202eגלגל\u202c",
    "😀" * 500, "Latin words only", "א" * 100_000, "\x00\x07",
]
JUNK_NUMBERS = ["x", float("nan"), float("inf"), -1e300, 1e300, None, "1e999", True]


def actions(module):
    found = ["init", "update", "no-such-action"]
    for control in module.CONTROLS:
        if control.action and control.action not in found:
            found.append(control.action)
    return found


class MarkupAudit(html.parser.HTMLParser):
    """Fails on anything a page must never receive from a widget."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "style", "link", "meta"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and not value.startswith(("#", "data:image/png;base64,")):
                self.problems.append(f"{tag}[{name}={value[:30]}]")


def audit(result):
    assert isinstance(result["html"], str) and result["html"]
    assert isinstance(result["text"], str) and result["text"]
    parser = MarkupAudit()
    parser.feed(result["html"])
    assert parser.problems == []
    assert "\u202e" not in result["html"] and "\u202e" not in result["text"]
    assert not re.search(r"\b(nan|inf|infinity)\b", result["html"], re.I), "a non-finite number reached the page"
    json.dumps(result, allow_nan=False)


@pytest.mark.parametrize("kind", KINDS)
def test_strings_controls_and_registry_agree(kind):
    module = WIDGETS[kind]
    assert module.KIND == kind
    assert t(f"{kind}.title") and t(f"{kind}.caption")
    assert module.__doc__ and len(module.__doc__) > 100, "say what it shows and why it works"
    for control in module.CONTROLS:
        assert control.label
        if control.kind != "button":
            assert control.name in module.PARAMS, control.name
        if control.kind == "range":   # the slider can reach exactly the values the params accept
            param = module.PARAMS[control.name]
            assert (control.min, control.max) == (param.min, param.max), control.name


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
    strip = lambda outs: [(o["text"], o["state"]) for o in outs]
    if kind == "instant-answer":   # measured seconds differ from run to run, by design
        strip = lambda outs: [o["state"]["steps"] for o in outs]
    assert strip(first) == strip(second)
    for out in first:
        assert len(json.dumps(out["state"])) < 20_000, "state is embedded in the page: keep it small"
