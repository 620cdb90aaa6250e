"""The build, stage by stage: read → widgets → parse + pre-render → gather assets → render → write.

Like MkDocs' build, every page is read, validated and rendered in memory before
the output folder is touched, and the folder is replaced in one swap at the end,
so a failed build leaves the last good site exactly as it was.  Every path
resolves against the project (``project.Project``), never against maamar's own
location; the built-in templates and assets are package data that the project's
``templates/`` and ``static/`` override file by file.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from markupsafe import Markup

from maamar_live.kit import i18n
from maamar_live.kit.spec import shown

from . import assets, authors, offline, output, slim, social
from .cells import render_page_cells
from .content import Source, read_source
from .errors import BuildError, ContentError
from .pages import Page, parse_page
from .prerender import PrerenderError, prerender
from .project import THEME, Project, find_project
from .render import cell_html, make_env, runtime_strings, widget_html
from .sitemap import robots_txt, sitemap_xml

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self' blob:; "
    "connect-src 'self'; img-src 'self' data:; style-src 'self'; font-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'"
)
SITE_DEFAULTS = {"title": "maamar", "description": "", "lang": "en", "dir": "ltr", "base_url": ""}
WORDS_PER_MINUTE = 180
# The loader is written as parts (one concern each) and concatenated into one
# classic script, because pages opened from file:// refuse module scripts.
LOADER_PARTS = "js/loader"


@dataclass
class Options:
    project: Project | Path | None = None  # None: the project around the working folder
    out: Path | None = None  # None: the project's site/
    base_url: str | None = None
    file_bundle: bool = True
    cache: Path | None = None  # None: the per-user cache (assets.user_cache)
    widgets: Mapping | None = None  # None: built-in kinds + the project's widgets/

    def __post_init__(self):
        if not isinstance(self.project, Project):
            self.project = find_project(self.project) if self.project is None else Project(Path(self.project).resolve())
        self.out = Path(self.out or self.project.out).resolve()
        self.cache = Path(self.cache or assets.user_cache())


@dataclass
class Build:
    pages: list[Page]
    warnings: list[ContentError] = field(default_factory=list)


def read_site(options: Options) -> tuple[dict, list[Source], list[ContentError]]:
    """Stage 1: site settings and every article, with all their errors."""
    project = options.project
    site = dict(SITE_DEFAULTS)
    errors: list[ContentError] = []
    try:
        settings = yaml.safe_load(project.settings.read_text(encoding="utf-8")) or {}
        if not isinstance(settings, dict):
            raise yaml.YAMLError("not a mapping")
        site.update(settings)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(
            ContentError(
                project.shown(project.settings),
                1 + (mark.line if mark else 0),
                "not valid YAML: write 'key: value' lines (title, description, lang, dir, base_url)",
            )
        )
    if options.base_url is not None:
        site["base_url"] = options.base_url
    if site["base_url"] and not str(site["base_url"]).endswith("/"):
        site["base_url"] = str(site["base_url"]) + "/"
    sources = []
    paths = sorted(project.content.glob("*.md"))
    if not paths:
        errors.append(ContentError(project.shown(project.content), 0, "no articles: add a .md file"))
    for path in paths:
        source, problems = read_source(path, project.shown(path))
        errors.extend(problems)
        if source:
            sources.append(source)
    return site, sources, errors


def language_warnings(source: Source, page: Page, widgets) -> list[ContentError]:
    """Where a page will speak another language than its own."""
    lang = source.meta["lang"]
    found = []
    if not i18n.available(lang):
        found.append(
            ContentError(
                source.path,
                1,
                f"maamar has no strings for lang '{shown(str(lang))}': the page's menus, "
                "progress and errors fall back to English",
            )
        )
    for use in page.widgets:
        if not i18n.has(f"{use.kind}.title", lang):
            found.append(
                ContentError(
                    source.path,
                    use.line,
                    f"widget '{use.kind}' has no '{lang}' strings: its labels and output stay in its own language",
                )
            )
    return found


def parse_all(
    sources: list[Source], widgets, env, cell_run: dict | None = None
) -> tuple[list[Page], list[ContentError], list[ContentError]]:
    """Stage 2 + 3: Markdown with widget directives and code cells, each pre-rendered.

    ``cell_run`` says where the cells run (``run_cells``' cwd, project_widgets, project_modules)."""
    pages, errors, warnings = [], [], []
    for source in sources:
        failures: list[ContentError] = []
        pictures: dict[str, bytes] = {}
        lang = source.meta["lang"]

        def render_widget(use, source=source, failures=failures, pictures=pictures, lang=lang):
            try:
                pre = prerender(use, widgets, lang, source.root)
                pictures.update(pre.pictures)
                return widget_html(env, widgets, pre, lang)
            except PrerenderError as exc:
                failures.append(ContentError(source.path, use.line, str(exc)))
                return ""

        def render_cells(cells, source=source, failures=failures, lang=lang):
            return render_page_cells(source.path, cells, lambda cell: cell_html(env, cell, lang), failures, **(cell_run or {}))

        page, problems = parse_page(source, widgets, render_widget, render_cells)
        errors.extend(problems + failures)
        if page and not failures:
            page = dataclasses.replace(page, pictures=pictures)
            pages.append(page)
            warnings.extend(page.warnings + language_warnings(source, page, widgets))
    return pages, errors, warnings


def render_documents(site: dict, pages: list[Page], env, manifest: str) -> dict[str, str]:
    """Stage 5: every HTML document plus sitemap and robots, as text by output path."""
    base = site["base_url"]
    common = {
        "site_title": site["title"],
        "site_description": site["description"],
        "csp": CSP,
        "root": "",
        "og_image": (base + "assets/social.png") if base else "",
    }
    docs = {}
    for page in pages:
        meta = page.source.meta
        docs[page.source.output] = env.get_template("article.html").render(
            **common,
            og_locale=og_locale(meta["lang"]),
            page=page,
            body=Markup(page.html),
            lang=meta["lang"],
            dir=meta["dir"],
            canonical=(base + page.source.output) if base else "",
            minutes=max(1, math.ceil(page.words / WORDS_PER_MINUTE)),
            runtime_strings=Markup(runtime_strings(meta["lang"])),
            manifest=Markup(manifest.replace("</", "<\\/")),
        )
    ordered = sorted(pages, key=lambda p: str(p.source.meta["date"]), reverse=True)
    docs["index.html"] = env.get_template("index.html").render(
        **common,
        og_locale=og_locale(site["lang"]),
        pages=ordered,
        lang=site["lang"],
        dir=site["dir"],
        canonical=base or "",
    )
    # The 404 page is served for any missing path (/maamar/a/b/c), so with a base_url
    # its links are root-relative ("/maamar/..."): right at any depth, on any host
    # serving that path.  Without one they stay relative (right at the top level).
    not_found = dict(common, root=urlsplit(base).path if base else "")
    docs["404.html"] = env.get_template("404.html").render(
        **not_found, og_locale=og_locale(site["lang"]), lang=site["lang"], dir=site["dir"], canonical=""
    )
    if base:
        docs["sitemap.xml"] = sitemap_xml(base, [("", "")] + [(p.source.output, str(p.source.meta["date"])) for p in ordered])
    docs["robots.txt"] = robots_txt(base)
    return docs


def og_locale(lang: str) -> str:
    return {"he": "he_IL", "en": "en_US"}.get(lang, lang)


def static_files(project: Project) -> dict[str, Path]:
    """The site's assets by path under ``assets/``: built-ins, overridden file by file by the project's."""
    found: dict[str, Path] = {}
    for folder in (THEME / "static", project.static):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    found[path.relative_to(folder).as_posix()] = path
    return found


def concatenate_parts(static: dict[str, Path], folder: str) -> tuple[bytes, list[str]]:
    """One classic script from ``folder/*.js`` in name order, inside one function scope."""
    names = sorted(n for n in static if n.startswith(folder + "/") and n.endswith(".js"))
    body = "\n".join(f"/* ---- {n.rsplit('/', 1)[1]} ---- */\n{static[n].read_text(encoding='utf-8')}" for n in names)
    return ('(function () {\n"use strict";\n' + body + "\n})();\n").encode("utf-8"), names


def _served(name: str, path: Path) -> Path | bytes:
    """A static file as the reader gets it: scripts and stylesheets without their
    comments and indentation (slim.py), everything else as it is."""
    if name.endswith(".js"):
        return slim.slim_js(path.read_text(encoding="utf-8")).encode("utf-8")
    if name.endswith(".css"):
        return slim.slim_css(path.read_text(encoding="utf-8")).encode("utf-8")
    return path


def gather_assets(options: Options, project_widgets: authors.ProjectWidgets) -> tuple[dict[str, Path | bytes], str]:
    """Stage 4: runtime files by output path, and the manifest loader.js reads."""
    project = options.project
    pyodide = assets.pyodide_dir(project.node_modules, options.cache)
    files: dict[str, Path | bytes] = {f"pyodide/{name}": pyodide / name for name in assets.PYODIDE_FILES}
    numpy = assets.numpy_wheel(pyodide, options.cache)
    wheel = assets.site_wheel(options.cache, project_widgets.files, project_widgets.modules)
    files[f"pyodide/{numpy.name}"] = numpy
    files[f"pyodide/{wheel.name}"] = wheel
    files["pyodide/pyodide-lock.json"] = assets.site_lock(pyodide, [wheel], numpy).encode()
    fonts = assets.fonts_dir(project.node_modules, options.cache)
    for name in assets.FONT_FILES:
        files[f"assets/fonts/{name}"] = fonts / name
    static = static_files(project)
    loader, parts = concatenate_parts(static, LOADER_PARTS)
    for name, path in static.items():
        if name not in parts and name != offline.SOURCE:
            files[f"assets/{name}"] = _served(name, path)
    files["assets/js/loader.js"] = slim.slim_js(loader.decode("utf-8")).encode("utf-8")
    files["assets/social.png"] = social.social_png()
    files["assets/apple-touch-icon.png"] = social.icon_png(180)
    runtime = [f"pyodide/{n}" for n in (*assets.PYODIDE_FILES, "pyodide-lock.json", numpy.name, wheel.name)]
    wheel_sha256 = {path.name: assets.sha256_of(path) for path in (numpy, wheel)}
    sizes = {name: (len(files[name]) if isinstance(files[name], bytes) else files[name].stat().st_size) for name in runtime}
    manifest = {
        "pyodide": "pyodide/",
        "worker": "assets/js/worker.js",
        # Unpacked by the worker itself (worker.js, "wheels"), each checked against its sha256 first.
        "wheels": [f"pyodide/{numpy.name}", f"pyodide/{wheel.name}"],
        "sizes": sizes,
        "bundle": [],
        "snapshot": assets.snapshot_key(),
        "bytecode": assets.bytecode_key(list(wheel_sha256.values())),
        "offline": offline.OUTPUT,
        # Pinned hashes (base64, as SubtleCrypto gives them) of the core files and the wheels:
        # the worker checks each file on arrival, before Python or the unpacking sees it.
        "sha256": {
            **{f"pyodide/{name}": assets.base64_sha256(assets.PYODIDE_SHA256[name]) for name in assets.PYODIDE_FILES},
            **{f"pyodide/{name}": assets.base64_sha256(digest) for name, digest in wheel_sha256.items()},
        },
    }
    if options.file_bundle:
        payload = {}
        for name in ["assets/js/worker.js"] + runtime:
            value = files[name]
            payload[name] = value if isinstance(value, bytes) else value.read_bytes()
        for number, part in enumerate(assets.bundle_parts(payload), 1):
            name = f"pyodide/file-bundle-{number}.js"
            files[name] = assets.file_bundle(part).encode()
            manifest["bundle"].append(name)
    return files, json.dumps(manifest, ensure_ascii=False)


def picture_files(pages: list[Page], files: Mapping[str, Path | bytes], project: Project) -> dict[str, bytes]:
    """Stage 4: the generated pictures the pages link (``kit.png.picture_files``),
    one file per distinct picture, checked against the files already gathered (a
    project's ``static/pictures/`` would otherwise be silently replaced)."""
    found = {path: data for page in pages for path, data in page.pictures.items()}
    clashes = sorted(path for path in found if path in files)
    if clashes:
        raise BuildError(
            [
                ContentError(
                    project.shown(project.static / path.removeprefix("assets/")),
                    0,
                    "this name is kept for the generated pictures the build writes: rename the file or its folder",
                )
                for path in clashes
            ]
        )
    return found


def build(options: Options) -> Build:
    project = options.project
    project_widgets = authors.load(project)
    widgets = options.widgets if options.widgets is not None else project_widgets.registry()
    env = make_env(project.templates, THEME / "templates")
    site, sources, errors = read_site(options)
    errors = project_widgets.errors + errors
    if project_widgets.errors:  # pages can't be checked against widgets that don't load
        raise BuildError(errors)
    pages, parse_errors, warnings = parse_all(
        sources,
        widgets,
        env,
        cell_run={"cwd": project.root, "project_widgets": project.widgets, "project_modules": project_widgets.modules},
    )
    errors += parse_errors
    if errors:
        raise BuildError(errors)
    files, manifest = gather_assets(options, project_widgets)
    files.update(picture_files(pages, files, project))
    documents = render_documents(site, pages, env, manifest)
    files[offline.OUTPUT] = offline.service_worker(static_files(project)[offline.SOURCE], documents, files)
    output.write_atomically(options.out, documents, files)
    return Build(pages, warnings)
