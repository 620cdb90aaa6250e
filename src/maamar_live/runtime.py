"""The one entry point the page (through the worker) and the build call.

``call`` validates the kind, clamps the params into the widget's spec, reads the
state the page sent back against the widget's ``STATE`` (when it declares one), runs
the widget in the page's language and makes its result JSON-safe.  It is the same
function under CPython (pre-render, tests) and under Pyodide (live), which is
what makes the parity test meaningful.
"""

from __future__ import annotations

import dataclasses
import json
import math

from .kit.i18n import DEFAULT_LANG, language, t
from .kit.markup import ltr, tag
from .kit.spec import StateError, coerce, plain, read_state
from .registry import WIDGETS


def jsonable(value):
    """numpy scalars/arrays to plain Python; non-finite floats to None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return jsonable(plain(value))  # a state read against STATE, handed back as it came
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if hasattr(value, "tolist"):
        return jsonable(value.tolist())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def call(
    kind: str, params: dict, action: str = "init", state: dict | None = None, widgets=WIDGETS, lang: str = DEFAULT_LANG
) -> dict:
    module = widgets[kind]
    state, rejected = typed_state(module, action, state)
    with language(lang):
        clean = coerce(params or {}, module.PARAMS)  # defaults that are words: in the page's language
        try:
            result = module.run(clean, action, state)
        except StateError as exc:  # a check STATE cannot express, made by the widget itself
            if state is None:
                raise
            state, rejected = None, str(exc)
            result = module.run(clean, action, None)
        if not isinstance(result, dict):
            raise TypeError(f"run() must return a dict, got {type(result).__name__}")
        if rejected:  # say so, in the reader's language, and carry on from a fresh start
            note = t("state.rejected", reason=ltr(rejected))
            result["html"] = tag("p", note, class_="message state-rejected") + result.get("html", "")
            result["text"] = f"{t('state.rejected', reason=rejected)} {result.get('text', '')}".strip()
    result.setdefault("done", False)
    result.setdefault("text", "")
    result.setdefault("state", None)
    result["params"] = clean
    return jsonable(result)


def typed_state(module, action: str, state) -> tuple[object, str]:
    """The state ``run`` receives, and why the page's one was refused ("" if it was not).

    A widget with ``STATE`` gets ``None`` on ``"init"`` and when the page has no state,
    else the state read against ``STATE`` (a frozen object); a state that does not fit
    becomes ``None`` plus the reason.  A widget without ``STATE`` gets the page's JSON as is.
    """
    spec = getattr(module, "STATE", None)
    if spec is None:
        return state, ""
    if action == "init" or state is None:
        return None, ""
    try:
        return read_state(state, spec), ""
    except StateError as exc:
        return None, str(exc)


def warm(index: int, lang: str = DEFAULT_LANG) -> bool:
    """Get widget number ``index`` ready while the page is idle: import its module and
    run its default ``init``, which builds and memoises its models (corpus counts, a
    language model, an SVD) — so the reader's first press doesn't pay for them.
    True while widgets remain after this one."""
    kinds = list(WIDGETS)
    if index < len(kinds):
        call(kinds[index], {}, "init", lang=lang)
    return index + 1 < len(kinds)


def call_json(request: str) -> str:
    """Worker entry: one JSON request string in, one JSON response string out."""
    req = json.loads(request)
    return json.dumps(
        call(
            req["widget"],
            req.get("params") or {},
            req.get("action") or "init",
            req.get("state"),
            lang=req.get("lang") or DEFAULT_LANG,
        ),
        ensure_ascii=False,
    )
