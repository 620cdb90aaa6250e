"""The project's own widget kinds: every ``widgets/*.py`` of the project.

Each file is imported as ``maamar_project.<name>`` — the same name it gets in the
site's wheel, so the build's pre-render and the browser run one module — and
checked against the widget contract exactly as the built-in kinds are.  Every
problem is a ``widgets/FILE.py:LINE: message`` error, never a traceback: a
syntax error, a failing import (with the fix for today's built-in imports), an
exception in ``init``, a missing ``KIND``, or a KIND that clashes with a built-in.
"""

from __future__ import annotations

import importlib
import re
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

from maamar_live.registry import BUILT_IN, PROJECT_PACKAGE, Registry

from . import contract
from .errors import ContentError
from .project import Project

KIND_FORM = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# What widget modules imported before the kit was public, and what to write instead.
OLD_IMPORTS = {
    "i18n": "maamar_live.kit",
    "markup": "maamar_live.kit",
    "plots": "maamar_live.kit",
    "spec": "maamar_live.kit",
    "png": "maamar_live.kit",
    "tokenizer": "maamar_live.text.tokenizer",
    "corpus": "maamar_live.text.corpus",
    "charlm": "maamar_live.models.charlm",
    "ngram": "maamar_live.models.ngram",
    "cppn": "maamar_live.models.cppn",
}


@dataclass
class ProjectWidgets:
    modules: dict[str, str] = field(default_factory=dict)  # kind -> module name
    files: dict[str, Path] = field(default_factory=dict)  # file name -> path, for the wheel
    errors: list[ContentError] = field(default_factory=list)

    def registry(self) -> Registry:
        return Registry({**BUILT_IN, **self.modules})


def _fresh_package(folder: Path) -> None:
    """(Re)create ``maamar_project`` over ``folder``, forgetting modules of an earlier build."""
    for name in [m for m in sys.modules if m == PROJECT_PACKAGE or m.startswith(PROJECT_PACKAGE + ".")]:
        del sys.modules[name]
    package = types.ModuleType(PROJECT_PACKAGE)
    package.__path__ = [str(folder)]
    package.MODULES = {}
    sys.modules[PROJECT_PACKAGE] = package
    importlib.invalidate_caches()


def _import_error(exc: ImportError, source: str, line: int) -> str:
    missing = getattr(exc, "name", "") or ""
    text = source.splitlines()[line - 1].strip() if 0 < line <= len(source.splitlines()) else ""
    leaf = missing.rsplit(".", 1)[-1]
    if (missing.startswith(("maamar_demos", PROJECT_PACKAGE)) or text.startswith("from .")) and leaf in OLD_IMPORTS:
        return (
            f"'{text}' is the built-in widgets' old import; an author widget writes "
            f"'from {OLD_IMPORTS[leaf]} import …' instead (see docs/widget-contract.md)"
        )
    if missing.startswith("maamar_demos"):
        return f"'{text}': maamar_demos is now maamar_live; import the author API with 'from maamar_live.kit import …'"
    return f"import failed: {contract.short(exc)} (a widget may import numpy, the standard library and maamar_live.kit)"


def load(project: Project) -> ProjectWidgets:
    found = ProjectWidgets()
    folder = project.widgets
    if not folder.is_dir():
        return found
    _fresh_package(folder)
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        shown = project.shown(path)

        def error(line: int, message: str, shown=shown) -> None:
            found.errors.append(ContentError(shown, line, message))

        if not path.stem.isidentifier():
            error(1, f"'{path.name}' can't be imported: name widget files like my_widget.py (letters, digits, _)")
            continue
        source = path.read_text(encoding="utf-8")
        try:
            compile(source, str(path), "exec")
        except SyntaxError as exc:
            error(exc.lineno or 1, f"syntax error: {exc.msg}")
            continue
        name = f"{PROJECT_PACKAGE}.{path.stem}"
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            line = contract.line_in(exc, path, 1)
            error(line, _import_error(exc, source, line))
            continue
        except Exception as exc:  # the author's module-level code raised
            error(contract.line_in(exc, path, 1), f"importing the widget raised {contract.short(exc)}")
            continue
        at = contract.definition_lines(path)
        kind = getattr(module, "KIND", None)
        if not isinstance(kind, str) or not KIND_FORM.match(kind):
            error(
                at.get("KIND", 1),
                "no KIND: add a line like KIND = \"my-widget\" (lowercase words joined by '-')"
                if kind is None
                else f"KIND must be lowercase words joined by '-', got {kind!r}",
            )
            continue
        if kind in BUILT_IN:
            error(at["KIND"], f"KIND '{kind}' is a built-in widget's name: choose another, e.g. '{kind}-2'")
            continue
        if kind in found.modules:
            error(at["KIND"], f"KIND '{kind}' is already used by {found.modules[kind].rsplit('.', 1)[1]}.py")
            continue
        found.modules[kind] = name
        found.files[path.name] = path
    registry = found.registry()
    for kind, name in found.modules.items():
        path = found.files[name.rsplit(".", 1)[1] + ".py"]
        module = registry[kind]  # imported above; the lookup adds its STRINGS
        for line, message in contract.check(kind, module, registry, path):
            found.errors.append(ContentError(project.shown(path), line, message))
    sys.modules[PROJECT_PACKAGE].MODULES = dict(found.modules)
    return found
