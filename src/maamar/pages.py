"""Stage 2, parse: a ``Source`` becomes a ``Page`` (HTML body, table of contents, widgets).

Widgets are pre-rendered here through ``render_widget`` (see ``prerender``), so
the page's HTML carries a real output before any JavaScript runs.
"""
from __future__ import annotations

import html as html_lib
from dataclasses import dataclass, field
from typing import Callable

import markdown
from markdown.extensions.toc import slugify_unicode

from .content import Source
from .directives import DirectiveLog, WidgetExtension, WidgetUse
from .errors import ContentError
from .htmlpolicy import AuthorHtmlExtension


@dataclass(frozen=True)
class Page:
    source: Source
    html: str
    toc: list[dict]          # [{"id", "name", "level"}]
    widgets: list[WidgetUse]
    words: int
    warnings: list[ContentError] = field(default_factory=list)


def _flatten(tokens, out):
    for token in tokens:
        out.append({"id": token["id"], "name": html_lib.unescape(token["name"]), "level": token["level"]})
        _flatten(token.get("children", []), out)
    return out


def parse_page(source: Source, widgets: dict, render_widget: Callable[[WidgetUse], str]) -> tuple[Page | None, list[ContentError]]:
    log = DirectiveLog(source.path, line_offset=source.body_line - 1)
    md = markdown.Markdown(
        extensions=[
            "attr_list",
            "tables",
            "fenced_code",
            "toc",
            WidgetExtension(widgets, log, render_widget),
            AuthorHtmlExtension(log),
        ],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
        output_format="html",
    )
    body = md.convert(source.body)
    if log.errors:
        return None, log.errors
    toc = _flatten(md.toc_tokens, [])
    headings = {entry["id"] for entry in toc}
    clashes = [ContentError(source.path, log.ids[use.id], f"widget id '{use.id}' is also a heading's id, so links to "
                                                          "one would reach the other: give the widget an 'id:' line")
               for use in log.uses if use.id in headings]
    if clashes:
        return None, clashes
    words = len(source.body.split())
    return Page(source, body, toc, log.uses, words, sorted(log.warnings, key=lambda w: w.line)), []
