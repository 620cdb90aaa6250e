"""One layer per folder, imports pointing one way.

    kit (spec, markup, plots, png, i18n)  ←  text (tokenizer, corpus)  ←  models  ←  widgets

* a widget may import models, text and kit — never another widget;
* a model may import text (and other models: the copying decoder is built on the n-gram model);
* text may import the standard library only; kit too, plus numpy for the PNG filter;
* the generator (``maamar``) may import only the runtime, the registry and the kit.

Static imports are read from the source with ``ast``, relative ones resolved.
"""

import ast
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

SRC = ROOT / "src"
STDLIB = set(sys.stdlib_module_names)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports statically, as an absolute dotted name, with its line."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
                # "from . import ngram": the imported names are modules
                names = [f"{target}.{a.name}" for a in node.names] if not node.module else [target]
            else:
                names = [node.module]
            found += [(node.lineno, n) for n in names]
    return found


def layer(name: str) -> str:
    parts = name.split(".")
    if parts[0] == "maamar_live":
        return parts[1] if len(parts) >= 2 and parts[1] in ("kit", "text", "models", "widgets", "locale") else "runtime"
    if parts[0] == "maamar":
        return "generator"
    if parts[0] == "maamar_project":
        return "project"
    root = parts[0]
    return "numpy" if root == "numpy" else "stdlib" if root in STDLIB else f"third-party:{root}"


ALLOWED = {
    "widgets": {"models", "text", "kit", "numpy", "stdlib"},
    "models": {"models", "text", "numpy", "stdlib"},
    "text": {"text", "stdlib"},
    "kit": {"kit", "stdlib", "numpy"},
    "locale": {"locale", "stdlib"},
    "runtime": {"runtime", "kit", "stdlib"},
}


def sources(folder: str):
    return sorted((SRC / folder).rglob("*.py"))


def violations(path: Path) -> list[str]:
    own = layer(module_name(path))
    found = []
    for line, target in imports(path):
        where = f"{path.relative_to(SRC)}:{line}"
        if target == "__future__":
            continue
        if own == "widgets" and layer(target) == "widgets":
            found.append(f"{where}: a widget imports another widget ({target})")
        elif layer(target) not in ALLOWED[own]:
            found.append(f"{where}: {own} must not import {target}")
        elif own == "kit" and layer(target) == "numpy" and path.name != "png.py":
            found.append(f"{where}: only the PNG filter may use numpy in the kit")
    return found


@pytest.mark.parametrize("path", sources("maamar_live"), ids=lambda p: p.relative_to(SRC).as_posix())
def test_browser_package_imports_point_one_way(path):
    assert violations(path) == []


@pytest.mark.parametrize("path", sources("maamar"), ids=lambda p: p.relative_to(SRC).as_posix())
def test_the_generator_uses_only_the_runtime_the_registry_and_the_kit(path):
    for line, target in imports(path):
        if target.startswith("maamar_live"):
            allowed = target in ("maamar_live", "maamar_live.runtime", "maamar_live.registry") or target.startswith(
                "maamar_live.kit"
            )
            assert allowed, f"{path.relative_to(SRC)}:{line}: the generator imports {target}"


def test_the_rules_catch_a_widget_importing_a_widget_and_a_model_importing_the_kit():
    """The checker itself: planted violations are found, with their lines."""
    planted = [SRC / "maamar_live" / "widgets" / "_planted_for_test.py", SRC / "maamar_live" / "models" / "_planted_for_test.py"]
    planted[0].write_text("from ..models import ngram\nfrom .gym import run\n", encoding="utf-8")
    planted[1].write_text("from ..kit.markup import tag\n", encoding="utf-8")
    try:
        assert violations(planted[0]) == [
            "maamar_live/widgets/_planted_for_test.py:2: a widget imports another widget (maamar_live.widgets.gym)"
        ]
        assert violations(planted[1]) == [
            "maamar_live/models/_planted_for_test.py:1: models must not import maamar_live.kit.markup"
        ]
    finally:
        for path in planted:
            path.unlink()
