"""The registry imports widget modules on first use, and can warm them one at a time."""
import subprocess
import sys

from maamar_demos.registry import MODULES, Registry


def test_importing_the_runtime_imports_no_widget_module():
    out = subprocess.run(
        [sys.executable, "-c", "import sys, maamar_demos.runtime; print(sorted(m for m in sys.modules if m.startswith('maamar_demos.')))"],
        capture_output=True, text=True, check=True,
    ).stdout
    for module in MODULES.values():
        assert f"maamar_demos.{module}'" not in out, module


def test_lookup_imports_on_first_use():
    registry = Registry(MODULES)
    assert registry["trial-error"].KIND == "trial-error"
    assert sorted(registry) == sorted(MODULES)
    assert all(registry[kind].KIND == kind for kind in registry)


def test_warm_walks_every_widget_once_by_index():
    from maamar_demos import runtime

    steps = [runtime.warm(i) for i in range(len(MODULES))]
    assert steps == [True] * (len(MODULES) - 1) + [False]
    assert runtime.warm(len(MODULES)) is False


def test_unknown_kind_is_a_key_error():
    import pytest

    with pytest.raises(KeyError):
        Registry(MODULES)["no-such-widget"]
