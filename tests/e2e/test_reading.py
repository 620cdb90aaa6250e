"""What a reader sees on a phone, measured in the browser's layout: every signed number
and percentage reads with its sign on the right side, and no chart text is too small."""

import pytest

from .conftest import wait_for_runtime, wait_idle

MIN_CHART_PX = 11

# Where the browser drew each sign: a minus (or plus) must sit left of its first digit,
# a percent right of its last one — numbers read left to right inside Hebrew too.
# Text is collected per output, so a sign in another node than its digits is found too;
# chart labels are kept apart, so a tick's minus is not read as following the tick before.
SIGNS = """(root) => {
  const nodes = [], starts = [];
  let text = "";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement.closest("svg title, svg desc, .summary")) continue;
    nodes.push(n); starts.push(text.length); text += n.data;
    if (n.parentElement.closest("svg")) text += "\\n";  // each chart label on its own: "0" then "-1" is not "0-1"
  }
  const at = (i) => { let k = starts.length - 1; while (starts[k] > i) k--; return [nodes[k], i - starts[k]]; };
  const box = (i) => { const [n, o] = at(i); const r = document.createRange(); r.setStart(n, o); r.setEnd(n, o + 1);
                       const rects = r.getClientRects(); return rects.length ? rects[0] : null; };
  const found = [];
  const re = /(?<![\\p{L}\\d])[-+\\u2212](?=\\d)|(?<=\\d)%|%(?=\\d)/gu;
  for (const m of text.matchAll(re)) {
    const i = m.index, percent = m[0] === "%";
    const digit = percent ? (/\\d/.test(text[i - 1] || "") ? i - 1 : i + 1) : i + 1;
    const sign = box(i), number = box(digit);
    if (!sign || !number || sign.width === 0 || Math.abs(sign.top - number.top) > 4) continue;  // hidden or wrapped
    const ok = percent ? sign.left >= number.left : sign.left <= number.left;
    found.push({ ok, around: text.slice(Math.max(0, i - 10), i + 10) });
  }
  return found;
}"""

# The size each chart text is drawn at, in CSS pixels: its font size in viewBox units
# times the chart's scale.
CHART_TEXT = """(root) => Array.from(root.querySelectorAll("svg.plot")).flatMap((svg) => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  return Array.from(svg.querySelectorAll("text")).filter((el) => el.textContent.trim()).map((el) =>
    ({ px: parseFloat(getComputedStyle(el).fontSize) * scale, text: el.textContent.slice(0, 20) }));
})"""


@pytest.fixture(scope="module")
def phone(new_context, server):
    page = new_context(viewport={"width": 375, "height": 800}, color_scheme="dark").new_page()
    page.goto(server + "article.html")
    yield page


def check(page, root, what):
    kind = root.get_attribute("data-widget")
    out = root.locator("[data-output]")
    signs = out.evaluate(SIGNS)
    wrong = [s["around"] for s in signs if not s["ok"]]
    assert not wrong, f"{kind} ({what}): sign on the wrong side in {wrong}"
    sizes = out.evaluate(CHART_TEXT)
    small = [(round(s["px"], 1), s["text"]) for s in sizes if s["px"] < MIN_CHART_PX]
    assert not small, f"{kind} ({what}): chart text under {MIN_CHART_PX} px at 375 px: {small[:5]}"
    return len(signs), len(sizes)


def test_prerendered_outputs_read_right_on_a_phone(phone):
    """Before Python runs (and when it never does), as the build wrote them."""
    counted = [check(phone, root, "pre-rendered") for root in phone.locator("figure.widget").all()]
    assert sum(c[0] for c in counted) > 10 and sum(c[1] for c in counted) > 50


def test_every_button_of_every_widget_reads_right_on_a_phone(phone):
    assert wait_for_runtime(phone) == "ready"
    roots = phone.locator("figure.widget").all()
    signs = 0
    for root in roots:
        root.scroll_into_view_if_needed()
        for summary in root.locator(".controls details.more > summary").all():
            summary.click()  # the secondary buttons wait under "more"
        for button in root.locator(".controls button[data-action]:not([data-repeat])").all():
            button.click()
            wait_idle(phone, root)
            signs += check(phone, root, button.get_attribute("data-action"))[0]
    assert signs > 20


def test_instant_answers_generated_text_wraps_without_a_box_per_line(phone):
    """An inline box (border, padding, radius) is sliced at every line break: half-open
    boxes over a wrapped answer.  The generated words are underlined instead."""
    span = phone.locator("figure.widget[data-widget='instant-answer'] .answer span.generated")
    span.scroll_into_view_if_needed()
    look = span.evaluate(
        """(el) => { const s = getComputedStyle(el);
             return {lines: el.getClientRects().length, background: s.backgroundColor, underline: s.textDecorationLine,
                     edges: ['Top', 'Right', 'Bottom', 'Left'].map((e) => parseFloat(s[`border${e}Width`]) + parseFloat(s[`padding${e}`]))}; }"""
    )
    assert look["lines"] > 1, "the answer is long enough to wrap at 375 px"
    assert look["edges"] == [0, 0, 0, 0] and look["background"] == "rgba(0, 0, 0, 0)", look
    assert "underline" in look["underline"], "the generated words are still marked"


MAX_CHART_PX = 20  # body text is ~17 px: a chart label much bigger than that shouts


def test_no_chart_text_is_blown_up_on_a_wide_screen(new_context, server):
    """A chart with a small viewBox (the word-neighbours heatmap: six cells) drawn at the
    column's full width would scale its labels to twice the text's size."""
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server + "article.html")
    sizes = [s for root in page.locator("figure.widget").all() for s in root.locator("[data-output]").evaluate(CHART_TEXT)]
    big = [(round(s["px"], 1), s["text"]) for s in sizes if s["px"] > MAX_CHART_PX]
    assert sizes and not big, f"chart text over {MAX_CHART_PX} px at 1280 px: {big[:5]}"
