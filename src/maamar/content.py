"""Stage 1, read: an article file becomes front matter + Markdown body.

Front matter is YAML between two ``---`` lines.  Errors carry the line they are
on, counted in the whole file, so the author can jump straight to them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import yaml

from maamar_live.kit.spec import shown

from .errors import ContentError

REQUIRED = ("title", "lang", "dir", "description", "date")
DIRECTIONS = ("rtl", "ltr")


@dataclass(frozen=True)
class Source:
    path: str  # as shown in messages, relative to the project
    slug: str  # output name: content/article.md -> article.html
    meta: dict
    body: str
    body_line: int  # line number of the body's first line in the file

    @property
    def output(self) -> str:
        """The page's path in the site."""
        return f"{self.slug}.html"

    @property
    def root(self) -> str:
        """The site's root as seen from the page: "" at the top, "../" per folder down."""
        return "../" * self.output.count("/")


def read_source(path: Path, shown_as: str) -> tuple[Source | None, list[ContentError]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [ContentError(shown_as, 1, f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8")]
    return parse_source(text, shown_as, path.stem)


def parse_source(text: str, shown_as: str, slug: str) -> tuple[Source | None, list[ContentError]]:
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, [
            ContentError(
                shown_as,
                1,
                "missing front matter: the file must start with a '---' line, then title, lang, dir, description and date, then '---'",
            )
        ]
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        return None, [ContentError(shown_as, 1, "front matter is not closed: add a '---' line after the last field")]
    try:
        meta = yaml.safe_load("\n".join(lines[1:end])) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + (mark.line if mark else 0)
        reason = getattr(exc, "problem", None) or "invalid YAML"
        return None, [
            ContentError(shown_as, line, f"front matter is not valid YAML: {reason} (check quotes and the 'key: value' form)")
        ]
    if not isinstance(meta, dict):
        return None, [ContentError(shown_as, 2, "front matter must be 'key: value' lines")]
    errors = validate_meta(meta, lines[1:end], shown_as)
    source = Source(shown_as, slug, meta, "\n".join(lines[end + 1 :]), end + 2)
    return (None if errors else source), errors


def _line_of(key: str, meta_lines: list[str]) -> int:
    for i, line in enumerate(meta_lines):
        if line.split(":", 1)[0].strip() == key:
            return i + 2
    return 1


def validate_meta(meta: dict, meta_lines: list[str], shown_as: str) -> list[ContentError]:
    errors = []
    for key in REQUIRED:
        if key not in meta or meta[key] in (None, ""):
            errors.append(ContentError(shown_as, 1, f"front matter lacks '{key}'"))
    if "dir" in meta and meta["dir"] not in DIRECTIONS:
        errors.append(
            ContentError(shown_as, _line_of("dir", meta_lines), f"dir must be rtl or ltr, got '{shown(str(meta['dir']))}'")
        )
    if "date" in meta and meta["date"] not in (None, "") and not isinstance(meta["date"], dt.date):
        try:
            dt.date.fromisoformat(str(meta["date"]))
        except ValueError:
            errors.append(
                ContentError(
                    shown_as, _line_of("date", meta_lines), f"date must look like 2026-11-29, got '{shown(str(meta['date']))}'"
                )
            )
    for key in ("title", "description", "lang"):
        if key in meta and meta[key] is not None and not isinstance(meta[key], str):
            errors.append(ContentError(shown_as, _line_of(key, meta_lines), f"{key} must be text"))
    return errors
