"""Raw HTML in articles: it passes through, but what the CSP will stop is warned about and
what could take the page over (``<meta http-equiv>``, ``<base>``) is removed."""

import pytest

from maamar.content import parse_source
from maamar.pages import parse_page
from maamar.pipeline import Options, build

from .test_pipeline import copy_project

FRONT = "---\ntitle: T\nlang: en\ndir: ltr\ndescription: d\ndate: 2026-01-01\n---\n"  # the body starts on line 9
WIDGET = '<figure class="widget" id="widget-x"><button type="button">Go</button></figure>'


def parsed(body: str):
    source, problems = parse_source(FRONT + "\n" + body, "content/x.md", "x")
    assert not problems
    page, errors = parse_page(source, {"fake": object()}, lambda use: WIDGET)
    assert not errors
    return page


def warned(body: str) -> list[str]:
    return [str(w) for w in parsed(body).warnings]


def line_of(body: str, needle: str) -> int:
    return 9 + next(i for i, line in enumerate(body.split("\n")) if needle in line)


def test_meta_refresh_is_removed_from_the_body_with_a_warning_at_its_line():
    body = 'Intro.\n\n<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">\n\nAfter.'
    page = parsed(body)
    assert "http-equiv" not in page.html and "elsewhere.example" not in page.html
    assert "<p>Intro.</p>" in page.html and "<p>After.</p>" in page.html
    [warning] = [str(w) for w in page.warnings]
    assert warning.startswith(f'content/x.md:{line_of(body, "http-equiv")}: <meta http-equiv="refresh"> removed')


def test_base_is_removed_inside_a_block_and_the_rest_of_the_block_stays():
    body = 'Text.\n\n<div class="note">\n<p>kept</p>\n<base href="https://elsewhere.example/"></base>\n</div>'
    page = parsed(body)
    assert "<base" not in page.html and "</base>" not in page.html
    assert '<div class="note">' in page.html and "<p>kept</p>" in page.html
    assert [w.line for w in page.warnings] == [line_of(body, "<base")]


def test_a_plain_meta_tag_without_http_equiv_stays():
    page = parsed('<meta name="keywords" content="x">\n')
    assert '<meta name="keywords" content="x">' in page.html and page.warnings == []


@pytest.mark.parametrize(
    "html, says",
    [
        ("<script>\nalert(1)\n</script>", "<script> in the article will not run"),
        ('<span onclick="go()">x</span>', "'onclick' handler on <span> will not run"),
        ('<img src="a.png" alt="" onerror="go()">', "'onerror' handler on <img> will not run"),
        ('<a href="javascript:go()">x</a>', "javascript: URL in <a href> will not run"),
        ('<a href=" JaVa&#x09;ScRiPt:go()">x</a>', "javascript: URL in <a href> will not run"),
        ('<iframe src="https://video.example/embed"></iframe>', "<iframe> to another site ('https://video.example/embed')"),
        ('<form action="//collect.example/"><input name="q"></form>', "<form> to another site ('//collect.example/')"),
    ],
)
def test_what_the_csp_blocks_is_warned_about_and_left_as_written(html, says):
    body = "First paragraph.\n\nSecond paragraph.\n\n" + html + "\n\nLast."
    page = parsed(body)
    [warning] = [str(w) for w in page.warnings]
    assert warning.startswith(f"content/x.md:{line_of(body, html.split(chr(10))[0])}: {says}")
    assert html.split("\n")[0] in page.html  # authors are trusted: not removed


def test_a_markdown_link_to_javascript_is_warned_about_at_its_line():
    body = "One.\n\nTwo, [click](javascript:go()) here."
    assert [w.split(": ", 1)[0] for w in warned(body)] == [f"content/x.md:{line_of(body, 'click')}"]


def test_same_site_frames_links_and_html_in_code_are_fine():
    body = (
        '<iframe src="other.html" title="t"></iframe>\n\n[next](other.html)\n\n'
        'Write `<script>` or `<meta http-equiv="refresh">` in code.\n\n'
        '```html\n<script>alert(1)</script>\n<base href="https://x/">\n```\n'
    )
    page = parsed(body)
    assert page.warnings == []
    assert "&lt;base href" in page.html


def test_the_same_tag_twice_is_reported_at_each_line():
    tag = '<span onclick="go()">x</span>'
    body = f"A {tag}.\n\nB.\n\nC {tag}."
    assert [w.split(": ", 1)[0] for w in warned(body)] == ["content/x.md:9", "content/x.md:13"]


def test_our_widgets_html_is_not_checked():
    source, _ = parse_source(FRONT + "\n::: widget fake\n:::\n", "content/x.md", "x")
    fake = type("Fake", (), {"PARAMS": {}})
    page, _ = parse_page(source, {"fake": fake}, lambda use: '<figure><meta http-equiv="x" content="y"></figure>')
    assert page.warnings == [] and 'http-equiv="x"' in page.html


def test_the_build_reports_the_warnings_and_the_page_has_no_refresh(tmp_path):
    project = copy_project(tmp_path)
    article = project / "content" / "article.md"
    text = article.read_text(encoding="utf-8")
    text = text.replace("\n\n", '\n\n<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">\n\n', 1)
    article.write_text(text, encoding="utf-8")
    result = build(Options(project=project, out=tmp_path / "site", file_bundle=False))
    line = 1 + text.split("\n").index('<meta http-equiv="refresh" content="0;url=https://elsewhere.example/">')
    assert [(w.path, w.line) for w in result.warnings if "http-equiv" in w.message] == [("content/article.md", line)]
    assert "elsewhere.example" not in (tmp_path / "site" / "article.html").read_text(encoding="utf-8")
