"""Plain text of an article page's prose (paragraphs and headings outside widgets)."""

from html.parser import HTMLParser

BLOCKS = {"p", "h1", "h2", "h3", "li"}
VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}


class ProseParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.in_body = 0
        self.skip = 0
        self.current = None
        self.blocks = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        if self.in_body:
            self.in_body += 1
        elif tag == "div" and "article-body" in (attrs.get("class") or ""):
            self.in_body = 1
            return
        if not self.in_body:
            return
        if tag in ("figure", "script") or self.skip:
            self.skip += 1
            return
        if tag in BLOCKS:
            self.current = []

    def handle_startendtag(self, tag, attrs):
        pass  # <circle/> and friends open and close at once: no effect on depth

    def handle_endtag(self, tag):
        if not self.in_body or tag in VOID:
            return
        if self.skip:
            self.skip -= 1
        elif tag in BLOCKS and self.current is not None:
            self.blocks.append(" ".join("".join(self.current).split()))
            self.current = None
        self.in_body -= 1

    def handle_data(self, data):
        if self.in_body and not self.skip and self.current is not None:
            self.current.append(data)


def prose_blocks(html: str) -> list[str]:
    parser = ProseParser()
    parser.feed(html)
    return parser.blocks
