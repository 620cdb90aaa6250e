"""Stage 3, pre-render: run every widget once under CPython with its directive's params.

The exact function the browser will run (``maamar_live.runtime.call``) produces
the output the page shows first, so a reader without JavaScript, or before
Pyodide is ready, sees a true result rather than a placeholder.  Generated
pictures become files (``kit.png.picture_files``): the output links them
relative to the page, and ``Prerendered.pictures`` carries their bytes on to the
write stage.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field

from maamar_live import runtime
from maamar_live.kit.png import picture_files

from .directives import WidgetUse


@dataclass(frozen=True)
class Prerendered:
    use: WidgetUse
    result: dict
    pictures: dict[str, bytes] = field(default_factory=dict)  # by path from the site's root


class PrerenderError(Exception):
    pass


def prerender(use: WidgetUse, widgets=runtime.WIDGETS, lang: str = "he", root: str = "") -> Prerendered:
    """``use``'s first output; ``root``: the site's root as seen from the page ("" for
    a page at the top, "../" one folder down), which its picture URLs start with."""
    try:
        with picture_files(root) as pictures:
            result = runtime.call(use.kind, use.params, "init", None, widgets, lang=lang)
    except Exception as exc:  # a widget bug must become a file:line message, not a traceback
        detail = traceback.format_exception_only(type(exc), exc)[-1].strip()
        raise PrerenderError(f"widget '{use.kind}' failed to pre-render: {detail}") from exc
    return Prerendered(use, result, pictures.files)
