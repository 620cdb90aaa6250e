"""The public author API: one import gives everything a widget module needs.

    from maamar_live.kit import Param, button, slider, tag, esc, num, line, t

* spec:    ``Param``, ``button``, ``slider``, ``text``, ``textarea``, ``select``, ``checkbox``,
           ``state_int``, ``state_seed``; state fields ``whole``, ``number``, ``flag``, ``words``,
           ``one_of``, ``list_of``, ``row``, ``record``, ``either``, ``optional``, ``from_param``
* markup:  ``tag``, ``esc``, ``num``, ``ltr``, ``isolate``, ``clean``, ``shown``, ``image``
* plots:   ``line``, ``bar``, ``scatter``, ``heatmap``, ``region``
* png:     ``png_bytes``, ``data_url``, ``picture_url``
* i18n:    ``t`` (a string by key, in the page's language)
* figures: ``show`` (a plot into a code cell's output)

Names resolve on first use (PEP 562), so importing the kit costs nothing until a
piece is used: Pyodide compiles every module it imports, and boot time counts.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "spec": (
        "Param",
        "Control",
        "button",
        "slider",
        "text",
        "textarea",
        "select",
        "checkbox",
        "state_int",
        "state_seed",
        "StateError",
        "whole",
        "number",
        "flag",
        "words",
        "one_of",
        "list_of",
        "row",
        "record",
        "either",
        "optional",
        "from_param",
        "plain",
    ),
    "markup": ("tag", "esc", "num", "ltr", "isolate", "clean", "shown", "image"),
    "plots": ("line", "bar", "scatter", "heatmap", "region"),
    "png": ("png_bytes", "data_url", "picture_url"),
    "i18n": ("t",),
    "figures": ("show",),
}
_MODULE_OF = {name: module for module, names in _WHERE.items() for name in names}
__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    if name not in _MODULE_OF:
        raise AttributeError(f"maamar_live.kit has no {name!r}; it offers: {', '.join(__all__)}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    globals()[name] = value
    return value


def __dir__():
    return __all__
