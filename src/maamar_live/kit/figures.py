"""``show(figure)``: put a kit plot into a code cell's output.

    from maamar_live.kit import line, show
    show(line({"loss": losses}, title="Loss", desc="…", xlabel="step", ylabel="loss"))

The kit's plots return SVG strings, so a cell could not tell a figure from any
other string by its type; ``show`` is the one explicit way, the same at build
time and in Pyodide.  It accepts only what the kit's plots make (one well-formed
``<svg class="plot">`` without scripts or foreign content), so a cell cannot
slip arbitrary markup into the page; the page sanitises it again on insertion.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree
from contextlib import contextmanager

SVG_NS = "{http://www.w3.org/2000/svg}"
FORBIDDEN = {"script", "foreignObject", "iframe", "image", "a", "style", "use"}
_sinks: list[list] = []  # the outputs of the cell now running (a stack: cells don't nest, but stay safe)


@contextmanager
def collecting(outputs: list):
    """While a cell runs, ``show`` appends its figures to that cell's ``outputs``."""
    _sinks.append(outputs)
    try:
        yield outputs
    finally:
        _sinks.pop()


def _check(figure) -> str:
    if not isinstance(figure, str) or not figure.lstrip().startswith("<svg"):
        raise TypeError(
            f"show() takes a figure made by the kit's plots (line, scatter, bar, heatmap, region), got {type(figure).__name__}"
        )
    try:
        root = etree.fromstring(figure)
    except etree.ParseError as exc:
        raise ValueError(f"show() got SVG that is not well-formed: {exc}") from None
    # the kit's plots leave xmlns out (inline in HTML, <svg> is in the SVG namespace anyway)
    if root.tag not in (SVG_NS + "svg", "svg") or "plot" not in (root.get("class") or "").split():
        raise ValueError('show() takes a figure made by the kit\'s plots: one <svg class="plot">')
    for el in root.iter():
        name = el.tag.rsplit("}", 1)[-1]
        if name in FORBIDDEN or any(a.lower().startswith("on") or a == "style" for a in el.attrib):
            raise ValueError(f"show() refuses <{name}> with scripts, links or styles: only the kit's plots can be shown")
    return figure.strip()


def show(figure) -> None:
    """Show a kit figure below the cell, after what the cell printed so far."""
    svg = _check(figure)
    if not _sinks:
        raise RuntimeError("show() works inside a code cell (```python live): a widget returns its figures in 'html'")
    _sinks[-1].append({"type": "figure", "html": svg})
