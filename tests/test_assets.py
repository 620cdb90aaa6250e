"""Runtime assets: every file is verified, the lock lists exactly what the site ships."""

import base64
import gzip
import json
import random
import re
import zipfile
from pathlib import Path

import pytest

from maamar import assets
from maamar import authors
from maamar.pipeline import Options, gather_assets

from .conftest import ROOT

PYODIDE = ROOT / "node_modules" / "pyodide"


def official_sha():
    return assets.official_lock(PYODIDE)["packages"]["numpy"]["sha256"]


def test_a_corrupted_cached_wheel_is_refused_naming_both_hashes(tmp_path):
    (tmp_path / assets.NUMPY_WHEEL).write_bytes(b"not numpy at all")
    with pytest.raises(assets.AssetError) as caught:
        assets.numpy_wheel(PYODIDE, tmp_path)
    message = str(caught.value)
    assert official_sha() in message and assets.sha256_of(tmp_path / assets.NUMPY_WHEEL) in message


def test_a_source_that_delivers_wrong_bytes_is_refused_and_nothing_is_cached(tmp_path):
    def tampered(target: Path):
        target.write_bytes(b"tampered")

    with pytest.raises(assets.AssetError, match="sha256"):
        assets.numpy_wheel(PYODIDE, tmp_path, sources=(tampered,))
    assert list(tmp_path.iterdir()) == []


def test_sources_are_tried_in_order_until_one_works(tmp_path):
    good = ROOT / ".cache" / assets.NUMPY_WHEEL
    if not good.exists():
        assets.numpy_wheel(PYODIDE, ROOT / ".cache")
    tried = []

    def offline(target):
        tried.append("offline")
        raise OSError("no network")

    def copy(target):
        tried.append("copy")
        target.write_bytes(good.read_bytes())

    wheel = assets.numpy_wheel(PYODIDE, tmp_path, sources=(offline, copy))
    assert tried == ["offline", "copy"]
    assert assets.sha256_of(wheel) == official_sha()


def test_no_source_at_all_gives_a_clear_error(tmp_path):
    def offline(target):
        raise OSError("no network")

    with pytest.raises(assets.AssetError, match="could not obtain numpy-2.0.2"):
        assets.numpy_wheel(PYODIDE, tmp_path, sources=(offline,))


def gather(file_bundle: bool):
    """This repository's runtime files and manifest, as the build gathers them."""
    options = Options(project=ROOT, file_bundle=file_bundle)
    return gather_assets(options, authors.load(options.project))


@pytest.fixture(scope="module")
def gathered():
    return gather(file_bundle=False)


def test_site_lock_lists_numpy_and_our_wheel_with_their_hashes(gathered):
    files, manifest = gathered
    lock = json.loads(files["pyodide/pyodide-lock.json"])
    assert lock["info"]["version"] == assets.PYODIDE_VERSION
    assert set(lock["packages"]) == {"numpy", "maamar-live"}
    for package in lock["packages"].values():
        shipped = files[f"pyodide/{package['file_name']}"]
        assert assets.sha256_of(shipped) == package["sha256"]
    assert lock["packages"]["maamar-live"]["depends"] == ["numpy"]


