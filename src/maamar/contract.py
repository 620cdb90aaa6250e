"""The widget contract, checked: what every kind must be before a page may use it.

The same checks run on the built-in kinds (tests/test_widget_contract.py) and on
every author widget at build time (``widgets.load``): the module has ``KIND``,
``PARAMS``, ``CONTROLS`` and ``run``; its strings exist; every control maps to a
param and a string key; ``init`` with the defaults runs and returns safe markup,
a text summary and a JSON-able, small state.  Each problem comes back as
``(line, message)`` with the line in the widget's own file where one is known.
"""

from __future__ import annotations

import ast
import html.parser
import json
import re
import traceback
from pathlib import Path

from maamar_live import runtime
from maamar_live.kit import i18n
from maamar_live.kit.spec import Control, Field, Param, StateError, read_state

MAX_STATE = 20_000
FORBIDDEN_TAGS = ("script", "iframe", "object", "embed", "style", "link", "meta", "base", "form")


class MarkupAudit(html.parser.HTMLParser):
    """Collects anything a page must never receive from a widget."""

    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag}[{name}]")
            if name in ("href", "src") and value and not value.startswith(("#", "data:image/png;base64,")):
                self.problems.append(f"{tag}[{name}={value[:30]}]")


def markup_problems(markup: str) -> list[str]:
    audit = MarkupAudit()
    audit.feed(markup)
    return audit.problems


def output_problems(result: dict) -> list[str]:
    """What is wrong with one ``runtime.call`` result (empty when it keeps the contract)."""
    problems = []
    if not isinstance(result.get("html"), str) or not result["html"]:
        problems.append("run() must return 'html': a non-empty string of markup")
    if not isinstance(result.get("text"), str) or not result["text"]:
        problems.append("run() must return 'text': a short summary for screen readers")
    if isinstance(result.get("html"), str):
        bad = markup_problems(result["html"])
        if bad:
            problems.append(f"html holds what pages refuse: {', '.join(sorted(set(bad))[:5])} (build markup with kit.tag)")
        if re.search(r"\b(nan|inf|infinity)\b", result["html"], re.I):
            problems.append("a non-finite number reached the html (guard with math.isfinite)")
    try:
        size = len(json.dumps(result.get("state"), allow_nan=False))
    except (TypeError, ValueError) as exc:
        problems.append(f"state must be JSON-able (lists, numbers, strings): {exc}")
    else:
        if size > MAX_STATE:
            problems.append(f"state is {size:,} bytes of JSON; keep it under {MAX_STATE:,} (it is embedded in the page)")
    return problems


def definition_lines(path: Path | None) -> dict[str, int]:
    """Line of each top-level name in a module's source (``KIND``, ``PARAMS``, ``run``…)."""
    if not path or not Path(path).is_file():
        return {}
    lines: dict[str, int] = {}
    for node in ast.parse(Path(path).read_text(encoding="utf-8")).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            targets = [node.name]
        for name in targets:
            lines.setdefault(name, node.lineno)
    return lines


def line_in(exc: BaseException, path: Path | None, default: int) -> int:
    """The last line of ``path`` in the exception's traceback (where the widget's code failed)."""
    found = default
    if path:
        for frame in traceback.extract_tb(exc.__traceback__):
            if Path(frame.filename).resolve() == Path(path).resolve():
                found = frame.lineno or found
    return found


def short(exc: BaseException) -> str:
    return traceback.format_exception_only(type(exc), exc)[-1].strip()[:200]


def state_problems(module, at: dict) -> list[tuple[int, str]]:
    """``STATE``, when a widget declares one, is a dict of kit state fields."""
    declared = getattr(module, "STATE", None)
    if declared is None:
        return []
    if not isinstance(declared, dict) or not all(isinstance(f, Field) for f in declared.values()):
        return [(at.get("STATE", 1), "STATE must be a dict of kit state fields, e.g. {'draws': whole(0, 10**6)}")]
    return []


