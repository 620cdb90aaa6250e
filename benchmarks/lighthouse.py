"""Lighthouse scores for the article page: performance, accessibility, best practices, SEO.

Builds the site with a base URL (canonical links, sitemap, robots.txt as on GitHub
Pages), serves it on a loopback port — gzipping text files as GitHub Pages does
(``--no-gzip`` for the plain development server) — and runs npm's ``lighthouse``
(pinned in package.json; 12.x runs on Node 20) against Debian's Chromium.  Prints
the four scores and every audit that didn't pass, for each form factor asked for.

    python benchmarks/lighthouse.py [--preset mobile|desktop|both] [--page article.html] [--no-gzip] [--keep DIR]

Not part of the test suite: Lighthouse's performance score depends on the machine.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import io
import json
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from maamar.pipeline import Options, build  # noqa: E402
from maamar.serve import SiteHandler, ThreadingHTTPServer, make_server  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --no-first-run --disable-sync"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = {".html", ".css", ".js", ".json", ".svg", ".xml", ".txt"}


class GzipHandler(SiteHandler):
    """Text files gzipped when the browser asks, like GitHub Pages' CDN."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix not in COMPRESSED or not path.is_file() or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def make_gzip_server(directory: Path) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(directory)))
    server.daemon_threads = True
    return server


def run_lighthouse(url: str, preset: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env=dict(os.environ, CHROME_PATH=CHROME), timeout=600)
    return json.loads(report.read_text(encoding="utf-8"))


def summarise(result: dict, preset: str) -> dict:
    scores = {c: round(100 * (result["categories"][c]["score"] or 0)) for c in CATEGORIES}
    print(f"\n{preset}: " + "  ".join(f"{c} {s}" for c, s in scores.items()))
    audits = result["audits"]
    for category in CATEGORIES:
        for ref in result["categories"][category]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                print(f"  {category}: {audit['id']} {audit['score']:.2f}{value} — {audit['title']}")
    metrics = audits.get("metrics", {}).get("details", {}).get("items", [{}])[0]
    if metrics:
        print(
            "  metrics: "
            + ", ".join(
                f"{k} {metrics[k]:.0f} ms"
                for k in ("firstContentfulPaint", "largestContentfulPaint", "totalBlockingTime", "speedIndex")
                if k in metrics
            )
            + f", CLS {metrics.get('cumulativeLayoutShift', 0):.3f}"
        )
    return scores


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", choices=("mobile", "desktop", "both"), default="both")
    parser.add_argument("--page", default="article.html")
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    parser.add_argument("--no-gzip", action="store_true", help="serve files uncompressed (like build.py --serve)")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.exists():
        print("lighthouse is missing: run `npm ci` (it is a devDependency)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        server = make_server(out, 0) if args.no_gzip else make_gzip_server(out)  # bind first: the build needs the URL
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        build(Options(project=ROOT, out=out, base_url=base, file_bundle=False))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        reports = args.keep or Path(tmp)
        reports.mkdir(parents=True, exist_ok=True)
        all_scores = {}
        try:
            for preset in ("mobile", "desktop") if args.preset == "both" else (args.preset,):
                result = run_lighthouse(base + args.page, preset, reports / f"lighthouse-{preset}.json")
                all_scores[preset] = summarise(result, preset)
        finally:
            server.shutdown()
    print("\n" + json.dumps(all_scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
