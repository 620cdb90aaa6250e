"""Reader-facing strings, one folder per language (``locale/<lang>/``).

Every Hebrew word a reader sees — widget captions, control labels, messages,
the runtime's progress stages — is looked up here, so adding a language means
adding one folder.  Keys are namespaced: ``"<widget-kind>.<name>"`` or
``"runtime.<name>"``.
"""
from __future__ import annotations

import importlib

DEFAULT_LANG = "he"
_CACHE: dict[str, dict[str, str]] = {}


def strings(lang: str = DEFAULT_LANG) -> dict[str, str]:
    if lang not in _CACHE:
        try:
            module = importlib.import_module(f"maamar_demos.locale.{lang}")
        except ImportError:
            module = importlib.import_module(f"maamar_demos.locale.{DEFAULT_LANG}")
        _CACHE[lang] = module.STRINGS
    return _CACHE[lang]


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The string for ``key``; ``{name}`` placeholders are filled from ``values``.

    A missing key raises KeyError: a test walks every widget so a typo fails CI
    instead of showing a raw key to a reader.
    """
    text = strings(lang)[key]
    for name, value in values.items():
        # "{pct}%" with an isolated number (markup.num): the % must go inside the
        # isolate, or the bidi algorithm detaches it and RTL text shows "%33".
        slot = "{" + name + "}%"
        if slot in text and isinstance(value, str) and value.endswith("</bdi>"):
            text = text.replace(slot, "{" + name + "}")
            values[name] = value[: -len("</bdi>")] + "%</bdi>"
    return text.format(**values) if values else text
