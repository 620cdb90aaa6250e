"""The service worker's list: every page and runtime file a reader needs, versioned by their bytes."""

import json
import re

from maamar import offline
from maamar.pipeline import Options, build

from .conftest import ROOT


def listed(sw: bytes) -> dict:
    header = sw.decode("utf-8").split("\n", 1)[0]
    return json.loads(re.fullmatch(r"self\.MAAMAR_OFFLINE = (\{.*\});", header).group(1))


def test_sw_keeps_every_page_and_runtime_file_but_not_the_disk_bundle(tmp_path):
    out = tmp_path / "site"
    build(Options(project=ROOT, out=out, file_bundle=True))
    offline_list = listed((out / offline.OUTPUT).read_bytes())
    files = set(offline_list["files"])
    assert {
        "index.html",
        "article.html",
        "404.html",
        "assets/site.css",
        "assets/js/loader.js",
        "assets/js/worker.js",
        "pyodide/pyodide.asm.wasm",
        "pyodide/python_stdlib.zip",
        "pyodide/pyodide-lock.json",
    } <= files
    assert any(name.startswith("pyodide/numpy-") for name in files)
    assert any(name.startswith("pyodide/maamar_live-") for name in files)
    assert not any("file-bundle" in name for name in files)
    pictures = {p.relative_to(out).as_posix() for p in (out / "assets" / "pictures").iterdir()}
    assert len(pictures) == 3 and pictures <= files, "offline, the pre-rendered pictures show too"
    assert all((out / name).is_file() for name in files), "a listed file that isn't there would stop the install"
    assert not (out / "assets" / offline.SOURCE).exists(), "only the root sw.js, whose scope is the whole site"


def test_sw_version_changes_with_any_kept_byte(tmp_path):
    source = ROOT / "src" / "maamar" / "theme" / "static" / offline.SOURCE
    one = listed(offline.service_worker(source, {"a.html": "<p>one</p>"}, {"assets/x.js": b"1"}))
    two = listed(offline.service_worker(source, {"a.html": "<p>two</p>"}, {"assets/x.js": b"1"}))
    same = listed(offline.service_worker(source, {"a.html": "<p>one</p>"}, {"assets/x.js": b"1", "robots.txt": b"x"}))
    assert one["version"] != two["version"]
    assert one["version"] == same["version"], "files it doesn't keep don't change it"
