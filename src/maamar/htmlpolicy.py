"""Stage 2, parse: what raw HTML an author may put in an article.

Authors are trusted: raw HTML in Markdown passes through as written.  The page's
Content-Security-Policy already stops inline scripts, handlers, ``javascript:``
URLs, frames and forms to other origins; the build warns about each of those
(``file:line: warning: ...``), because they look like they work in the author's
editor and do nothing on the page.  Two tags the CSP cannot stop are removed
from the article body with a warning: ``<meta http-equiv>`` (a refresh sends
readers to another site) and ``<base>`` (it re-points every relative link).
Page metadata belongs in the front matter, where the templates put it.

Python-Markdown keeps every piece of raw HTML it passes through in
``md.htmlStash`` (blocks from its ``html_block`` preprocessor, inline tags from
its ``html`` inline pattern; fenced code is stashed already escaped).  The
``AuthorHtml`` tree processor reads each stashed piece with ``html.parser``,
before the raw-HTML post-processor puts them back into the page, and also checks
the links Markdown syntax made (``[x](javascript:...)``).  Stashed pieces carry
no line numbers, so each is found in the text as the preprocessors left it
(``SourceSnapshot``, which keeps the author's lines one for one).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor

from maamar_live.kit.spec import shown

from .directives import DirectiveLog


class SourceSnapshot(Preprocessor):
    """Keep the text as the raw-HTML preprocessor will see it (tabs expanded, lines unchanged)."""

    PRIORITY = 21  # after normalize_whitespace (30), before html_block (20)

    def __init__(self, md, policy: "AuthorHtml"):
        super().__init__(md)
        self.policy = policy

    def run(self, lines):
        self.policy.source = "\n".join(lines)
        return lines


class Finding(HTMLParser):
    """One stashed piece of HTML: what in it deserves a warning, and where the tags to remove are."""

    HANDLER = re.compile(r"^on[a-z]+$")
    REMOVED = ("base", "meta")  # meta only with http-equiv
    OFF_SITE = {"iframe": "src", "form": "action", "frame": "src"}

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.text = text
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.problems: list[tuple[int, str]] = []  # (line within text, message)
        self.cuts: list[tuple[int, int]] = []  # (start, end) offsets to remove
        self.feed(text)
        self.close()

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        self.check(tag, attrs, self.get_starttag_text() or "")

    def handle_startendtag(self, tag, attrs):
        self.check(tag, attrs, self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        if tag in self.REMOVED:
            start = self.position()
            self.cuts.append((start, self.text.index(">", start) + 1))

    def check(self, tag, attrs, raw):
        line = self.getpos()[0]
        values = {name: value or "" for name, value in attrs}
        if tag == "script":
            self.problems.append(
                (
                    line,
                    "<script> in the article will not run: the page's Content-Security-Policy "
                    "blocks inline scripts (put behaviour in a widget)",
                )
            )
        for name, value in attrs:
            if self.HANDLER.match(name):
                self.problems.append(
                    (line, f"'{name}' handler on <{tag}> will not run: the Content-Security-Policy blocks inline handlers")
                )
            if javascript_url(value or ""):
                self.problems.append(
                    (
                        line,
                        f"javascript: URL in <{tag} {name}> will not run: the "
                        f"Content-Security-Policy blocks it ('{shown(value, 60)}')",
                    )
                )
        if tag in self.OFF_SITE and off_site(values.get(self.OFF_SITE[tag], "")):
            self.problems.append(
                (
                    line,
                    f"<{tag}> to another site ('{shown(values[self.OFF_SITE[tag]], 60)}') is blocked "
                    "by the Content-Security-Policy: link to it instead",
                )
            )
        if tag == "base" or (tag == "meta" and "http-equiv" in values):
            what = "<base>" if tag == "base" else f'<meta http-equiv="{shown(values["http-equiv"], 30)}">'
            why = (
                "it would re-point every relative link"
                if tag == "base"
                else "it could send readers elsewhere or change how the page behaves"
            )
            self.problems.append((line, f"{what} removed from the article body: {why}; page settings belong in the front matter"))
            start = self.position()
            self.cuts.append((start, start + len(raw)))

    def cleaned(self) -> str:
        text = self.text
        for start, end in sorted(self.cuts, reverse=True):
            text = text[:start] + text[end:]
        return text


def javascript_url(value: str) -> bool:
    # Browsers ignore whitespace and control characters inside the scheme ("java\tscript:").
    squeezed = "".join(ch for ch in value if ch > " ").lower()
    return squeezed.startswith("javascript:")


def off_site(url: str) -> bool:
    parts = urlsplit(url.strip())
    return bool(parts.scheme or parts.netloc)


class AuthorHtml(Treeprocessor):
    """Warn about raw HTML that will not work, and remove what could take the page over."""

    PRIORITY = 7  # after inline (20), which stashes inline HTML; before toc (5) reads headings

    def __init__(self, md, log: DirectiveLog):
        super().__init__(md)
        self.log = log
        self.source = ""
        self.claimed: dict[str, int] = {}  # text -> where to look for its next occurrence

    def line_of(self, text: str) -> int:
        """The author's line where ``text`` (a stashed piece) begins: its next unclaimed occurrence."""
        start = self.source.find(text, self.claimed.get(text, 0))
        if start < 0:
            start = self.source.find(text.strip().split("\n", 1)[0])
        if start < 0:
            return 1 + self.log.line_offset
        self.claimed[text] = start + len(text)
        return 1 + self.log.line_offset + self.source.count("\n", 0, start)

    def run(self, root):
        stash = self.md.htmlStash.rawHtmlBlocks
        for index, piece in enumerate(stash):
            if index in self.log.own_html or not isinstance(piece, str) or "<" not in piece:
                continue
            finding = Finding(piece)
            if finding.problems:
                first = self.line_of(piece)
                for line, message in finding.problems:
                    self.log.warn(first + line - 1, message)
            if finding.cuts:
                stash[index] = finding.cleaned()
        for element in root.iter():
            for name in ("href", "src"):
                value = element.get(name, "")
                if javascript_url(value):
                    self.log.warn(
                        self.line_of(value),
                        f"javascript: URL in a link will not run: the Content-Security-Policy blocks it ('{shown(value, 60)}')",
                    )
        return None


class AuthorHtmlExtension(Extension):
    def __init__(self, log: DirectiveLog):
        super().__init__()
        self.log = log

    def extendMarkdown(self, md: Markdown) -> None:
        policy = AuthorHtml(md, self.log)
        md.preprocessors.register(SourceSnapshot(md, policy), "author_html_source", SourceSnapshot.PRIORITY)
        md.treeprocessors.register(policy, "author_html", AuthorHtml.PRIORITY)