def keyed_default_problems(params: dict[str, Param]) -> list[str]:
    """A default that names a string key must exist, and read as a value of its param in
    every language that has it (an English translation must fit ``max_length`` too)."""
    problems = []
    for name, param in params.items():
        if not param.key:
            continue
        langs = [lang for lang in i18n.languages() if i18n.has(param.key, lang)]
        if not langs:
            problems.append(f"param '{name}': its default names the string '{param.key[:60]}', which no language has")
        for lang in langs:
            try:
                param.parse(i18n.t(param.key, lang))
            except ValueError as exc:
                problems.append(f"param '{name}': its default, '{param.key}' in '{lang}', {exc}")
    return problems


def check(kind: str, module, widgets, path: Path | None = None) -> list[tuple[int, str]]:
    """Every way ``module`` breaks the widget contract, as ``(line, message)``."""
    at = definition_lines(path)
    problems: list[tuple[int, str]] = []
    params, controls = getattr(module, "PARAMS", None), getattr(module, "CONTROLS", None)
    if not isinstance(params, dict) or not all(isinstance(p, Param) for p in params.values()):
        problems.append(
            (at.get("PARAMS", 1), "PARAMS must be a dict of kit.Param, e.g. {'rate': Param('float', 0.5, min=0, max=1)}")
        )
        params = None
    if not isinstance(controls, (list, tuple)) or not all(isinstance(c, Control) for c in controls):
        problems.append(
            (at.get("CONTROLS", 1), "CONTROLS must be a list made with kit.button / kit.slider / kit.select / kit.text")
        )
        controls = None
    if not callable(getattr(module, "run", None)):
        problems.append((at.get("run", 1), "no run(params, action, state) function"))
    for key in (f"{kind}.title", f"{kind}.caption"):
        if not any(i18n.has(key, lang) for lang in i18n.languages()):
            problems.append(
                (at.get("STRINGS", at.get("KIND", 1)), f"no string '{key}': add it to STRINGS = {{'en': {{'{key}': '…'}}}}")
            )
    problems += [(at.get("PARAMS", 1), message) for message in keyed_default_problems(params or {})]
    if problems:
        return problems
    line = at.get("CONTROLS", 1)
    for control in controls:
        keys = [control.label] + ([control.pause_label] if control.pause_label else [])
        keys += [label for _, label in control.options] if control.option_keys else []
        for key in keys:
            if not any(i18n.has(key, lang) for lang in i18n.languages()):
                hint = (
                    f" (labels are string keys now: write '{kind}.{control.name}' and put the text in STRINGS)"
                    if "." not in key
                    else ""
                )
                problems.append((line, f"control '{control.name}': no string '{key[:60]}'{hint}"))
        if control.kind != "button" and control.name not in params:
            problems.append((line, f"control '{control.name}' has no param of that name in PARAMS"))
        elif control.kind == "range":
            param = params[control.name]
            if param.type not in ("int", "float") or param.min is None or param.max is None:
                problems.append(
                    (
                        line,
                        f"slider '{control.name}' spans its param's range, but PARAMS['{control.name}'] has "
                        "no min and max: give it both, e.g. Param('float', 0.5, min=0, max=1)",
                    )
                )
    problems += state_problems(module, at)
    try:
        result = runtime.call(kind, {}, "init", None, widgets)
    except Exception as exc:  # an author's bug: a file:line message, never a traceback
        return problems + [(line_in(exc, path, at.get("run", 1)), f"init with the default params raised {short(exc)}")]
    problems += [(at.get("run", 1), message) for message in output_problems(result)]
    if getattr(module, "STATE", None) is not None and result.get("state") is not None:
        try:  # what run returns must read back: the page sends it with the next request
            read_state(result["state"], module.STATE)
        except StateError as exc:
            problems.append((at.get("STATE", 1), f"the init state does not fit STATE: {exc}"))
    return problems
