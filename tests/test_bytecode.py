"""maamar_live.bytecode: the .pyc files the worker keeps for the reader's next visit."""

import importlib
import os
import sys

import pytest

from maamar_live import bytecode


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A package of three modules under tmp_path/site, imported; removed from sys.modules after."""
    site = tmp_path / "site"
    (site / "demo").mkdir(parents=True)
    (site / "demo" / "__init__.py").write_text("from . import one, two\n")
    (site / "demo" / "one.py").write_text("ANSWER = 'one'\n")
    (site / "demo" / "two.py").write_text("ANSWER = 'two'\n")
    (site / "demo" / "unused.py").write_text("ANSWER = 'unused'\n")
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(sys, "dont_write_bytecode", True)  # as under Pyodide
    importlib.invalidate_caches()
    importlib.import_module("demo")
    yield site
    for name in [n for n in sys.modules if n == "demo" or n.startswith("demo.")]:
        del sys.modules[name]


def test_only_imported_modules_under_the_root_are_compiled_a_few_at_a_time(package):
    sources = bytecode.imported_sources(str(package))
    assert [os.path.relpath(s, package) for s in sources] == ["demo/__init__.py", "demo/one.py", "demo/two.py"]
    first = bytecode.compile_imported(str(package), limit=2)
    rest = bytecode.compile_imported(str(package), limit=2)
    assert len(first) == 2 and len(rest) == 1
    assert bytecode.compile_imported(str(package), limit=2) == []
    for pyc in first + rest:
        assert "__pycache__" in pyc and os.path.getsize(pyc) > 16
    assert not (package / "demo" / "__pycache__" / f"unused.{sys.implementation.cache_tag}.pyc").exists()


def test_a_kept_pyc_is_used_while_its_source_keeps_its_time_and_size_and_not_after(package):
    source = package / "demo" / "one.py"
    stamp = source.stat().st_mtime
    (pyc,) = [
        p for p in bytecode.compile_imported(str(package), limit=9) if p.endswith(f"one.{sys.implementation.cache_tag}.pyc")
    ]
    # Another source of the same size and the same timestamp (as the wheel's date gives it):
    # the .pyc is taken, without compiling the source.
    source.write_text("ANSWER = 'ONE'\n")
    os.utime(source, (stamp, stamp))
    del sys.modules["demo.one"]
    assert importlib.import_module("demo.one").ANSWER == "one"
    # A source that changed size is compiled again.
    source.write_text("ANSWER = 'changed'\n")
    os.utime(source, (stamp, stamp))
    del sys.modules["demo.one"]
    assert importlib.import_module("demo.one").ANSWER == "changed"
    assert os.path.exists(pyc)
