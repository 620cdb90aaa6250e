"""Reader-facing strings by key, one folder per language (``locale/<lang>/``).

Every word a reader sees — widget captions, control labels, messages, the
runtime's progress stages — is looked up here, so adding a language means adding
one folder.  Keys are namespaced: ``"<widget-kind>.<name>"``, ``"runtime.<name>"``,
``"site.<name>"``.  An author widget brings its own table (``STRINGS = {lang:
{key: text}}`` in its module), added with ``add_strings``.

A key is looked up in the asked language, then in English, then in Hebrew (the
language the built-in widgets were written in), so a page never shows a raw key;
the build warns when it had to fall back (``missing``).

Which language ``t(key)`` uses without an explicit ``lang`` is the *active*
language: the runtime sets it to the page's language around every widget call
(``with language("en"): ...``), so widget code never passes it around.
"""

from __future__ import annotations

import importlib
from contextlib import contextmanager

DEFAULT_LANG = "he"
# Languages written right to left (their primary subtag, as in "he" or "ar-EG"): a
# widget lays out its sequences (a strip of steps, a chart's x axis) the same way.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ps", "sd", "syr", "ug", "ur", "yi"})
FALLBACKS = ("en", "he")
_BUILT_IN: dict[str, dict[str, str]] = {}
_ADDED: dict[str, dict[str, str]] = {}
_active = [DEFAULT_LANG]


def built_in(lang: str) -> dict[str, str]:
    """The strings maamar itself ships for ``lang`` (empty if it has none)."""
    if lang not in _BUILT_IN:
        try:
            # Imported by name, not statically: locale/ is data, one module per language.
            module = importlib.import_module(f"{__package__.rsplit('.', 1)[0]}.locale.{lang}")
            _BUILT_IN[lang] = dict(module.STRINGS)
        except (ImportError, ValueError):
            _BUILT_IN[lang] = {}
    return _BUILT_IN[lang]


def add_strings(tables: dict[str, dict[str, str]]) -> None:
    """Add an author widget's strings: ``{lang: {key: text}}``."""
    for lang, table in tables.items():
        _ADDED.setdefault(str(lang), {}).update({str(k): str(v) for k, v in table.items()})


def strings(lang: str = DEFAULT_LANG) -> dict[str, str]:
    """Every string of ``lang`` itself (no fallback): built-in, then added ones."""
    return {**built_in(lang), **_ADDED.get(lang, {})}


def languages() -> list[str]:
    """Every language some string exists in: the built-in folders and the added tables."""
    from importlib import resources

    folder = resources.files(f"{__package__.rsplit('.', 1)[0]}.locale")
    found = {entry.name for entry in folder.iterdir() if entry.is_dir() and not entry.name.startswith("_")}
    return sorted(found | set(_ADDED))


def has(key: str, lang: str) -> bool:
    return key in _ADDED.get(lang, {}) or key in built_in(lang)


def available(lang: str) -> bool:
    """Whether the page chrome (site.*, runtime.*, widget.*) exists in ``lang``."""
    return has("runtime.ready", lang)


def resolve(lang: str | None = None) -> str:
    return lang or _active[-1]


def lookup(key: str, lang: str | None = None) -> str:
    lang = resolve(lang)
    for candidate in (lang, *FALLBACKS):
        table = _ADDED.get(candidate)
        if table and key in table:
            return table[key]
        table = built_in(candidate)
        if key in table:
            return table[key]
    raise KeyError(key)


def rtl(lang: str | None = None) -> bool:
    """Whether the active language (or ``lang``) is written right to left: in RTL
    text a sequence's first item (step 0, rank 1) stands on the right."""
    return resolve(lang).split("-")[0].lower() in RTL_LANGUAGES


def direction(lang: str | None = None) -> str:
    """``"rtl"`` or ``"ltr"``: the ``dir`` of the active language's (or ``lang``'s) text."""
    return "rtl" if rtl(lang) else "ltr"


@contextmanager
def language(lang: str):
    """Make ``lang`` the language ``t`` uses inside the block."""
    _active.append(lang or DEFAULT_LANG)
    try:
        yield
    finally:
        _active.pop()


def t(key: str, lang: str | None = None, **values) -> str:
    """The string for ``key``; ``{name}`` placeholders are filled from ``values``.

    A key missing in every language raises KeyError: the contract test walks every
    widget, so a typo fails CI instead of showing a raw key to a reader.
    """
    text = lookup(key, lang)
    return text.format(**values) if values else text
