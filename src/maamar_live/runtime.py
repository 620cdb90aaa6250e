"""The one entry point the page (through the worker) and the build call.

``call`` validates the kind, clamps the params into the widget's spec, runs the
widget in the page's language and makes its result JSON-safe.  It is the same
function under CPython (pre-render, tests) and under Pyodide (live), which is
what makes the parity test meaningful.
"""

from __future__ import annotations

import json
import math

from .kit.i18n import DEFAULT_LANG, language
from .kit.spec import coerce
from .registry import WIDGETS


def jsonable(value):
    """numpy scalars/arrays to plain Python; non-finite floats to None (JSON has no NaN)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
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
    clean = coerce(params or {}, module.PARAMS)
    with language(lang):
        result = module.run(clean, action, state)
    if not isinstance(result, dict):
        raise TypeError(f"run() must return a dict, got {type(result).__name__}")
    result.setdefault("done", False)
    result.setdefault("text", "")
    result.setdefault("state", None)
    result["params"] = clean
    return jsonable(result)


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
