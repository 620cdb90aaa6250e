"""The whole build: fidelity to the seed, atomic output, clear errors."""

import base64
import json
import subprocess
import sys
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from maamar.directives import WidgetUse
from maamar.errors import BuildError
from maamar.pipeline import Options, build, picture_files
from maamar.prerender import prerender
from maamar.project import Project
from maamar_live import runtime
from maamar_live.kit.png import PNG_SIGNATURE, picture_png

from .conftest import ROOT, copy_project, require_seed
from .htmltext import prose_blocks
from .test_png import decode_png


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "site"
    pages = build(Options(project=ROOT, out=out, file_bundle=False)).pages
    return out, pages


def seed_paragraphs():
    return [" ".join(line.split()) for line in require_seed().read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_seed_paragraph_is_on_the_page_word_for_word(built):
    out, _ = built
    blocks = prose_blocks((out / "article.html").read_text(encoding="utf-8"))
    assert blocks == seed_paragraphs()


def test_the_seven_short_lines_are_section_headings(built):
    out, pages = built
    article = next(p for p in pages if p.source.slug == "article")
    assert [entry["name"] for entry in article.toc] == [line for line in seed_paragraphs() if len(line) < 40]
    assert len(article.toc) == 7
    html = (out / "article.html").read_text(encoding="utf-8")
    for entry in article.toc:
        assert f'<h2 id="{entry["id"]}">' in html and f'href="#{entry["id"]}"' in html


def test_page_has_language_direction_and_meta(built):
    out, _ = built
    html = (out / "article.html").read_text(encoding="utf-8")
    assert '<html lang="he" dir="rtl">' in html
    assert '<meta name="description" content="' in html and 'property="og:title"' in html
    assert "Content-Security-Policy" in html


def test_every_url_in_the_output_is_relative(built):
    out, _ = built
    for page in out.glob("*.html"):
        html = page.read_text(encoding="utf-8")
        for attr in ('href="', 'src="'):
            for piece in html.split(attr)[1:]:
                url = piece.split('"', 1)[0]
                assert not url.startswith(("http:", "https:", "//", "/")), f"{page.name}: {url}"


def test_index_lists_every_article_and_404_exists(built, tmp_path):
    out, pages = built
    index = (out / "index.html").read_text(encoding="utf-8")
    for page in pages:
        assert f'href="{page.source.slug}.html"' in index
    assert (out / "404.html").exists()


def test_a_second_article_becomes_a_second_page(tmp_path):
    project = copy_project(tmp_path)
    content = project / "content"
    (content / "second.md").write_text(
        "---\ntitle: Second\nlang: en\ndir: ltr\ndescription: An English page\ndate: 2026-01-01\n---\n\n## Hello\n\nWorld.\n",
        encoding="utf-8",
    )
    out = tmp_path / "site"
    build(Options(project=project, out=out, file_bundle=False))
    assert '<html lang="en" dir="ltr">' in (out / "second.html").read_text(encoding="utf-8")
    assert 'href="second.html"' in (out / "index.html").read_text(encoding="utf-8")


def broken_project(tmp_path, text):
    project = copy_project(tmp_path)
    (project / "content" / "article.md").write_text(text, encoding="utf-8")
    return project


def test_failed_build_leaves_the_last_good_site_untouched(tmp_path):
    out = tmp_path / "site"
    good = ROOT / "content"
    build(Options(project=ROOT, out=out, file_bundle=False))
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.stat().st_size < 10**6}
    text = (good / "article.md").read_text(encoding="utf-8").replace("::: widget trial-error", "::: widget trial-eror")
    with pytest.raises(BuildError) as caught:
        build(Options(project=broken_project(tmp_path, text), out=out, file_bundle=False))
    assert "unknown widget 'trial-eror' (did you mean 'trial-error'?)" in str(caught.value)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.stat().st_size < 10**6}
    assert after == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".site.")], "staging folders left behind"


