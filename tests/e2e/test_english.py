"""An English (LTR) article with the built-in widgets, measured in the browser's layout:
the widgets start from English defaults, an answer reads left to right, and Hebrew data
inside an English sentence (a corpus word, a chat line) keeps its punctuation on its
own side while the sentence's punctuation stays on the sentence's side."""

from __future__ import annotations

import threading

import pytest

from maamar.pipeline import Options, build
from maamar.serve import make_server

from ..conftest import ROOT
from .conftest import wait_for_runtime, wait_idle
from .test_quality import AXE, SHOW_ALL, axe_violations

KINDS = ("grounding", "word-neighbours", "repetition-loop", "summarize-refresh", "context-window", "prompt-to-image")
ARTICLE = """---
title: Widgets in English
lang: en
dir: ltr
description: The built-in widgets on an English page.
date: 2026-12-03
---

## Widgets

""" + "".join(f"::: widget {kind}\n:::\n\n" for kind in KINDS)


@pytest.fixture(scope="module")
def english_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("english")
    (project / "maamar.yml").write_text("title: maamar\nlang: en\ndir: ltr\nbase_url: ''\n", encoding="utf-8")
    (project / "content").mkdir()
    (project / "content" / "widgets.md").write_text(ARTICLE, encoding="utf-8")
    (project / "node_modules").symlink_to(ROOT / "node_modules")  # the runtime files, as the repo has them
    build(Options(project=project, out=project / "site", file_bundle=False))
    srv = make_server(project / "site", 0)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/widgets.html"
    srv.shutdown()


@pytest.fixture(scope="module")
def english(english_site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(english_site)
    yield page
    context.close()


# Where the browser drew the first character of each needle (its n-th occurrence in the
# element's text): the left edge, or null when it is not in the text.
LEFT = """(root, needles) => {
  const nodes = [], starts = [];
  let text = "";
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push(n); starts.push(text.length); text += n.data; }
  return needles.map(([needle, nth]) => {
    let i = -1;
    for (let k = 0; k <= nth; k++) { i = text.indexOf(needle, i + 1); if (i < 0) return null; }
    let k = starts.length - 1; while (starts[k] > i) k--;
    const r = document.createRange(); r.setStart(nodes[k], i - starts[k]); r.setEnd(nodes[k], i - starts[k] + 1);
    return r.getBoundingClientRect().left;
  });
}"""


def lefts(element, *needles):
    """x of each needle: a string (its first occurrence) or (string, n) for the n-th."""
    pairs = [(n, 0) if isinstance(n, str) else n for n in needles]
    found = element.evaluate(LEFT, pairs)
    assert None not in found, f"not all of {needles} in {element.text_content()[:200]!r}"
    return found


def widget(page, kind):
    output = page.locator(f"figure.widget[data-widget='{kind}'] [data-output]")
    output.scroll_into_view_if_needed()
    return output


def hebrew(text: str) -> bool:
    return any("\u05d0" <= ch <= "\u05ea" for ch in text)


def test_grounding_starts_from_english_facts_and_its_answer_reads_left_to_right(english):
    facts = english.locator("figure.widget[data-widget='grounding'] textarea").input_value()
    assert facts.startswith("Tamar's Corner is open on Fridays from 7:30 to 14:00.")
    answer = widget(english, "grounding").locator(".side.with .answer")
    assert answer.evaluate("(el) => getComputedStyle(el).direction") == "ltr"
    assert answer.locator(".copied").count() >= 4, "the model copied the hours from the facts"
    x = lefts(answer, "Tamar", "from", "7:30", "to", "14:00")
    assert x == sorted(x), f"the answer reads out of order: {x}"


def test_word_neighbours_lists_its_hebrew_company_in_order(english):
    company = widget(english, "word-neighbours").locator(".company")
    listed = company.text_content().split("it): ", 1)[1].split(", ")
    words = [item.rsplit(" (", 1)[0] for item in listed]
    assert len(words) >= 2 and all(map(hebrew, words[:2])), listed
    x = lefts(company, "it):", words[0], words[1])
    assert x == sorted(x), f"{words[:2]} stand out of order after 'it):' ({x})"


def test_repetition_loops_hebrew_phrase_keeps_its_comma(english):
    verdict = widget(english, "repetition-loop").locator(".verdict")
    phrase = verdict.text_content().split("“", 1)[1].split("”", 1)[0]
    assert phrase.endswith(","), phrase
    x = lefts(verdict, "“", phrase[:-1], phrase[-1], "”", "words")
    opening, word, comma, closing, after = x
    assert comma < word, "a Hebrew phrase's comma stands at its left end"
    assert opening < comma and max(word, comma) < closing < after, f"the English quotes hold the phrase ({x})"


def test_summarize_refresh_hebrew_chat_lines_end_on_the_left(english):
    chat = widget(english, "summarize-refresh").locator("li.turn")
    lines = [li for li in chat.all() if hebrew(li.text_content())]
    assert lines, "the small talk comes from the Hebrew corpus"
    for li in lines:
        line = li.text_content().split(": ", 1)[1]
        assert line.endswith("."), line
        first, stop = lefts(li, line[0], (".", line.count(".") - 1))
        assert stop < first, f"the full stop of {line!r} stands right of its start"


def test_context_window_gap_marker_reads_left_to_right_inside_the_hebrew_story(english):
    gap = widget(english, "context-window").locator(".story .elided")
    open_, word, close = lefts(gap, "[", "another", "]")
    assert open_ < word < close, f"the marker's brackets are mirrored around it: {gap.text_content()!r}"


def test_prompt_to_image_starts_from_english_prompts(english):
    boxes = english.locator("figure.widget[data-widget='prompt-to-image'] input[type=text]")
    assert [boxes.nth(i).input_value() for i in range(2)] == ["cat at sunset", "cat in the evening"]


def test_live_the_english_facts_are_copied_and_a_new_hour_follows(english):
    """In the browser (Pyodide), in the page's language: edit a fact and ask."""
    assert wait_for_runtime(english) == "ready"
    root = english.locator("figure.widget[data-widget='grounding']")
    box = root.locator("textarea")
    box.fill(box.input_value().replace("14:00", "16:00"))
    root.locator("button[data-action='ask']").click()
    wait_idle(english, root)
    answer = widget(english, "grounding").locator(".side.with .answer")
    assert "from 7:30 to 16:00" in answer.text_content()
    x = lefts(answer, "from", "7:30", "to", "16:00")
    assert x == sorted(x), f"the live answer reads out of order: {x}"


@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_no_violations_on_the_english_page(english_site, browser, scheme):
    context = browser.new_context(viewport={"width": 375, "height": 800}, color_scheme=scheme, bypass_csp=True)
    page = context.new_page()
    page.goto(english_site)
    page.evaluate("() => document.querySelectorAll('figure.widget details').forEach((d) => { d.open = true; })")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    page.add_style_tag(content=SHOW_ALL)
    violations = axe_violations(page)
    context.close()
    assert not violations, violations
