"""Shared by the benchmarks: a built site on a loopback server and a headless Chromium."""

from __future__ import annotations

import statistics
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from maamar.pipeline import Options, build  # noqa: E402
from maamar.serve import make_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@contextmanager
def served_site(file_bundle: bool = False):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        build(Options(project=ROOT, out=out, file_bundle=file_bundle))
        server = make_server(out, 0)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield out, f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")
