"""``sitemap.xml`` and ``robots.txt`` for a published site.

The sitemap protocol (sitemaps.org) requires absolute URLs, so a sitemap is
written only when the site knows its public address (``--base-url``); robots.txt
is always written and points at the sitemap when there is one.
"""

from __future__ import annotations

from xml.sax.saxutils import escape


def sitemap_xml(base: str, entries: list[tuple[str, str]]) -> str:
    """``entries`` are (path relative to the site root, ISO date or "")."""
    rows = []
    for path, lastmod in entries:
        row = f"  <url><loc>{escape(base + path)}</loc>"
        if lastmod:
            row += f"<lastmod>{escape(lastmod)}</lastmod>"
        rows.append(row + "</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n"
    )


def robots_txt(base: str) -> str:
    text = "User-agent: *\nAllow: /\n"
    if base:
        text += f"\nSitemap: {base}sitemap.xml\n"
    return text
