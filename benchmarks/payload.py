"""How many bytes does the article page itself weigh?  HTML + CSS + JS, raw and gzip.

Counts what a reader's browser fetches for the page before and besides the
runtime: the article HTML (with its pre-rendered widgets: inline SVG charts),
the stylesheet, loader.js and worker.js; then the generated pictures the page
links (PNG files, loaded lazily), each on its own row, and a second total with
them.  Pyodide, the wheels, the fonts and the icons are left out (the runtime
has its own numbers in boot.py).  Inside the HTML the inline SVG and any inline
PNG are also shown on their own, so a change can be traced to its part.  The
bytes are deterministic: a build gives the same numbers every time.

    python benchmarks/payload.py [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import re
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

PAGE = "article.html"
FILES = (PAGE, "assets/site.css", "assets/js/loader.js", "assets/js/worker.js")
BUDGET_GZIP = 50_000  # issue 13's target for the page's own payload (HTML + CSS + JS)

SVG = re.compile(rb"<svg\b.*?</svg>", re.S)
PNG = re.compile(rb"data:image/png;base64,[A-Za-z0-9+/=]+")


def gz(data: bytes) -> int:
    """gzip size at level 9 with no file name or time in the header: what a static
    host that compresses ahead of time serves."""
    return len(gzip.compress(data, 9, mtime=0))


class Pictures(HTMLParser):
    """The files the page's ``<img>`` elements link (not ``data:`` URLs), in order."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        src = dict(attrs).get("src") or ""
        if tag == "img" and src and not src.startswith("data:") and src not in self.found:
            self.found.append(src)


def pictures(site: Path) -> list[str]:
    """The picture files the page links, by path in the site."""
    parser = Pictures()
    parser.feed((site / PAGE).read_text(encoding="utf-8"))
    return parser.found


def payload(site: Path) -> dict[str, tuple[int, int]]:
    """``{part: (raw bytes, gzip bytes)}`` for each file, the HTML's inline SVG and
    PNG parts, the page's total (the sum of the files' separate gzips, as served),
    each picture file the page links, and the total with them (its gzip column: the
    page gzip'd and the pictures as they are, as served)."""
    sizes = {}
    for name in FILES:
        data = (site / name).read_bytes()
        sizes[name] = (len(data), gz(data))
    html = (site / PAGE).read_bytes()
    for label, pattern in (("  inline SVG", SVG), ("  inline PNG", PNG)):
        found = b"".join(pattern.findall(html))
        sizes[label] = (len(found), gz(found) if found else 0)
    sizes["page"] = tuple(sum(sizes[name][i] for name in FILES) for i in (0, 1))
    linked = pictures(site)
    for name in linked:
        data = (site / name).read_bytes()
        sizes[name] = (len(data), gz(data))
    # A PNG is deflated already: hosts serve it as it is (gzip would add ~23 bytes).
    served = sizes["page"][1] + sum(sizes[name][0] for name in linked)
    sizes["page + pictures"] = (sizes["page"][0] + sum(sizes[name][0] for name in linked), served)
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
    print(f"{'part':<38}{'raw':>10}{'gzip':>10}")
    for name, (raw, packed) in sizes.items():
        print(f"{name:<38}{raw:>10,}{packed:>10,}")
    print("(page + pictures, gzip column: the page gzip'd and the pictures raw, as served: a PNG is deflated already)")
    total = sizes["page"][1]
    print(f"page budget {BUDGET_GZIP:,} B gzip: {'met' if total <= BUDGET_GZIP else 'NOT met'} ({total / BUDGET_GZIP:.2f}x)")


if __name__ == "__main__":
    main()
