"""The article page as a reader meets it: RTL, every section, working table of contents."""


def test_article_is_rtl_with_every_heading_visible(new_context, server):
    context = new_context()
    page = context.new_page()
    page.goto(server + "article.html")
    assert page.evaluate("() => getComputedStyle(document.querySelector('article')).direction") == "rtl"
    headings = page.locator(".article-body h2")
    assert headings.count() == 7
    for i in range(7):
        assert headings.nth(i).is_visible()
    assert not context.requests.foreign


def test_table_of_contents_links_scroll_to_their_sections(new_context, server):
    context = new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(server + "article.html")
    links = page.locator("nav.toc a")
    assert links.count() == 7
    for i in [6, 3, 0, 5]:
        link = links.nth(i)
        target = link.get_attribute("href")
        link.click()
        page.wait_for_function("(id) => decodeURIComponent(location.hash) === decodeURIComponent(id)", arg=target)
        top = page.evaluate(
            "(id) => document.getElementById(decodeURIComponent(id.slice(1))).getBoundingClientRect().top", target
        )
        at_bottom = page.evaluate("() => Math.ceil(scrollY + innerHeight) >= document.documentElement.scrollHeight - 1")
        assert 0 <= top < (900 if at_bottom else 120), (target, top)
    assert not context.requests.foreign


def test_no_horizontal_scroll_on_a_phone(live):
    """The shared booted page (every widget live) narrowed to a phone's width, then put back."""
    size = live.viewport_size
    live.set_viewport_size({"width": 375, "height": 740})
    try:
        live.wait_for_function("() => innerWidth === 375")
        assert live.evaluate("() => document.documentElement.scrollWidth") <= 375
    finally:
        live.set_viewport_size(size)


def test_index_lists_the_article(new_context, server):
    page = new_context().new_page()
    page.goto(server)
    page.click("text=מה זה אימון מודל?")
    page.wait_for_url("**/article.html")


def test_missing_page_gets_the_hebrew_404(new_context, server):
    page = new_context().new_page()
    response = page.goto(server + "no/such/page")
    assert response.status == 404
    assert "הדף לא נמצא" in page.inner_text("h1")


# (previous Hebrew word, Latin word, next Hebrew word) as they appear in the article.
BIDI_CASES = [
    ("לגרום", "Claude", "להמשיך"),
    ("שאלה", "GPT", "ומקבלים"),
    ("שבהן", "ChatGPT", "נשמע"),
    ("נניח", "sunset", "במקום"),
    ("במקום", "evening", "ומקבלים"),
    ("פרומפט", "Midjourney", "זכרו"),
    ("ארוכות", "Claude", "או"),
]

RECTS = """([before, word, after]) => {
  const body = document.querySelector('.article-body');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const rect = (node, start, text) => { const r = document.createRange(); r.setStart(node, start); r.setEnd(node, start + text.length); return r.getClientRects()[0]; };
  while (walker.nextNode()) {
    const node = walker.currentNode, text = node.data;
    const at = text.indexOf(word);
    if (at < 0) continue;
    const b = text.lastIndexOf(before, at), a = text.indexOf(after, at);
    if (b < 0 || a < 0) continue;
    return [rect(node, b, before), rect(node, at, word), rect(node, a, after)].map(r => ({left: r.left, right: r.right, top: r.top}));
  }
  return null;
}"""


def test_latin_words_read_in_the_right_order_inside_hebrew(new_context, server):
    """In RTL text the previous Hebrew word is to the right of the Latin word and the next one to its left."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server + "article.html")
    checked = 0
    for case in BIDI_CASES:
        rects = page.evaluate(RECTS, list(case))
        assert rects, f"{case} not found on the page"
        before, word, after = rects
        if abs(before["top"] - word["top"]) < 2:
            assert before["left"] >= word["right"] - 1, case
            checked += 1
        if abs(after["top"] - word["top"]) < 2:
            assert after["right"] <= word["left"] + 1, case
            checked += 1
    assert checked >= 8, f"only {checked} same-line comparisons"


def test_without_javascript_only_the_computed_in_advance_line_is_shown(new_context, server):
    from maamar_live.kit.i18n import lookup

    page = new_context(java_script_enabled=False).new_page()
    page.goto(server + "article.html")
    assert page.inner_text("[data-runtime]").strip() == lookup("runtime.noscript", "he")
    assert not page.locator("[data-runtime-progress]").is_visible()
    assert page.locator("figure.widget [data-status]:visible").count() == 0
    body = page.inner_text("body")
    assert lookup("runtime.idle", "he") not in body and lookup("widget.waiting", "he") not in body
    page.context.close()

    page = new_context().new_page()  # with JavaScript the script writes the notices, and no <noscript> line shows
    page.goto(server + "article.html")
    page.wait_for_function("() => document.querySelector('[data-runtime-text]').textContent.trim() !== ''")
    assert lookup("runtime.noscript", "he") not in page.inner_text("body")
    assert page.locator("figure.widget [data-status]:visible").count() == page.locator("figure.widget").count()
    page.context.close()