def test_build_cli_prints_file_line_errors_and_exits_2_without_traceback(tmp_path):
    text = (ROOT / "content" / "article.md").read_text(encoding="utf-8")
    text = text.replace("::: widget trial-error", "::: widget trainig-loop").replace("boldness: 0.3", "boldness: 0.3\nboldnes: 1")
    project = broken_project(tmp_path, text)
    result = subprocess.run(
        [sys.executable, "-m", "maamar", "build", "--out", str(tmp_path / "out"), "--no-file-bundle"],
        capture_output=True,
        text=True,
        cwd=project / "content",
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    line = next(i for i, text_line in enumerate(text.splitlines(), 1) if "trainig-loop" in text_line)
    assert f"content/article.md:{line}: unknown widget 'trainig-loop'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_widget_that_fails_to_prerender_is_a_content_error(tmp_path):
    import types
    from maamar_live.kit.spec import Param

    def explode(params, action, state):
        raise ValueError("boom")

    from maamar_live.registry import WIDGETS

    fake = {kind: WIDGETS[kind] for kind in WIDGETS}
    fake["trial-error"] = types.SimpleNamespace(
        PARAMS={"target": Param("float", 1.0), "boldness": Param("float", 1.0)}, CONTROLS=[], run=explode
    )
    with pytest.raises(BuildError) as caught:
        build(Options(project=ROOT, out=tmp_path / "site", widgets=fake, file_bundle=False))
    assert "widget 'trial-error' failed to pre-render: ValueError: boom" in str(caught.value)
    assert str(caught.value).startswith("content/article.md:")


class VisibleWithoutScript(HTMLParser):
    """The text a reader without JavaScript sees: everything but <script>, <template>, hidden elements;
    <noscript> included (a browser without scripting shows it)."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__()
        self.stack: list[bool] = []  # per open element: is it invisible?
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        invisible = tag in ("script", "template", "style", "head") or "hidden" in dict(attrs)
        self.stack.append(invisible or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(" ".join(data.split()))


def test_without_javascript_the_page_promises_nothing_live_and_says_results_were_computed_in_advance(built):
    from maamar_live.kit.i18n import lookup

    out, _ = built
    html = (out / "article.html").read_text(encoding="utf-8")
    reader = VisibleWithoutScript()
    reader.feed(html)
    visible = "\n".join(reader.text)
    for key in ("runtime.idle", "widget.waiting", "runtime.ready"):
        assert lookup(key, "he") not in visible, key
    assert "ייטענו" not in visible and "יהפוך לחי" not in visible
    assert f"<noscript>{lookup('runtime.noscript', 'he')}</noscript>" in html
    assert visible.count(lookup("runtime.noscript", "he")) == 1
    # The script still has every notice it shows once it runs.
    assert lookup("runtime.idle", "he") in html.split('id="maamar-strings">', 1)[1].split("</script>", 1)[0]


PICTURE_KINDS = ("prompt-to-image", "refine-steps")


class Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.found.append(dict(attrs))


def test_generated_pictures_are_files_the_page_links_lazily_with_the_live_bytes(built):
    """No picture rides in the page as base64: each <img> links a PNG file in the site
    (relative to the page), lazily, and the file holds the very bytes the live runtime's
    data: URL carries for that widget's first output."""
    out, pages = built
    article = next(p for p in pages if p.source.slug == "article")
    html = (out / "article.html").read_text(encoding="utf-8")
    assert "data:image/png" not in html
    parser = Images()
    parser.feed(html)
    images = [img for img in parser.found if "generated" in img.get("class", "")]
    live = []
    picture_png.cache_clear()  # the live bytes are encoded afresh, not taken from the build's cache
    for use in article.widgets:
        if use.kind in PICTURE_KINDS:
            result = runtime.call(use.kind, use.params, "init", lang=article.source.meta["lang"])
            live += [url for url in result["html"].split('src="')[1:] if url.startswith("data:image/png")]
    assert len(images) == len(live) == 3
    for img, url in zip(images, live):
        src = img["src"]
        assert src.startswith("assets/pictures/") and src.endswith(".png"), src
        assert img["loading"] == "lazy" and img["decoding"] == "async" and img["alt"]
        data = (out / src).read_bytes()
        assert data[:8] == PNG_SIGNATURE and decode_png(data).shape == (int(img["height"]), int(img["width"]), 3)
        assert data == base64.b64decode(url.split('"', 1)[0].split(",", 1)[1])
    linked = {img["src"] for img in images}
    assert {p.relative_to(out).as_posix() for p in (out / "assets" / "pictures").iterdir()} == linked
    assert set(article.pictures) == linked


@pytest.mark.parametrize("kind", PICTURE_KINDS)
def test_prerendered_output_is_the_live_one_with_files_for_pictures(kind):
    """The pre-render differs from the live call only in where its pictures are; the
    state and text the page's init JSON carries stay exactly the live ones."""
    use = WidgetUse(kind, {}, line=1, index=0, id=kind)
    pre = prerender(use, lang="he", root="../")
    live = runtime.call(kind, {}, "init", lang="he")
    html = pre.result["html"]
    assert pre.pictures and "data:image" not in html
    for path, data in pre.pictures.items():
        assert f'src="../{path}"' in html
        html = html.replace(f'src="../{path}"', f'src="data:image/png;base64,{base64.b64encode(data).decode()}"')
    assert html == live["html"]
    assert pre.result["state"] == live["state"] and pre.result["text"] == live["text"]
    assert "pictures/" not in json.dumps([pre.result["state"], pre.result["text"]], ensure_ascii=False)


def test_a_static_file_in_the_pictures_folder_is_refused(tmp_path):
    """A project's static/pictures/<name>.png would be silently replaced by a generated
    picture of that name: the build says so instead."""
    project = Project(tmp_path)
    page = SimpleNamespace(pictures={"assets/pictures/0123456789abcdef.png": b"png"})
    assert picture_files([page], {"assets/site.css": b""}, project) == page.pictures
    with pytest.raises(BuildError, match="static/pictures/0123456789abcdef.png:0: this name is kept"):
        picture_files([page], {"assets/pictures/0123456789abcdef.png": b"mine"}, project)
