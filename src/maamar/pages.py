"""Stage 2, parse: a ``Source`` becomes a ``Page`` (HTML body, table of contents, widgets, cells).

Widgets are pre-rendered here through ``render_widget`` (see ``prerender``) and
code cells through ``render_cells`` (see ``cells``), so the page's HTML carries
real outputs before any JavaScript runs.
"""

from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions.toc import slugify_unicode

from .cells import CellExtension, CellUse
from .content import Source
from .directives import DirectiveLog, WidgetExtension, WidgetUse
from .errors import ContentError
from .htmlpolicy import AuthorHtmlExtension


@dataclass(frozen=True)
class Page:
    source: Source
    html: str
    toc: list[dict]  # [{"id", "name", "level"}]
    widgets: list[WidgetUse]
    words: int
    cells: list[CellUse] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    pictures: dict[str, bytes] = field(default_factory=dict)  # generated pictures' files, by path in the site


def _flatten(tokens, out):
    for token in tokens:
        out.append({"id": token["id"], "name": html_lib.unescape(token["name"]), "level": token["level"]})
        _flatten(token.get("children", []), out)
    return out


def parse_page(
    source: Source,
    widgets: dict,
    render_widget: Callable[[WidgetUse], str],
    render_cells: Callable[[list[CellUse]], list[str]] | None = None,
) -> tuple[Page | None, list[ContentError]]:
    log = DirectiveLog(source.path, line_offset=source.body_line - 1)
    # Without render_cells (tools that only read pages) a cell stays a plain code block.
    cells = CellExtension(source.path, source.body_line - 1, render_cells or (lambda found: []), log.own_html)
    md = markdown.Markdown(
        extensions=[
            "attr_list",
            "tables",
            "fenced_code",
            "toc",
            WidgetExtension(widgets, log, render_widget),
            *([cells] if render_cells else []),
            AuthorHtmlExtension(log),
        ],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
        output_format="html",
    )
    body = md.convert(source.body)
    errors = sorted(log.errors + cells.errors, key=lambda e: e.line)
    if errors:
        return None, errors
    toc = _flatten(md.toc_tokens, [])
    headings = {entry["id"] for entry in toc}
    clashes = [
        ContentError(
            source.path,
            log.ids[use.id],
            f"widget id '{use.id}' is also a heading's id, so links to one would reach the other: give the widget an 'id:' line",
        )
        for use in log.uses
        if use.id in headings
    ]
    if clashes:
        return None, clashes
    words = len(source.body.split())
    return Page(source, body, toc, log.uses, words, cells.cells, sorted(log.warnings, key=lambda w: w.line)), []