def test_browser_wheel_carries_the_kit_the_widgets_and_the_corpus_but_not_the_generator(gathered):
    files, _ = gathered
    wheel = next(path for name, path in files.items() if name.startswith("pyodide/maamar_live-"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "maamar_live/runtime.py" in names and "maamar_live/registry.py" in names
    assert "maamar_live/widgets/gym.py" in names and "maamar_live/kit/plots.py" in names
    assert "maamar_live/text/data/corpus_he.txt" in names
    assert "maamar_project/__init__.py" in names
    assert not any(name.startswith("maamar/") for name in names)


def test_manifest_sizes_match_the_files(gathered):
    files, manifest = gathered
    manifest = json.loads(manifest)
    for name, size in manifest["sizes"].items():
        value = files[name]
        assert size == (len(value) if isinstance(value, bytes) else value.stat().st_size)


def test_browser_package_imports_only_numpy_and_the_standard_library():
    import ast
    import sys

    allowed = set(sys.stdlib_module_names) | {"numpy", "maamar_live", "maamar_project"}
    for path in (ROOT / "src" / "maamar_live").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = [alias.name.split(".")[0] for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                roots = [node.module.split(".")[0]]
            else:
                continue
            assert set(roots) <= allowed, f"{path.name} imports {roots}"


def test_every_pinned_pyodide_and_font_file_matches_what_npm_installed():
    for name, expected in assets.PYODIDE_SHA256.items():
        assert assets.sha256_of(PYODIDE / name) == expected, name
    fonts = ROOT / "node_modules" / "@fontsource" / "heebo" / "files"
    for name, expected in assets.FONT_SHA256.items():
        assert assets.sha256_of(fonts / name) == expected, name


def tampered_node_modules(tmp_path, name="pyodide.asm.js", extra=b";self.__tampered=1"):
    folder = tmp_path / "node_modules" / "pyodide"
    folder.mkdir(parents=True)
    for pinned in assets.PYODIDE_SHA256:
        (folder / pinned).write_bytes((PYODIDE / pinned).read_bytes())
    with (folder / name).open("ab") as fh:
        fh.write(extra)
    return tmp_path / "node_modules"


@pytest.mark.parametrize("name", ["pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json"])
def test_a_tampered_pyodide_file_stops_the_build_naming_both_hashes(tmp_path, name):
    node_modules = tampered_node_modules(tmp_path, name)
    with pytest.raises(assets.AssetError) as caught:
        assets.pyodide_dir(node_modules, tmp_path / "cache")
    message = str(caught.value)
    assert assets.PYODIDE_SHA256[name] in message
    assert assets.sha256_of(node_modules / "pyodide" / name) in message


def test_a_built_site_shares_no_bytes_with_node_modules(tmp_path):
    out = tmp_path / "site"
    from maamar.pipeline import build

    build(Options(project=ROOT, out=out, file_bundle=False))
    for name in ("pyodide.asm.wasm", "pyodide.asm.js"):
        built, source = out / "pyodide" / name, PYODIDE / name
        assert built.stat().st_ino != source.stat().st_ino, f"{name} is hard-linked to node_modules"
        assert built.stat().st_nlink == 1


def test_without_node_modules_the_runtime_comes_from_the_user_cache_filled_by_npm(tmp_path):
    """A project with no package.json: the first build packs the pinned npm packages
    into the cache (npm's own cache makes this quick), the next ones reuse it."""
    import shutil

    if not shutil.which("npm"):
        pytest.skip("npm is not installed")
    cache = tmp_path / "cache"
    folder = assets.pyodide_dir(tmp_path / "no-node-modules", cache)
    assert folder == cache / f"pyodide-{assets.PYODIDE_VERSION}"
    assert sorted(p.name for p in folder.iterdir()) == sorted(assets.PYODIDE_SHA256)
    fonts = assets.fonts_dir(tmp_path / "no-node-modules", cache)
    assert sorted(p.name for p in fonts.iterdir()) == sorted(assets.FONT_SHA256)
    (folder / "pyodide.js").write_bytes(b"tampered")
    with pytest.raises(assets.AssetError, match="sha256"):
        assets.pyodide_dir(tmp_path / "no-node-modules", cache)


def test_when_nothing_can_fetch_the_runtime_the_error_is_one_line_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no npm
    monkeypatch.setattr(assets, "PYODIDE_ARCHIVE_URL", "http://127.0.0.1:9/unreachable.tar.bz2")
    with pytest.raises(assets.AssetError) as caught:
        assets.pyodide_dir(tmp_path / "node_modules", tmp_path / "cache")
    message = str(caught.value)
    assert "\n" not in message and "npm install pyodide@0.27.7" in message


BUNDLE_ENTRY = re.compile(r'^("[^"]+"):(\{.*\})$', re.M)


def bundled(script: bytes) -> dict[str, bytes]:
    """The files one part of the file:// bundle carries, unpacked the way worker.js unpacks them."""
    text = script.decode("ascii")
    assert text.startswith("self.MAAMAR_BUNDLE={")
    found = {}
    for name, entry in BUNDLE_ENTRY.findall(text.replace("},\n", "}\n")):
        entry = json.loads(entry)
        data = base64.b64decode(entry["data"])
        found[json.loads(name)] = gzip.decompress(data) if entry["gzip"] else data
    return found


@pytest.fixture(scope="module")
def gathered_with_bundle():
    return gather(file_bundle=True)


def test_file_bundle_carries_every_runtime_file_once_byte_for_byte_in_at_most_13_mb(gathered_with_bundle):
    files, manifest = gathered_with_bundle
    manifest = json.loads(manifest)
    assert len(manifest["bundle"]) > 1, "in parts, so the worker can start before the last one is read"
    carried: dict[str, bytes] = {}
    for name in manifest["bundle"]:
        part = bundled(files[name])
        assert not set(part) & set(carried), "a file in two parts"
        carried.update(part)
    assert set(carried) == {*manifest["sizes"], manifest["worker"]}
    for name, data in carried.items():
        value = files[name]
        assert data == (value if isinstance(value, bytes) else value.read_bytes()), name
    # The worker and Pyodide's JavaScript come first: the worker starts while the rest is read.
    assert {manifest["worker"], "pyodide/pyodide.js", "pyodide/pyodide.asm.js"} <= set(bundled(files[manifest["bundle"][0]]))
    assert sum(len(files[name]) for name in manifest["bundle"]) <= 13_000_000


def test_bundle_gzips_only_what_gzip_shrinks():
    text = b"print('hello')\n" * 1000
    random_bytes = random.Random(1).randbytes(20_000)
    assert assets.bundle_entry(text)["gzip"] is True
    assert assets.bundle_entry(random_bytes)["gzip"] is False
    assert base64.b64decode(assets.bundle_entry(random_bytes)["data"]) == random_bytes


def test_snapshot_key_names_the_exact_pyodide_files(monkeypatch):
    key = assets.snapshot_key()
    assert assets.PYODIDE_VERSION in key
    monkeypatch.setitem(assets.PYODIDE_SHA256, "pyodide.asm.wasm", "0" * 64)
    assert assets.snapshot_key() != key
