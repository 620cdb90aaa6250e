"""Every widget kind an article can use: ``WIDGETS``, a mapping ``{kind: module}``.

A registry, not a plugin system: the generator hands it to the Markdown
extension, and tests hand in a plain dict as a fake.  Each module follows the
widget contract (docs/widget-contract.md): ``KIND``, ``PARAMS``, ``CONTROLS`` and
``run(params, action, state) -> dict``.

Two sources of kinds: the built-in ones below, and the project's own
``widgets/*.py``, which the build ships in the site's wheel as the package
``maamar_project`` (its ``MODULES`` maps kind → module, as ``BUILT_IN`` does).

Modules are imported on first use rather than all at start-up: Pyodide compiles
each module's source when it is imported (the wheel can't carry 3.12 bytecode
built here), which made importing all of them the slowest part of becoming
live.  Once the page is live the worker gets the rest ready in the background,
one widget per task (``runtime.warm``).  A module's own ``STRINGS`` (author
widgets keep their strings beside their code) join the string tables on import.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

from .kit import i18n

PROJECT_PACKAGE = "maamar_project"
BUILT_IN = {
    kind: f"{__package__}.widgets.{kind.replace('-', '_')}"
    for kind in (
        "trial-error",
        "training-loop",
        "one-example-push",
        "word-neighbours",
        "gym",
        "instant-answer",
        "context-window",
        "prompt-to-image",
        "hallucination",
        "repetition-loop",
        "grounding",
        "refine-steps",
        "summarize-refresh",
    )
}


class Registry(Mapping):
    """``{kind: module}``, importing each module the first time it is looked up."""

    def __init__(self, modules: dict[str, str]):
        self._names = dict(modules)
        self._loaded: dict = {}

    def __getitem__(self, kind: str):
        if kind not in self._loaded:
            module = importlib.import_module(self._names[kind])
            i18n.add_strings(getattr(module, "STRINGS", None) or {})
            self._loaded[kind] = module
        return self._loaded[kind]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


def project_modules() -> dict[str, str]:
    """The project's kinds, where the site's wheel carries them (in the browser)."""
    try:
        project = importlib.import_module(PROJECT_PACKAGE)
    except ImportError:
        return {}
    return dict(getattr(project, "MODULES", {}))


WIDGETS = Registry({**BUILT_IN, **project_modules()})
