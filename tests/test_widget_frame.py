"""The frame every widget is drawn in (theme/templates/widget.html): one obvious first
action, the other buttons under "more", numbered steps, counters only near the limit."""

import re
from html.parser import HTMLParser

import pytest

from maamar_live import runtime
from maamar.directives import WidgetUse
from maamar.prerender import prerender
from maamar.project import THEME
from maamar.render import make_env, widget_html
from maamar_live.kit.i18n import t
from maamar_live.kit.markup import number_text
from maamar_live.widgets import grounding, summarize_refresh

KINDS = sorted(runtime.WIDGETS)


class Frame(HTMLParser):
    """Buttons (with where they sit), step numbers, disclosures and counters of one widget."""

    def __init__(self):
        super().__init__()
        self.stack, self.buttons, self.steps, self.mores, self.hows, self.counters = [], [], [], [], [], []
        self.summaries, self._text = [], None

    def inside(self, cls):
        return any(tag == "details" and cls in (attrs.get("class") or "").split() for tag, attrs in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # buttons inside the output (refine-steps' thumbnails, context-window's bars) jump
        # within the answer; the frame's own buttons are the widget's controls
        if tag == "button" and not any("data-output" in a for _, a in self.stack):
            self.buttons.append(
                {
                    "action": attrs.get("data-action"),
                    "primary": "primary" in attrs.get("class", ""),
                    "in_more": self.inside("more"),
                    "step": None,
                }
            )
        if tag == "span" and attrs.get("class") == "step-no":
            self._text = ""
        if tag == "details":
            (self.mores if "more" in attrs.get("class", "") else self.hows).append(attrs)
        if tag == "summary":
            self.summaries.append("")
        if tag == "small" and "data-counter" in attrs:
            self.counters.append("hidden" in attrs)
        if tag not in ("input", "br", "img"):
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        if tag == "span" and self._text is not None:
            n = int(self._text)
            self.steps.append(n)
            if self.stack and any(t == "button" for t, _ in self.stack):
                self.buttons[-1]["step"] = n
            self._text = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self._text is not None:
            self._text += data
        if self.stack and self.stack[-1][0] == "summary":
            self.summaries[-1] += data


def frame(kind, params=None, lang="he"):
    module = runtime.WIDGETS[kind]
    use = WidgetUse(kind, params or {}, line=1, index=0, id=kind)
    html = widget_html(make_env(THEME / "templates"), runtime.WIDGETS, prerender(use, lang=lang), lang)
    parser = Frame()
    parser.feed(html)
    return module, parser


@pytest.mark.parametrize("kind", KINDS)
def test_only_the_primary_action_and_numbered_steps_are_in_view_the_rest_wait_under_more(kind):
    module, f = frame(kind)
    buttons = [c for c in module.CONTROLS if c.kind == "button"]
    assert len(f.buttons) == len(buttons)
    in_view = [b for b in f.buttons if not b["in_more"]]
    assert sum(b["primary"] for b in in_view) <= 1, "one obvious first action"
    assert all(b["primary"] or b["step"] for b in in_view), f"secondary buttons in view: {in_view}"
    hidden = [b for b in f.buttons if b["in_more"]]
    assert not [b for b in hidden if b["primary"] or b["step"]]
    assert len(f.mores) == (1 if hidden else 0)
    for more in f.mores:
        assert "open" not in more, "the disclosure starts closed"
    if hidden:
        assert t("widget.more", "he") in f.summaries


def test_most_widgets_have_secondary_buttons_to_tuck_away():
    assert sum(bool(frame(kind)[1].mores) for kind in KINDS) >= 8


@pytest.mark.parametrize("kind", ["context-window", "grounding", "summarize-refresh"])
def test_the_how_it_works_paragraph_starts_closed(kind):
    _, f = frame(kind)
    assert len(f.hows) == 1 and "open" not in f.hows[0]
    assert t("widget.how", "he") in f.summaries


def test_the_how_it_works_paragraph_is_in_english_too():
    _, f = frame("grounding", lang="en")
    assert "How does it work?" in f.summaries


@pytest.mark.parametrize(
    "kind, module, expected",
    [
        ("summarize-refresh", summarize_refresh, {"ask": 1, "summarize": 2}),
        ("grounding", grounding, {"facts": 1, "question": 2, "ask": 3}),
    ],
)
def test_the_intended_sequence_is_numbered_in_the_labels(kind, module, expected):
    _, f = frame(kind)
    assert {c.name: c.order for c in module.CONTROLS if c.order} == expected
    # the numbers are text inside the labels and buttons (read out), in order
    assert f.steps == sorted(expected.values())
    assert {b["action"]: b["step"] for b in f.buttons if b["step"]} == {
        k: v for k, v in expected.items() if k in ("ask", "summarize")
    }


def test_a_counter_is_hidden_until_the_last_fifth_of_the_limit():
    limit = grounding.MAX_FACTS
    assert frame("grounding")[1].counters == [True]
    assert frame("grounding", {"facts": "א" * int(limit * 0.7)})[1].counters == [True]
    assert frame("grounding", {"facts": "א" * int(limit * 0.85)})[1].counters == [False]


def test_signed_numbers_use_the_minus_sign_and_never_a_hyphen():
    out = runtime.call("one-example-push", {}, "init", None, runtime.WIDGETS)
    pushed_down = 0
    for _ in range(12):
        out = runtime.call("one-example-push", out["params"], "next", out["state"], runtime.WIDGETS)
        assert not re.search(r"-\d", out["html"].split("<svg")[0] + out["text"]), "a hyphen where a minus belongs"
        if out["state"]["last"]["gap"] < 0:
            pushed_down += 1
            assert 'dir="ltr">\u2212' in out["html"]
    assert pushed_down, "some rounds push down"
    assert number_text(-0.001) == "0.00" and number_text(-2.5) == "\u22122.50" and number_text(-1234) == "\u22121,234"
