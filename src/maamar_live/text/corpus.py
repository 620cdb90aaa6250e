"""The site's small Hebrew corpus: the "many examples" every widget learns from.

``data/corpus_he.txt`` beside this module holds one sentence a line; a blank line separates
scenes and stories; a line starting with ``#`` is a comment.  Three kinds of
comment carry meaning for the widgets:

* ``# story: <name>`` opens a story, which runs to the next blank line (a
  widget continues the long one with a short memory and counts which names
  come back);
* ``# rare: a, b, c`` lists terms that occur at most once — what a model has
  almost no statistics for;
* ``# unseen: a, b`` lists plausible-sounding terms that never occur.

The file is package data (``maamar_live/text/data/corpus_he.txt``): it travels
with the built-in widgets that learn from it, in maamar's own wheel and in every
site's.  Reading and parsing happen once: the results are memoised, and returned as tuples so no
caller can change what the next one sees.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

PACKAGE_DATA = "data/corpus_he.txt"


@lru_cache(maxsize=1)
def raw_text() -> str:
    """The file as written, comments and all."""
    return resources.files(__package__).joinpath(PACKAGE_DATA).read_text(encoding="utf-8")


def _comment(line: str, label: str) -> str | None:
    """The value of a ``# label: value`` comment line, else None."""
    body = line.lstrip("#").strip()
    if line.startswith("#") and body.startswith(label + ":"):
        return body[len(label) + 1 :].strip()
    return None


@lru_cache(maxsize=1)
def load_lines() -> tuple[str, ...]:
    """Every sentence line, in order, without comments or blank lines."""
    return tuple(s for s in (line.strip() for line in raw_text().splitlines()) if s and not s.startswith("#"))


@lru_cache(maxsize=1)
def load_text() -> str:
    """The corpus as one text: sentence lines joined by newlines."""
    return "\n".join(load_lines())


@lru_cache(maxsize=1)
def _stories() -> tuple[tuple[str, tuple[str, ...]], ...]:
    found: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for line in raw_text().splitlines():
        line = line.strip()
        name = _comment(line, "story")
        if name is not None:
            current = []
            found.append((name, current))
        elif not line:
            current = None
        elif current is not None and not line.startswith("#"):
            current.append(line)
    return tuple((name, tuple(lines)) for name, lines in found)


def stories() -> dict[str, tuple[str, ...]]:
    """Every story by name, in file order: ``{name: lines}``."""
    return dict(_stories())


def story(name: str) -> tuple[str, ...]:
    """The lines of one story; KeyError names the stories there are."""
    found = stories()
    if name not in found:
        raise KeyError(f"no story {name!r}; the corpus has: {', '.join(found)}")
    return found[name]


def longest_story() -> str:
    """The name of the longest story (the one a widget continues)."""
    return max(_stories(), key=lambda item: len(item[1]))[0]


def _listed(label: str) -> tuple[str, ...]:
    terms: list[str] = []
    for line in raw_text().splitlines():
        value = _comment(line.strip(), label)
        if value:
            terms.extend(term.strip() for term in value.split(",") if term.strip())
    return tuple(terms)


@lru_cache(maxsize=1)
def rare_terms() -> tuple[str, ...]:
    """Terms that occur at most once in the corpus (from ``# rare:`` comments)."""
    return _listed("rare")


@lru_cache(maxsize=1)
def unseen_terms() -> tuple[str, ...]:
    """Plausible terms that never occur in the corpus (from ``# unseen:`` comments)."""
    return _listed("unseen")
