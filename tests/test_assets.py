"""Runtime assets: the numpy wheel is verified, the lock lists exactly what the site ships."""
import json
import zipfile
from pathlib import Path

import pytest

from maamar import assets
from maamar.pipeline import Options, gather_assets

from .conftest import ROOT

NODE_MODULES = ROOT / "node_modules"


def official_sha():
    return assets.official_lock(NODE_MODULES)["packages"]["numpy"]["sha256"]


def test_a_corrupted_cached_wheel_is_refused_naming_both_hashes(tmp_path):
    (tmp_path / assets.NUMPY_WHEEL).write_bytes(b"not numpy at all")
    with pytest.raises(assets.AssetError) as caught:
        assets.numpy_wheel(NODE_MODULES, tmp_path)
    message = str(caught.value)
    assert official_sha() in message and assets.sha256_of(tmp_path / assets.NUMPY_WHEEL) in message


def test_a_source_that_delivers_wrong_bytes_is_refused_and_nothing_is_cached(tmp_path):
    def tampered(target: Path):
        target.write_bytes(b"tampered")

    with pytest.raises(assets.AssetError, match="sha256"):
        assets.numpy_wheel(NODE_MODULES, tmp_path, sources=(tampered,))
    assert list(tmp_path.iterdir()) == []


def test_sources_are_tried_in_order_until_one_works(tmp_path):
    good = ROOT / ".cache" / assets.NUMPY_WHEEL
    if not good.exists():
        assets.numpy_wheel(NODE_MODULES, ROOT / ".cache")
    tried = []

    def offline(target):
        tried.append("offline")
        raise OSError("no network")

    def copy(target):
        tried.append("copy")
        target.write_bytes(good.read_bytes())

    wheel = assets.numpy_wheel(NODE_MODULES, tmp_path, sources=(offline, copy))
    assert tried == ["offline", "copy"]
    assert assets.sha256_of(wheel) == official_sha()


def test_no_source_at_all_gives_a_clear_error(tmp_path):
    def offline(target):
        raise OSError("no network")

    with pytest.raises(assets.AssetError, match="could not obtain numpy-2.0.2"):
        assets.numpy_wheel(NODE_MODULES, tmp_path, sources=(offline,))


def test_missing_npm_install_is_named(tmp_path):
    with pytest.raises(assets.AssetError, match="npm ci"):
        assets.pyodide_core(tmp_path)


@pytest.fixture(scope="module")
def gathered():
    return gather_assets(Options(file_bundle=False))


def test_site_lock_lists_numpy_and_our_wheel_with_their_hashes(gathered):
    files, manifest = gathered
    lock = json.loads(files["pyodide/pyodide-lock.json"])
    assert lock["info"]["version"] == assets.PYODIDE_VERSION
    assert set(lock["packages"]) == {"numpy", "maamar-demos"}
    for package in lock["packages"].values():
        shipped = files[f"pyodide/{package['file_name']}"]
        assert assets.sha256_of(shipped) == package["sha256"]
    assert lock["packages"]["maamar-demos"]["depends"] == ["numpy"]


def test_browser_wheel_carries_the_demos_and_the_corpus_but_not_the_generator(gathered):
    files, _ = gathered
    wheel = next(path for name, path in files.items() if name.startswith("pyodide/maamar_demos-"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "maamar_demos/runtime.py" in names and "maamar_demos/registry.py" in names
    assert not any(name.startswith("maamar/") for name in names)
    if (ROOT / "content" / "corpus" / "he.txt").exists():
        assert "maamar_demos/data/corpus_he.txt" in names


def test_manifest_sizes_match_the_files(gathered):
    files, manifest = gathered
    manifest = json.loads(manifest)
    for name, size in manifest["sizes"].items():
        value = files[name]
        assert size == (len(value) if isinstance(value, bytes) else value.stat().st_size)


def test_browser_package_imports_only_numpy_and_the_standard_library():
    import ast
    import sys

    allowed = set(sys.stdlib_module_names) | {"numpy", "maamar_demos"}
    for path in (ROOT / "src" / "maamar_demos").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"
