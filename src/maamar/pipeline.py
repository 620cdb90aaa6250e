"""The build, stage by stage: read → parse + pre-render → render → gather assets → write.

Like MkDocs' build, every page is read, validated and rendered in memory before
the output folder is touched, and the folder is replaced in one swap at the end,
so a failed build leaves the last good site exactly as it was.
"""
from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup

from maamar_demos.registry import WIDGETS

from . import assets, social
from .content import Source, read_source
from .errors import BuildError, ContentError
from .pages import Page, parse_page
from .prerender import PrerenderError, prerender
from .render import make_env, runtime_strings, widget_html
from .sitemap import robots_txt, sitemap_xml

ROOT = Path(__file__).resolve().parents[2]
CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
SITE_DEFAULTS = {"title": "מאמר", "description": "", "lang": "he", "dir": "rtl", "base_url": ""}
WORDS_PER_MINUTE = 180


@dataclass
class Options:
    content: Path = ROOT / "content"
    templates: Path = ROOT / "templates"
    static: Path = ROOT / "static"
    out: Path = ROOT / "site"
    node_modules: Path = ROOT / "node_modules"
    cache: Path = ROOT / ".cache"
    base_url: str | None = None
    widgets: dict = field(default_factory=lambda: WIDGETS)
    file_bundle: bool = True


def relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def read_site(options: Options) -> tuple[dict, list[Source], list[ContentError]]:
    """Stage 1: site settings and every article, with all their errors."""
    site = dict(SITE_DEFAULTS)
    errors: list[ContentError] = []
    settings = options.content / "site.yml"
    if settings.exists():
        try:
            site.update(yaml.safe_load(settings.read_text(encoding="utf-8")) or {})
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            errors.append(ContentError(relative(settings, options.content.parent), 1 + (mark.line if mark else 0), "site.yml is not valid YAML"))
    if options.base_url is not None:
        site["base_url"] = options.base_url
    if site["base_url"] and not str(site["base_url"]).endswith("/"):
        site["base_url"] = str(site["base_url"]) + "/"
    sources = []
    paths = sorted(options.content.glob("*.md"))
    if not paths:
        errors.append(ContentError(relative(options.content, options.content.parent), 0, "no articles: add a .md file"))
    for path in paths:
        source, problems = read_source(path, relative(path, options.content.parent))
        errors.extend(problems)
        if source:
            sources.append(source)
    return site, sources, errors


def parse_all(sources: list[Source], options: Options, env) -> tuple[list[Page], list[ContentError]]:
    """Stage 2 + 3: Markdown with widget directives, each widget pre-rendered."""
    pages, errors = [], []
    for source in sources:
        failures: list[ContentError] = []
        lang = source.meta["lang"]

        def render_widget(use, source=source, failures=failures, lang=lang):
            try:
                return widget_html(env, options.widgets, prerender(use, options.widgets), lang)
            except PrerenderError as exc:
                failures.append(ContentError(source.path, use.line, str(exc)))
                return ""

        page, problems = parse_page(source, options.widgets, render_widget)
        errors.extend(problems + failures)
        if page and not failures:
            pages.append(page)
    return pages, errors


