"""Markdown in, HTML out: the ``::: widget`` block processor with a fake registry."""

import types

import markdown
import pytest

from maamar.directives import DirectiveLog, WidgetExtension
from maamar_live.kit.spec import Param

FAKE = {
    "stepper": types.SimpleNamespace(
        PARAMS={
            "steps": Param("int", 10, min=1, max=100),
            "rate": Param("float", 0.5, min=0, max=2),
            "label": Param("str", "x", max_length=5),
            "mode": Param("choice", "a", choices=("a", "b")),
            "fast": Param("bool", False),
        }
    ),
}


def convert(text, offset=0):
    log = DirectiveLog("content/x.md", line_offset=offset)

    def render(use):
        return f'<figure data-kind="{use.kind}" data-params="{sorted(use.params.items())}"></figure>'

    html = markdown.markdown(text, extensions=[WidgetExtension(FAKE, log, render), "fenced_code"])
    return html, log


def messages(text, offset=0):
    return [str(e) for e in convert(text, offset)[1].errors]


def test_directive_becomes_widget_element_with_params():
    html, log = convert("Before.\n\n::: widget stepper\nsteps: 40\nrate: 1.5\n:::\n\nAfter.")
    assert html == (
        "<p>Before.</p>\n"
        "<figure data-kind=\"stepper\" data-params=\"[('fast', False), ('label', 'x'), ('mode', 'a'), ('rate', 1.5), ('steps', 40)]\"></figure>\n"
        "<p>After.</p>"
    )
    assert [(u.kind, u.line) for u in log.uses] == [("stepper", 3)]


def test_directive_without_params_uses_defaults():
    html, log = convert("::: widget stepper\n:::")
    assert log.uses[0].params["steps"] == 10 and not log.errors


def test_body_may_contain_blank_lines_and_comments():
    html, log = convert("::: widget stepper\nsteps: 3\n\n# a comment\nmode: b\n:::\n\nText.")
    assert log.uses[0].params["steps"] == 3 and log.uses[0].params["mode"] == "b"
    assert html.endswith("<p>Text.</p>")


def test_two_directives_in_a_row():
    html, log = convert("::: widget stepper\n:::\n::: widget stepper\nsteps: 2\n:::")
    assert [u.params["steps"] for u in log.uses] == [10, 2]
    assert [u.index for u in log.uses] == [0, 1]


def test_directive_inside_fenced_code_is_left_alone():
    html, log = convert("```\n::: widget nope\n:::\n```")
    assert not log.errors and not log.uses
    assert "::: widget nope" in html


def test_unknown_widget_names_file_and_line():
    assert messages("# T\n\ntext\n\n::: widget steper\n:::") == [
        "content/x.md:5: unknown widget 'steper' (did you mean 'stepper'?)"
    ]


def test_line_numbers_count_the_front_matter():
    assert messages("::: widget nothing-alike\n:::", offset=7) == ["content/x.md:8: unknown widget 'nothing-alike'"]


def test_unknown_parameter_suggests_the_right_one():
    assert messages("::: widget stepper\nstep: 3\n:::") == [
        "content/x.md:2: unknown parameter 'step' for widget 'stepper' (did you mean 'steps'?)"
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("steps: many", "parameter 'steps' of widget 'stepper' expects a whole number, got 'many'"),
        ("steps: 1.5", "parameter 'steps' of widget 'stepper' expects a whole number, got '1.5'"),
        ("steps: 500", "parameter 'steps' of widget 'stepper' must be between 1 and 100, got 500"),
        ("rate: -1", "parameter 'rate' of widget 'stepper' must be between 0 and 2, got -1"),
        ("rate: nan", "parameter 'rate' of widget 'stepper' expects a finite number, got 'nan'"),
        ("label: toolong", "parameter 'label' of widget 'stepper' is at most 5 characters long, got 7"),
        ("mode: c", "parameter 'mode' of widget 'stepper' expects one of a, b, got 'c'"),
        ("fast: maybe", "parameter 'fast' of widget 'stepper' expects true or false, got 'maybe'"),
        ("just words", "expected 'name: value' inside widget 'stepper', got 'just words'"),
    ],
)
def test_bad_parameter_values_are_reported(line, expected):
    assert messages(f"::: widget stepper\n{line}\n:::") == [f"content/x.md:2: {expected}"]


def test_parameter_given_twice():
    assert messages("::: widget stepper\nsteps: 1\nsteps: 2\n:::") == ["content/x.md:3: parameter 'steps' is given twice"]


def test_unclosed_block_is_reported_at_its_opener():
    assert messages("Intro.\n\n::: widget stepper\nsteps: 3\n\nMore text.") == [
        "content/x.md:3: widget block is not closed: add a line with ':::' after its parameters"
    ]


def test_missing_kind():
    assert messages("::: widget\n:::") == ["content/x.md:1: widget kind missing: write '::: widget KIND' with one of stepper"]


