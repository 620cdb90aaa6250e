"""The service worker that keeps the published site for reading offline after one visit.

``sw.js`` at the site root is ``theme/static/js/service-worker.js`` after one line
naming what it keeps: every page and every file a page needs to go live, and a
version — a hash of all their bytes — that names its cache, so a new build gets a
new cache and the old one is deleted when the new worker takes over.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

SOURCE = "js/service-worker.js"
OUTPUT = "sw.js"
# Kept out of the offline cache: only file:// uses the bundle; crawlers and link previews use the rest.
SKIPPED_PREFIXES = ("pyodide/file-bundle-",)
SKIPPED = {"robots.txt", "sitemap.xml", "assets/social.png", OUTPUT}


def kept(path: str) -> bool:
    return path not in SKIPPED and not path.startswith(SKIPPED_PREFIXES) and not path.startswith(".")


def service_worker(source: Path, documents: dict[str, str], files: dict[str, Path | bytes]) -> bytes:
    """``sw.js``: the worker's source after the list of files it keeps and the build's hash."""
    contents: dict[str, bytes] = {name: text.encode("utf-8") for name, text in documents.items()}
    for name, value in files.items():
        contents[name] = value if isinstance(value, bytes) else value.read_bytes()
    names = sorted(name for name in contents if kept(name))
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode() + b"\0" + hashlib.sha256(contents[name]).digest())
    digest.update(source.read_bytes())
    header = "self.MAAMAR_OFFLINE = " + json.dumps({"version": digest.hexdigest()[:16], "files": names}) + ";\n"
    return (header + source.read_text(encoding="utf-8")).encode("utf-8")