def render_documents(site: dict, pages: list[Page], env, manifest: str) -> dict[str, str]:
    """Stage 4: every HTML document plus sitemap and robots, as text by output path."""
    base = site["base_url"]
    common = {
        "site_title": site["title"], "site_description": site["description"], "csp": CSP, "root": "",
        "og_image": (base + "assets/social.png") if base else "", "og_locale": "he_IL",
    }
    docs = {}
    for page in pages:
        meta = page.source.meta
        docs[f"{page.source.slug}.html"] = env.get_template("article.html").render(
            **{**common, "og_locale": "he_IL" if meta["lang"] == "he" else meta["lang"]}, page=page, body=Markup(page.html), lang=meta["lang"], dir=meta["dir"],
            canonical=(base + page.source.slug + ".html") if base else "",
            minutes=max(1, math.ceil(page.words / WORDS_PER_MINUTE)),
            runtime_strings=Markup(runtime_strings(meta["lang"])), manifest=Markup(manifest.replace("</", "<\\/")),
        )
    ordered = sorted(pages, key=lambda p: str(p.source.meta["date"]), reverse=True)
    docs["index.html"] = env.get_template("index.html").render(
        **common, pages=ordered, lang=site["lang"], dir=site["dir"], canonical=base or "",
    )
    # The 404 page is served for any missing path (/maamar/a/b/c), so with a base_url
    # its links are root-relative ("/maamar/..."): right at any depth, on any host
    # serving that path.  Without one they stay relative (right at the top level).
    not_found = dict(common, root=urlsplit(base).path if base else "")
    docs["404.html"] = env.get_template("404.html").render(**not_found, lang=site["lang"], dir=site["dir"], canonical="")
    if base:
        docs["sitemap.xml"] = sitemap_xml(base, [("", "")] + [(f"{p.source.slug}.html", str(p.source.meta["date"])) for p in ordered])
    docs["robots.txt"] = robots_txt(base)
    return docs


def gather_assets(options: Options) -> tuple[dict[str, Path | bytes], str]:
    """Stage 5: runtime files by output path, and the manifest loader.js reads."""
    nm = options.node_modules
    files: dict[str, Path | bytes] = {}
    for name, path in assets.pyodide_core(nm).items():
        files[f"pyodide/{name}"] = path
    numpy = assets.numpy_wheel(nm, options.cache)
    demos = assets.demos_wheel(assets.Paths(options.cache, ROOT / "src" / "maamar_demos", options.content / "corpus" / "he.txt"))
    files[f"pyodide/{numpy.name}"] = numpy
    files[f"pyodide/{demos.name}"] = demos
    files["pyodide/pyodide-lock.json"] = assets.site_lock(nm, [demos], numpy).encode()
    for name, path in assets.fonts(nm).items():
        files[f"assets/fonts/{name}"] = path
    for path in sorted(options.static.rglob("*")):
        if path.is_file():
            files[f"assets/{path.relative_to(options.static).as_posix()}"] = path
    files["assets/social.png"] = social.social_png()
    files["assets/apple-touch-icon.png"] = social.icon_png(180)
    runtime = [f"pyodide/{n}" for n in (*assets.PYODIDE_FILES, "pyodide-lock.json", numpy.name, demos.name)]
    sizes = {name: (len(files[name]) if isinstance(files[name], bytes) else files[name].stat().st_size) for name in runtime}
    manifest = {
        "pyodide": "pyodide/", "worker": "assets/js/worker.js", "packages": ["numpy", assets.DEMOS_PACKAGE],
        "sizes": sizes, "bundle": "pyodide/file-bundle.js" if options.file_bundle else "",
    }
    if options.file_bundle:
        payload = {}
        for name in runtime + ["assets/js/worker.js"]:
            value = files[name]
            payload[name] = value if isinstance(value, bytes) else value.read_bytes()
        files["pyodide/file-bundle.js"] = assets.file_bundle(payload).encode()
    return files, json.dumps(manifest, ensure_ascii=False)


def write_atomically(out: Path, documents: dict[str, str], files: dict[str, Path | bytes]) -> None:
    """Stage 6: write everything into a fresh folder beside ``out``, then swap it in."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel, data in list(files.items()) + [(k, v.encode("utf-8")) for k, v in documents.items()]:
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(data, bytes):
                target.write_bytes(data)
            else:
                try:
                    os.link(data, target)  # the 10 MB wasm needn't be copied on every rebuild
                except OSError:
                    shutil.copy2(data, target)
        (staging / ".nojekyll").write_text("")
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        if out.exists():
            out.rename(old)
        staging.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def build(options: Options) -> list[Page]:
    env = make_env(options.templates)
    site, sources, errors = read_site(options)
    pages, parse_errors = parse_all(sources, options, env)
    errors += parse_errors
    if errors:
        raise BuildError(errors)
    files, manifest = gather_assets(options)
    documents = render_documents(site, pages, env, manifest)
    write_atomically(options.out, documents, files)
    return pages
