"""kit/markup: the confidence shades shared by every widget that shows generated words."""

import pytest

from maamar_live.kit.markup import CONFIDENCE, confidence, confidence_legend, confident_word


def test_each_shade_starts_at_its_threshold():
    assert [confidence(p) for p in (0.0, 0.099, 0.1, 0.299, 0.3, 0.599, 0.6, 1.0)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert len(CONFIDENCE) == 3


def test_a_word_is_escaped_shaded_and_isolated_on_request():
    assert confident_word("<b>", 0.45, "45%") == '<span class="tok conf-2" title="45%">&lt;b&gt;</span>'
    assert confident_word("42", 0.9, "t", "copied", isolate=True) == (
        '<span class="tok conf-3 copied" title="t" dir="ltr">42</span>'
    )


def test_the_legend_has_one_sample_per_shade_then_the_extras():
    legend = confidence_legend(["a", "b", "c", "d"], [("copied", "copied")])
    assert [f"conf-{i}" in legend for i in range(4)] == [True] * 4
    assert legend.index("conf-3") < legend.index('class="tok copied"') and legend.startswith('<p class="legend">')
    with pytest.raises(ValueError, match="needs 4 labels"):
        confidence_legend(["a"])


def test_data_text_is_isolated_only_where_its_letters_run_the_other_way():
    from maamar_live.kit.i18n import language
    from maamar_live.kit.markup import crosses, isolate

    with language("en"):
        assert isolate("תודה רבה,") == "<bdi>תודה רבה,</bdi>"
        assert isolate("cat, <b>") == "cat, &lt;b&gt;" and isolate("7:30") == "7:30"
        assert isolate("[… 674 words …]", around="rtl") == "<bdi>[… 674 words …]</bdi>"
    with language("he"):
        assert isolate("תודה רבה,") == "תודה רבה,"  # a Hebrew page's bytes do not change
        assert isolate("cat") == "<bdi>cat</bdi>"
        assert isolate("x", body="<i>x</i>") == "<bdi><i>x</i></bdi>"
        assert not crosses("03-5551234")
