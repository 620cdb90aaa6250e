"""The scripts' parts that run without a browser (the loader's, the worker's wheel unzipping), tested with ``node --test`` (tests/js/*.test.js),
and the sanitiser's allowlist checked against what every widget really emits."""

import json
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser

import pytest

from maamar_live import runtime
from maamar_live.registry import WIDGETS

from .conftest import ROOT
from .test_widget_contract import HOSTILE_TEXT, actions

NODE = shutil.which("node")


def node(*args: str) -> subprocess.CompletedProcess:
    if not NODE:
        pytest.fail("node not found: it comes with the npm install the README asks for")
    return subprocess.run([NODE, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)


def test_node_unit_tests_pass():
    result = node("--test", "tests/js")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 0" not in result.stdout


class Markup(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: dict[str, set[str]] = defaultdict(set)

    def handle_starttag(self, tag, attrs):
        self.found[tag].update(name for name, _ in attrs)

    handle_startendtag = handle_starttag


def sanitizer_lists() -> dict:
    code = (
        'const { loadParts } = require("./tests/js/load.js"); const { run } = loadParts(["30-sanitize.js"]);'
        'console.log(run("JSON.stringify({ elements: [...ALLOWED_ELEMENTS], global: [...GLOBAL_ATTRIBUTES], '
        'attributes: ALLOWED_ATTRIBUTES })"))'
    )
    result = node("-e", code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("kind", sorted(WIDGETS))
def test_the_sanitiser_keeps_everything_this_widget_emits(kind):
    lists = sanitizer_lists()
    module = WIDGETS[kind]
    texts = {c.name: HOSTILE_TEXT[1] for c in module.CONTROLS if c.kind in ("text", "textarea")}
    markup = Markup()
    for params in ({}, texts):
        state = None
        for action in actions(module):
            result = runtime.call(kind, params, action, state, WIDGETS, "he")
            state = result.get("state", state)
            markup.feed(result["html"])
    for tag, names in markup.found.items():
        assert tag in lists["elements"], f"{kind} emits <{tag}>, which the sanitiser would remove"
        for name in names:
            allowed = (
                name in lists["global"]
                or name.startswith("aria-")
                or name in lists["attributes"].get(tag, [])
                or (tag, name) == ("img", "src")
            )
            assert allowed, f"{kind} emits <{tag} {name}>, which the sanitiser would remove"
