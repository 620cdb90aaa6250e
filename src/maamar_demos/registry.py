"""Every widget kind the article can use: ``WIDGETS``, a mapping ``{kind: module}``.

A registry, not a plugin system: the generator hands it to the Markdown
extension, and tests hand in a plain dict as a fake.  Each module follows the
widget contract (docs/widget-contract.md): ``KIND``, ``PARAMS``, ``CONTROLS`` and
``run(params, action, state) -> dict``.

Modules are imported on first use rather than all at start-up: Pyodide compiles
each module's source when it is imported (the wheel can't carry 3.12 bytecode
built here), which made importing all of them the slowest part of becoming
live.  Once the page is live the worker gets the rest ready in the background,
one widget per task (``runtime.warm``).
"""
from __future__ import annotations

import importlib
from collections.abc import Mapping

MODULES = {
    "trial-error": "trial_error",
    "training-loop": "training_loop",
    "one-example-push": "one_example_push",
    "word-neighbours": "word_neighbours",
    "gym": "gym",
    "instant-answer": "instant_answer",
    "context-window": "context_window",
    "prompt-to-image": "prompt_to_image",
    "hallucination": "hallucination",
    "repetition-loop": "repetition_loop",
    "grounding": "grounding",
    "refine-steps": "refine_steps",
    "summarize-refresh": "summarize_refresh",
}


class Registry(Mapping):
    """``{kind: module}``, importing each module the first time it is looked up."""

    def __init__(self, modules: dict[str, str]):
        self._names = dict(modules)
        self._loaded: dict = {}

    def __getitem__(self, kind: str):
        if kind not in self._loaded:
            self._loaded[kind] = importlib.import_module(f"{__package__}.{self._names[kind]}")
        return self._loaded[kind]

    def __iter__(self):
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)


WIDGETS = Registry(MODULES)
