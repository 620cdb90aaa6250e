"""How many bytes does the article page itself weigh?  HTML + CSS + JS, raw and gzip.

Counts what a reader's browser fetches for the page before and besides the
runtime: the article HTML (with its pre-rendered widgets: inline SVG charts and
PNG pictures), the stylesheet, loader.js and worker.js.  Pyodide, the wheels, the
fonts and the icons are left out (the runtime has its own numbers in boot.py).
Inside the HTML the inline SVG and PNG are also shown on their own, so a change
can be traced to its part.  The bytes are deterministic: a build gives the same
numbers every time.

    python benchmarks/payload.py [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PAGE = "article.html"
FILES = (PAGE, "assets/site.css", "assets/js/loader.js", "assets/js/worker.js")
BUDGET_GZIP = 50_000  # issue 13's target for the page's own payload

SVG = re.compile(rb"<svg\b.*?</svg>", re.S)
PNG = re.compile(rb"data:image/png;base64,[A-Za-z0-9+/=]+")


def gz(data: bytes) -> int:
    """gzip size at level 9 with no file name or time in the header: what a static
    host that compresses ahead of time serves."""
    return len(gzip.compress(data, 9, mtime=0))


def payload(site: Path) -> dict[str, tuple[int, int]]:
    """``{part: (raw bytes, gzip bytes)}`` for each file, the HTML's inline SVG and
    PNG parts, and the total (the sum of the files' separate gzips, as served)."""
    sizes = {}
    for name in FILES:
        data = (site / name).read_bytes()
        sizes[name] = (len(data), gz(data))
    html = (site / PAGE).read_bytes()
    for label, pattern in (("  inline SVG", SVG), ("  inline PNG", PNG)):
        found = b"".join(pattern.findall(html))
        sizes[label] = (len(found), gz(found))
    sizes["total"] = tuple(sum(sizes[name][i] for name in FILES) for i in (0, 1))
    return sizes


def build_site(out: Path) -> Path:
    from maamar.pipeline import Options, build

    build(Options(project=ROOT, out=out, file_bundle=False))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="build into this folder (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = build_site(args.out or Path(tmp) / "site")
        sizes = payload(site)
    print(f"{'part':<22}{'raw':>10}{'gzip':>10}")
    for name, (raw, packed) in sizes.items():
        print(f"{name:<22}{raw:>10,}{packed:>10,}")
    total = sizes["total"][1]
    print(f"budget {BUDGET_GZIP:,} B gzip: {'met' if total <= BUDGET_GZIP else 'NOT met'} ({total / BUDGET_GZIP:.2f}x)")


if __name__ == "__main__":
    main()
