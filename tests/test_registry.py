"""The registry imports widget modules on first use, and can warm them one at a time."""

import subprocess
import sys

import pytest

from maamar_live import runtime
from maamar_live.registry import BUILT_IN, Registry


def test_importing_the_runtime_imports_no_widget_module():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, maamar_live.runtime; print(sorted(m for m in sys.modules if m.startswith('maamar_live.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "maamar_live.widgets." not in out and "maamar_live.models." not in out
    for module in BUILT_IN.values():
        assert f"{module}'" not in out, module


def test_lookup_imports_on_first_use():
    registry = Registry(BUILT_IN)
    assert registry["trial-error"].KIND == "trial-error"
    assert sorted(registry) == sorted(BUILT_IN)
    assert all(registry[kind].KIND == kind for kind in registry)


def test_warm_walks_every_widget_once_by_index():
    steps = [runtime.warm(i) for i in range(len(BUILT_IN))]
    assert steps == [True] * (len(BUILT_IN) - 1) + [False]
    assert runtime.warm(len(BUILT_IN)) is False


def test_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        Registry(BUILT_IN)["no-such-widget"]
