"""``maamar new DIR`` · ``maamar build`` · ``maamar serve`` (also ``python -m maamar``).

Exit codes: 0 done; 2 content or widget errors (one ``file:line: message`` per
line); 1 a runtime asset problem (one line: what is missing and the command
that fixes it) or no project here.  Never a traceback for any of these.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .assets import AssetError
from .errors import BuildError
from .project import ProjectNotFound, find_project


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="maamar",
        description="Build interactive articles: Markdown with live numpy widgets that run in the reader's browser.",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new",
        help="make a new project that builds at once",
        description="Make a new maamar project in DIR (which must be empty or not exist yet).",
    )
    new.add_argument("dir", type=Path, metavar="DIR", help="folder for the new project")

    def build_options(sub):
        sub.add_argument("--out", type=Path, default=None, help="output folder (default: the project's site/)")
        sub.add_argument(
            "--base-url",
            default=None,
            metavar="URL",
            help="public URL of the site, for canonical links, the sitemap and the 404 page, e.g. https://example.org/blog/",
        )
        sub.add_argument(
            "--no-file-bundle",
            action="store_true",
            help="skip the 13 MB data bundle that lets the site run when opened from disk (file://)",
        )
        sub.add_argument(
            "--project",
            type=Path,
            default=None,
            metavar="DIR",
            help="the project folder (default: the folder holding maamar.yml, here or above)",
        )

    build = commands.add_parser(
        "build",
        help="build the site into site/",
        description="Build every article in content/ into a static site (default: site/).",
    )
    build_options(build)
    serve = commands.add_parser(
        "serve",
        help="build, serve on 127.0.0.1 and rebuild on every change",
        description="Build the site, serve it on http://127.0.0.1:PORT/, rebuild in a fresh "
        "process on every change and reload the open tab.",
    )
    build_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    return top


def run_build(args) -> int:
    from .pipeline import Options, build

    started = time.perf_counter()
    try:
        options = Options(project=args.project, out=args.out, base_url=args.base_url, file_bundle=not args.no_file_bundle)
    except ProjectNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        result = build(options)
    except BuildError as exc:
        for error in exc.errors:
            print(error, file=sys.stderr)
        print(f"build stopped: {len(exc.errors)} problem(s); {options.out} was left as it was", file=sys.stderr)
        return 2
    except AssetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print(f"build stopped; {options.out} was left as it was", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"{warning.path}:{warning.line}: warning: {warning.message}", file=sys.stderr)
    widgets = sum(len(p.widgets) for p in result.pages)
    print(
        f"built {len(result.pages)} article(s), {widgets} widget(s) into {options.out} in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    return 0


def run_serve(args) -> int:
    from .serve import serve_project

    try:
        project = find_project(args.project)
    except ProjectNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    build_args = ["--project", str(project.root)]
    if args.out:
        build_args += ["--out", str(args.out.resolve())]
    if args.base_url is not None:
        build_args += ["--base-url", args.base_url]
    if args.no_file_bundle:
        build_args.append("--no-file-bundle")
    out = args.out.resolve() if args.out else project.out
    return serve_project(project, out, args.port, build_args)


def run_new(args) -> int:
    from .scaffold import ScaffoldError, create

    try:
        made = create(args.dir)
    except ScaffoldError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(
        f"made a new maamar project in {made}\n\n  cd {args.dir}\n  maamar serve     # build, serve and rebuild on change\n"
        "  maamar build     # build site/ once"
    )
    return 0


def main(argv=None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    return {"new": run_new, "build": run_build, "serve": run_serve}[args.command](args)
