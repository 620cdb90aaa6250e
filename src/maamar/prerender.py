"""Stage 3, pre-render: run every widget once under CPython with its directive's params.

The exact function the browser will run (``maamar_live.runtime.call``) produces
the output the page shows first, so a reader without JavaScript, or before
Pyodide is ready, sees a true result rather than a placeholder.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from maamar_live import runtime

from .directives import WidgetUse


@dataclass(frozen=True)
class Prerendered:
    use: WidgetUse
    result: dict


class PrerenderError(Exception):
    pass


def prerender(use: WidgetUse, widgets=runtime.WIDGETS, lang: str = "he") -> Prerendered:
    try:
        result = runtime.call(use.kind, use.params, "init", None, widgets, lang=lang)
    except Exception as exc:  # a widget bug must become a file:line message, not a traceback
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        raise PrerenderError(f"widget '{use.kind}' failed to pre-render: {detail}") from exc
    return Prerendered(use, result)
