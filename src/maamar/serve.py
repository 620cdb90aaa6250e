"""``maamar serve``: a loopback server for the built site that rebuilds on change.

The standard library's server with these additions:

* ``.wasm`` is served as ``application/wasm`` (so Pyodide compiles it while it
  streams) and a missing path answers with the site's own ``404.html``;
* every rebuild runs ``maamar build`` in a **fresh process**, so widget modules,
  strings and the corpus are never stale (an in-process rebuild kept imported
  modules, and the pre-render then disagreed with the wheel);
* while serving — and only then, never in a built file — each HTML page gets
  ``/__maamar/reload.js``, which polls ``/__maamar/status``: after a good rebuild
  the tab reloads itself; after a failed one it shows the ``file:line`` errors in
  an overlay while the last good site stays served.
"""

from __future__ import annotations

import functools
import json
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from .project import THEME, Project

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".woff2": "font/woff2",
    ".whl": "application/zip",
    ".svg": "image/svg+xml",
    ".zip": "application/zip",
}
DEV_PREFIX = "/__maamar/"
RELOAD_TAG = b'<script src="/__maamar/reload.js" defer></script>'
NO_SITE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>maamar: build failed</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>The build failed</h1><p>Fix the problems shown and save: this page reloads by itself.</p></body></html>"""


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}

    def handle(self):
        try:
            super().handle()
        except (ConnectionResetError, BrokenPipeError):
            pass  # the browser gave up on a response (a test aborting a route, a closed tab)

    def log_message(self, format, *args):  # quiet: tests and the terminal needn't see every request
        pass

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code == 404 and page.exists():
            self.send_body(404, page.read_bytes(), "text/html; charset=utf-8")
            return
        super().send_error(code, message, explain)

    def send_body(self, code: int, body: bytes, content_type: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class DevHandler(SiteHandler):
    """SiteHandler plus the live-reload endpoints; ``status`` is shared with the watcher."""

    status: "BuildStatus"

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == DEV_PREFIX + "reload.js":
            return self.send_body(200, (THEME / "dev" / "reload.js").read_bytes(), "text/javascript")
        if path == DEV_PREFIX + "status":
            return self.send_body(200, json.dumps(self.status.snapshot()).encode(), "application/json")
        if path.endswith("/") or path.endswith(".html"):
            file = Path(self.translate_path(path))
            if file.is_dir():
                file = file / "index.html"
            if file.is_file():
                body = file.read_bytes()
            elif not Path(self.directory).exists():
                body = NO_SITE_PAGE.encode()
            else:
                return super().do_GET()
            body = body.replace(b"</body>", RELOAD_TAG + b"\n</body>", 1) if b"</body>" in body else body + RELOAD_TAG
            return self.send_body(200, body, "text/html; charset=utf-8")
        return super().do_GET()


class BuildStatus:
    """What the open tabs poll: a build counter, and the errors of the last build if it failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.build = 0
        self.errors: list[str] = []

    def record(self, ok: bool, lines: list[str]) -> None:
        with self.lock:
            self.errors = [] if ok else lines
            if ok:
                self.build += 1

    def snapshot(self) -> dict:
        with self.lock:
            return {"build": self.build, "ok": not self.errors, "errors": list(self.errors)}


def make_server(
    directory: Path, port: int = 0, host: str = "127.0.0.1", status: BuildStatus | None = None
) -> ThreadingHTTPServer:
    if status is None:
        handler = functools.partial(SiteHandler, directory=str(directory))
    else:
        handler = functools.partial(type("Handler", (DevHandler,), {"status": status}), directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def snapshot(folders: list[Path]) -> dict[str, float]:
    stamps = {}
    for folder in folders:
        if folder.is_file():
            stamps[str(folder)] = folder.stat().st_mtime
            continue
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file() and "__pycache__" not in path.parts:
                stamps[str(path)] = path.stat().st_mtime
    return stamps


def watch(folders: list[Path], rebuild: Callable[[], None], stop: threading.Event, interval: float = 0.7) -> None:
    """Poll modification times (no extra dependency, works everywhere) and rebuild on change."""
    last = snapshot(folders)
    while not stop.wait(interval):
        now = snapshot(folders)
        if now != last:
            last = now
            rebuild()


def build_in_fresh_process(build_args: list[str]) -> tuple[int, list[str]]:
    """``maamar build`` in a new interpreter; its output is echoed, its error lines returned."""
    result = subprocess.run([sys.executable, "-m", "maamar", "build", *build_args], capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    sys.stdout.flush()
    lines = [line for line in result.stderr.splitlines() if line.strip() and ": warning: " not in line]
    return result.returncode, lines


def watched(project: Project) -> list[Path]:
    import maamar
    import maamar_live

    folders = [project.settings, project.content, project.widgets, project.templates, project.static]
    # The packages too: editing a built-in widget in a source checkout rebuilds as well.
    return folders + [Path(maamar.__file__).parent, Path(maamar_live.__file__).parent]


def serve_project(project: Project, out: Path, port: int, build_args: list[str]) -> int:
    status = BuildStatus()
    code, lines = build_in_fresh_process(build_args)
    status.record(code == 0, lines)
    server = make_server(out, port, status=status)
    stop = threading.Event()

    def rebuild():
        code, lines = build_in_fresh_process(build_args)
        status.record(code == 0, lines)

    threading.Thread(target=watch, args=(watched(project), rebuild, stop), daemon=True).start()
    host, real_port = server.server_address[:2]
    print(f"serving {out} at http://{host}:{real_port}/ (Ctrl+C to stop; rebuilding on change)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
    return 0
