"""Bytecode for the modules Python imported from the wheels, for the reader's next visit.

Pyodide writes no ``.pyc`` files (``sys.dont_write_bytecode``), and the wheels carry
sources, so every visit compiled numpy's and the widgets' modules again: most of
``import numpy``, and slowest right after a snapshot restore, when the interpreter
still runs V8's baseline code.  Once the page is live, the worker calls
``compile_imported`` a few modules per task, keeps the ``.pyc`` files it names in
IndexedDB, and on a later visit writes them back beside the same sources before
anything is imported.  The sources keep their timestamps from the wheel, so Python's
own check of a ``.pyc`` against its source (mtime and size) accepts them, and
rejects any that no longer match.  The same code runs in CPython (tests).
"""

from __future__ import annotations

import importlib.util
import py_compile
import sys

_compiled: set[str] = set()


def imported_sources(root: str) -> list[str]:
    """The ``.py`` file of every imported module that lives under ``root``, sorted."""
    prefix = root.rstrip("/") + "/"
    found = set()
    for module in list(sys.modules.values()):
        source = getattr(module, "__file__", None)
        if isinstance(source, str) and source.startswith(prefix) and source.endswith(".py"):
            found.add(source)
    return sorted(found)


def compile_imported(root: str, limit: int = 8) -> list[str]:
    """Writes the ``.pyc`` of up to ``limit`` imported modules under ``root`` not compiled
    yet (by this function) and returns their paths; an empty list when none is left."""
    written = []
    for source in imported_sources(root):
        if len(written) >= limit:
            break
        if source in _compiled:
            continue
        _compiled.add(source)
        target = importlib.util.cache_from_source(source)
        mode = py_compile.PycInvalidationMode.TIMESTAMP  # checked against the source's mtime and size
        written.append(py_compile.compile(source, cfile=target, doraise=True, invalidation_mode=mode))
    return written
