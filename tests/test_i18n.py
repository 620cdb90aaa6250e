"""Strings by key in the page's language, with English then Hebrew as fallbacks."""

import re

import pytest

from maamar.pipeline import Options, build
from maamar_live import runtime
from maamar_live.kit import i18n
from maamar_live.kit.i18n import t

from .conftest import ROOT


def test_the_page_chrome_is_complete_in_hebrew_and_english():
    def chrome(lang):
        return {k for k in i18n.built_in(lang) if k.startswith(("site.", "runtime.", "widget."))}

    assert chrome("he") == chrome("en")
    assert len(i18n.built_in("en")["site.months"].split(",")) == 12


def test_a_key_falls_back_to_english_then_hebrew(monkeypatch):
    assert t("runtime.ready", "fr") == i18n.built_in("en")["runtime.ready"]
    # every built-in key has English now (test_locale_en), so the Hebrew fallback needs a key only Hebrew has
    monkeypatch.setitem(i18n._ADDED, "he", {"author-widget.title": "רק בעברית"})
    assert t("author-widget.title", "en") == "רק בעברית"
    with pytest.raises(KeyError):
        t("no.such.key", "en")


def test_widget_output_follows_the_language_it_is_called_in():
    english = runtime.call("trial-error", {}, "init", lang="en")
    hebrew = runtime.call("trial-error", {}, "init", lang="he")
    assert "The guesses approach the right height" in english["html"]
    assert "הניחושים מתקרבים לגובה הנכון" in hebrew["html"]
    assert i18n.resolve() == i18n.DEFAULT_LANG, "the language is restored after the call"


def test_a_failing_widget_call_restores_the_language():
    with pytest.raises(ZeroDivisionError):
        with i18n.language("en"):
            raise ZeroDivisionError
    assert i18n.resolve() == i18n.DEFAULT_LANG


def article(lang, direction, kind="trial-error"):
    return (
        f"---\ntitle: T\nlang: {lang}\ndir: {direction}\ndescription: D\ndate: 2026-12-02\n---\n\n"
        f"## A\n\nText.\n\n::: widget {kind}\n:::\n"
    )


def test_english_and_hebrew_articles_share_one_site_each_in_its_own_language(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "maamar.yml").write_text("title: T\nlang: en\ndir: ltr\n", encoding="utf-8")
    (tmp_path / "content" / "en.md").write_text(article("en", "ltr"), encoding="utf-8")
    (tmp_path / "content" / "he.md").write_text(article("he", "rtl"), encoding="utf-8")
    result = build(Options(project=tmp_path, file_bundle=False))
    assert result.warnings == []
    en = (tmp_path / "site" / "en.html").read_text(encoding="utf-8")
    he = (tmp_path / "site" / "he.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in en and "One try</button>" in en and "December 2, 2026" in en
    assert '<html lang="he" dir="rtl">' in he and "ניסיון אחד</button>" in he and "2 בדצמבר 2026" in he
    assert '"runtime.ready": "The experiments are live' in en and '"runtime.ready": "הניסויים חיים' in he


def test_missing_languages_are_build_warnings_naming_the_file_line_and_widget(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "maamar.yml").write_text("title: T\n", encoding="utf-8")
    (tmp_path / "content" / "fr.md").write_text(article("fr", "ltr", "gym"), encoding="utf-8")
    result = build(Options(project=tmp_path, file_bundle=False))
    messages = [str(w) for w in result.warnings]
    assert messages[0] == (
        "content/fr.md:1: maamar has no strings for lang 'fr': the page's menus, progress and errors fall back to English"
    )
    assert messages[1] == ("content/fr.md:13: widget 'gym' has no 'fr' strings: its labels and output stay in its own language")
    assert '"runtime.ready": "The experiments are live' in (tmp_path / "site" / "fr.html").read_text(encoding="utf-8")


# Quotation marks in Hebrew: the article (seed text, kept word for word) quotes with
# “…”, so every Hebrew string of the site does too — no „…”, no ASCII ", and ״ only as
# gershayim inside a word (ס״מ), never as a quote.
def hebrew_strings() -> dict[str, str]:
    return {k: v for k, v in i18n.built_in("he").items() if any("\u05d0" <= c <= "\u05ea" for c in v)}


def test_hebrew_strings_quote_the_way_the_article_does():
    article = (ROOT / "content" / "article.md").read_text(encoding="utf-8")
    assert "“" in article and not any(q in article for q in "„«»")
    wrong = {}
    for key, text in hebrew_strings().items():
        stray = [q for q in '„«»"‘’‚' if q in text]
        loose = re.findall(r"(?<![\u05d0-\u05ea])״|״(?![\u05d0-\u05ea])", text)  # ״ not between letters
        if stray or loose or text.count("“") != text.count("”"):
            wrong[key] = text
    assert not wrong, wrong


@pytest.mark.parametrize(
    "phrase",
    [
        "כמה באומץ לתקן",
        "באותה חברה",
        "וראו את התוצאה",
        "כמה התמונה זזה",
        "התמונה זזה",
        "← כחול",
        "קופצת",
        "הפינה של תמר פתוח",
    ],
)
def test_the_phrases_a_review_flagged_are_reworded(phrase):
    """Issue 12's list of Hebrew wording (the replacements are in the strings; "0 מתוך 1
    הניחושים" is a filled-in string: test_one_example_push checks it)."""
    assert not [k for k, v in hebrew_strings().items() if phrase in v]
