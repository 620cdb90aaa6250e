"""``python build.py``: build the site, optionally serve it and rebuild on change.

Exit codes: 0 built, 2 content errors (one ``file:line: message`` per line),
1 a runtime asset problem (missing npm install, wrong wheel hash).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .assets import AssetError
from .errors import BuildError
from .pipeline import ROOT, Options, build


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="build.py", description="Build the interactive articles in content/ into a static site.")
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="output folder (default: site/)")
    parser.add_argument("--content", type=Path, default=ROOT / "content", help="articles folder (default: content/)")
    parser.add_argument("--base-url", default=None, help="public URL of the site, for canonical links and the 404 page, e.g. https://example.org/maamar/")
    parser.add_argument("--serve", action="store_true", help="serve the site on 127.0.0.1 and rebuild when sources change")
    parser.add_argument("--port", type=int, default=8000, help="port for --serve (default 8000; 0 picks a free one)")
    parser.add_argument("--no-file-bundle", action="store_true", help="skip the data bundle that lets the site run from file://")
    return parser.parse_args(argv)


def run_build(options: Options) -> int:
    started = time.perf_counter()
    try:
        pages = build(options)
    except BuildError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"build stopped: {len(exc.errors)} problem(s); {options.out} was left as it was", file=sys.stderr)
        return 2
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"build stopped; {options.out} was left as it was", file=sys.stderr)
        return 1
    widgets = sum(len(p.widgets) for p in pages)
    print(f"built {len(pages)} article(s), {widgets} widget(s) into {options.out} in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


def main(argv=None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    options = Options(content=args.content.resolve(), out=args.out.resolve(), base_url=args.base_url,
                      file_bundle=not args.no_file_bundle)
    code = run_build(options)
    if not args.serve:
        return code
    if code != 0 and not options.out.exists():
        return code
    from .serve import serve_forever

    folders = [options.content, options.templates, options.static, ROOT / "src"]
    serve_forever(options.out, args.port, folders, lambda: run_build(options))
    return 0