def test_every_problem_is_reported_not_just_the_first():
    found = messages("::: widget stepper\nsteps: x\nrate: 9\n:::\n\n::: widget nope\n:::")
    assert [m.split(":")[1] for m in found] == ["2", "3", "6"]


def test_source_is_a_directive_option_not_a_widget_parameter():
    log = DirectiveLog("content/x.md")
    markdown.markdown(
        "::: widget stepper\nsource: true\nsteps: 5\n:::\n", extensions=[WidgetExtension(FAKE, log, lambda use: "")]
    )
    [use] = log.uses
    assert use.source is True and "source" not in use.params and use.params["steps"] == 5
    assert messages("::: widget stepper\nsource: maybe\n:::\n") == [
        "content/x.md:2: option 'source' expects true or false, got 'maybe' "
        "(true adds a closed disclosure with the widget's own Python source)"
    ]


def test_a_widgets_source_is_highlighted_at_build_time_without_styles_or_scripts():
    from maamar.render import source_html
    from maamar_live.widgets import trial_error

    html = str(source_html(trial_error))
    assert html.startswith('<div class="source-code"><pre>')
    assert '<span class="kn">import</span>' in html and "KIND" in html
    assert "style=" not in html and "<script" not in html


@pytest.mark.parametrize(
    "text",
    [
        "::: widget stepper\n" + "w" * 10_000 + "\n:::",  # a 10 KB line that is no 'name: value'
        "::: widget stepper\n" + "n" * 10_000 + ": 3\n:::",  # a 10 KB parameter name
        "::: widget stepper\nsteps: " + "x" * 10_000 + "\n:::",  # a 10 KB value
        "::: widget " + "k" * 10_000 + "\n:::",  # a 10 KB kind
    ],
    ids=["line", "name", "value", "kind"],
)
def test_a_huge_line_is_echoed_cut_to_about_80_characters(text):
    [message] = messages(text)
    assert len(message) < 250 and "(10000 characters)" in message


def test_a_5000_digit_number_names_pythons_digit_limit():
    [message] = messages("::: widget stepper\nsteps: " + "9" * 5000 + "\n:::")
    assert "has 5000 digits" in message and "expects a whole number" not in message and len(message) < 250


def ids(text):
    html, log = convert(text)
    return [u.id for u in log.uses], [str(e) for e in log.errors]


def test_widget_ids_come_from_the_kind_with_an_index_only_for_repeats():
    text = "::: widget stepper\n:::\n\n::: widget stepper\n:::\n\n::: widget stepper\n:::"
    assert ids(text) == (["stepper", "stepper-2", "stepper-3"], [])


def test_an_id_line_names_the_widget_and_is_not_a_parameter():
    html, log = convert("::: widget stepper\nid: first-try\nsteps: 4\n:::\n\n::: widget stepper\n:::")
    assert [u.id for u in log.uses] == ["first-try", "stepper"]
    assert "id" not in log.uses[0].params and log.uses[0].params["steps"] == 4


def test_automatic_ids_skip_ids_given_by_hand():
    assert ids("::: widget stepper\nid: stepper-2\n:::\n\n::: widget stepper\n:::\n\n::: widget stepper\n:::")[0] == [
        "stepper-2",
        "stepper",
        "stepper-3",
    ]


@pytest.mark.parametrize(
    "value, says",
    [
        ("two words", "id 'two words' is not a valid widget id"),
        ("a:b", "id 'a:b' is not a valid widget id"),
        ("9lives", "id '9lives' is not a valid widget id"),
        ("x" * 65, "is not a valid widget id"),
        ("widget-3", "id 'widget-3' looks like an old numbered id"),
    ],
    ids=["space", "colon", "digit-first", "too-long", "numbered"],
)
def test_an_invalid_id_is_reported_at_its_line(value, says):
    [message] = messages(f"Intro.\n\n::: widget stepper\nid: {value}\n:::")
    assert message.startswith("content/x.md:4: ") and says in message


def test_an_id_used_twice_on_a_page_names_the_first_line():
    assert messages("::: widget stepper\n:::\n\n::: widget stepper\nid: stepper\n:::") == [
        "content/x.md:5: id 'stepper' is already the id of the widget on line 1: ids are unique on a page"
    ]
    assert messages("::: widget stepper\nid: a\nid: b\n:::") == ["content/x.md:3: 'id' is given twice"]


def test_a_widget_id_equal_to_a_heading_id_is_an_error():
    from maamar.content import parse_source
    from maamar.pages import parse_page

    text = "---\ntitle: T\nlang: en\ndir: ltr\ndescription: d\ndate: 2026-01-01\n---\n\n## Stepper\n\n::: widget stepper\n:::\n"
    source, _ = parse_source(text, "content/x.md", "x")
    page, errors = parse_page(source, FAKE, lambda use: "<figure></figure>")
    assert page is None
    assert [str(e) for e in errors] == [
        "content/x.md:11: widget id 'stepper' is also a heading's id, so links to one "
        "would reach the other: give the widget an 'id:' line"
    ]
