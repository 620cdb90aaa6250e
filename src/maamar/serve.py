"""A loopback server for the built site that rebuilds when sources change.

The standard library's server with two fixes: ``.wasm`` is served as
``application/wasm`` (so Pyodide can compile it while it streams) and a missing
path answers with the site's own ``404.html``.
"""
from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

TYPES = {
    ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
    ".woff2": "font/woff2", ".whl": "application/zip", ".svg": "image/svg+xml", ".zip": "application/zip",
}


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
            body = page.read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)


def make_server(directory: Path, port: int = 0, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    return server


def snapshot(folders: list[Path]) -> dict[str, float]:
    stamps = {}
    for folder in folders:
        for path in folder.rglob("*"):
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


def serve_forever(directory: Path, port: int, folders: list[Path], rebuild: Callable[[], None]) -> None:
    server = make_server(directory, port)
    stop = threading.Event()
    threading.Thread(target=watch, args=(folders, rebuild, stop), daemon=True).start()
    host, real_port = server.server_address[:2]
    print(f"serving {directory} at http://{host}:{real_port}/ (Ctrl+C to stop; rebuilding on change)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.server_close()
