"""tokenizer: Hebrew words, marks, geresh/gershayim, finals and prefixes, on concrete cases."""

from collections import Counter

import pytest

from maamar_live.text.tokenizer import (
    detokenize,
    spaces,
    is_hebrew,
    key,
    lexicon,
    normalize_finals,
    prefix_splits,
    split_prefixes,
    strip_marks,
    tokenize,
    word_counts,
)


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("החתול שתה חלב.", ["החתול", "שתה", "חלב", "."]),
        ("חָתוּל קָטָן", ["חתול", "קטן"]),  # niqqud dropped
        ("בְּרֵאשִׁ֖ית בָּרָ֣א", ["בראשית", "ברא"]),  # cantillation too
        ("על־פי החוברת", ["על", "פי", "החוברת"]),  # maqaf separates
        ("צעד-אחר-צעד", ["צעד", "אחר", "צעד"]),  # so does a hyphen
        ("צ׳אט וג׳ינג׳י", ["צ׳אט", "וג׳ינג׳י"]),  # geresh stays inside
        ("צ'יפס", ["צ׳יפס"]),  # ASCII apostrophe becomes geresh
        ('ר״ת וצה"ל', ["ר״ת", "וצה״ל"]),  # gershayim between letters
        ("ה׳ באייר", ["ה׳", "באייר"]),  # a numeral letter keeps its geresh
        ('אמרה "שלום" ויצאה', ["אמרה", '"', "שלום", '"', "ויצאה"]),  # quotes around a word are punctuation
        ("'חתול'", ["'", "חתול", "'"]),
        ("“חתול” מופיעה קרוב ל”חלב”", ["“", "חתול", "”", "מופיעה", "קרוב", "ל", "”", "חלב", "”"]),
        ("שולחים שאלה לצ׳אט-GPT", ["שולחים", "שאלה", "לצ׳אט", "GPT"]),  # Latin words are tokens
        ("3.5 ק״ג ב-10:30, 1,000 פעם", ["3.5", "ק״ג", "ב", "10:30", ",", "1,000", "פעם"]),
        ("מה?! באמת…", ["מה", "?", "!", "באמת", ".", ".", "."]),  # one token a mark; NFKC: … is ...
        ("😀 hi", ["😀", "hi"]),
        ("\u202eחתול\u200f", ["חתול"]),  # direction marks are not text
        ("", []),
        ("   \n\t ", []),
    ],
)
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_surface_forms_are_kept_and_compared_by_key():
    assert tokenize("שלום ספרים") == ["שלום", "ספרים"]  # finals kept for display
    assert normalize_finals("ךםןףץ") == "כמנפצ"
    assert normalize_finals("שלום") == normalize_finals("שלומ") == "שלומ"
    assert key("Cat") == key("cat") and key("ארון") == key("ארונ")


def test_strip_marks_keeps_maqaf_and_sof_pasuq():
    assert strip_marks("שָׁלוֹם") == "שלום"
    assert "\u05be" in strip_marks("על\u05beפי") and "\u05c3" in strip_marks("סוף\u05c3")


def test_prefixes_are_detached_only_before_a_known_word():
    vocab = {"חתול", "חלב", "כלב", "שתה", "לב", "תה", "בית"}
    assert tokenize("והחתול שתה חלב", detach_prefixes=True, vocabulary=vocab) == ["ו", "ה", "חתול", "שתה", "חלב"]
    assert tokenize("מהחלב", detach_prefixes=True, vocabulary=vocab) == ["מ", "ה", "חלב"]
    assert tokenize("וכשהכלב", detach_prefixes=True, vocabulary=vocab) == ["ו", "כ", "ש", "ה", "כלב"]
    # the whole word is known: "כלב" is not כ+לב, "שתה" is not ש+תה
    assert tokenize("כלב שתה", detach_prefixes=True, vocabulary=vocab) == ["כלב", "שתה"]
    # nothing known after the prefix: left alone
    assert tokenize("הגשם", detach_prefixes=True, vocabulary=vocab) == ["הגשם"]
    # without a vocabulary nothing is cut, and without the flag neither
    assert tokenize("והחתול", detach_prefixes=True) == ["והחתול"]
    assert tokenize("והחתול", vocabulary=vocab) == ["והחתול"]
    # the rest must be two letters or more; comparison by key finds final forms
    assert split_prefixes("בא", {"א"}) == ["בא"] and split_prefixes("בית", {"ית"}) == ["ב", "ית"]
    assert split_prefixes("והארון", {"ארונ"}) == ["ו", "ה", "ארון"]


def test_prefix_splits_follow_the_order_prefixes_stack_in():
    heads = [h for h, _ in prefix_splits("ומהחתול")]
    assert heads == ["ו", "ומ", "ומה"]
    assert [h for h, _ in prefix_splits("בהחלטה")] == ["ב"]  # ב swallows the article: no "בה"
    assert list(prefix_splits("לב")) == []


def test_lexicon_cuts_prefixes_but_keeps_look_alike_words():
    counts = Counter(
        {
            "חתול": 5,
            "החתול": 9,
            "לחתול": 2,
            "והחתול": 1,
            "כלב": 8,
            "לב": 1,
            "המטבח": 3,
            "במטבח": 2,
            "שתה": 4,
            "תה": 2,
            "מדף": 3,
            "דף": 1,
            "ליד": 5,
            "יד": 1,
        }
    )
    lex = lexicon(counts)
    assert {"חתול", "כלב", "שתה", "מדף", "ליד", "לב", "תה"} <= lex
    assert not {"החתול", "לחתול", "והחתול", "המטבח", "במטבח"} & lex
    assert "מטבח" in lex  # never bare, but after ה and ב
    assert tokenize("במטבח", detach_prefixes=True, vocabulary=lex) == ["ב", "מטבח"]


def test_word_counts_and_is_hebrew():
    assert word_counts(["החתול שתה חלב.", "GPT 3 חלב"]) == Counter({"החתול": 1, "שתה": 1, "חלב": 2})
    assert is_hebrew("חתול") and not is_hebrew("GPT") and not is_hebrew("3") and not is_hebrew("")


def test_detokenize_glues_prefixes_and_punctuation():
    assert detokenize(["ו", "ה", "חתול", "שתה", "חלב", "."]) == "והחתול שתה חלב."
    assert detokenize(["מה", "?", "כן", ",", "ברור"]) == "מה? כן, ברור"


def test_strip_prefixes_peels_glued_letters_fewest_first():
    from maamar_live.text.tokenizer import strip_prefixes

    assert strip_prefixes("ובשקיעה") == [("ו", "בשקיעה"), ("וב", "שקיעה"), ("ובש", "קיעה")]
    assert strip_prefixes("ובשקיעה", most=2) == [("ו", "בשקיעה"), ("וב", "שקיעה")]
    assert strip_prefixes("בית") == []  # a rest of two letters is not enough by default
    assert strip_prefixes("בית", rest=2) == [("ב", "ית")]
    assert strip_prefixes("חתול") == [] and strip_prefixes("cat") == []  # stops at the first non-prefix letter


def test_forms_compare_a_word_with_and_without_its_prefixes():
    from maamar_live.text.tokenizer import forms, same_word

    assert forms("בטלפון") == {"בטלפונ", "טלפונ"}
    assert forms("Cat") == {"cat"} and forms("לב") == {"לב"}
    assert same_word("שישי", "בשישי") and same_word("בטלפון", "הטלפון") and not same_word("כלב", "חתול")


def test_sentences_end_after_a_full_stop_question_or_exclamation_mark():
    from maamar_live.text.tokenizer import sentences

    assert sentences(tokenize("אני דנה. מה שלומך? מצוין! ועוד")) == [
        ["אני", "דנה", "."],
        ["מה", "שלומך", "?"],
        ["מצוין", "!"],
        ["ועוד"],
    ]
    assert sentences([]) == []


def test_question_words_are_what_a_question_asks_with():
    from maamar_live.text.tokenizer import is_question_word

    asked = [w for w in tokenize("מה זה פיברופלקס? איך קוראים לכלב שלי!") if not is_question_word(w)]
    assert asked == ["פיברופלקס", "קוראים", "לכלב", "שלי"]
    assert is_question_word("איך") and is_question_word("איכ")  # compared by key: final letters folded


def test_spaces_say_where_written_text_has_a_space_between_tokens():
    tokens = ["סבתא", "רחל", ".", "ו", "איתי", ",", "אז", "(", "כן", ")"]
    assert spaces(tokens) == [False, True, False, True, False, False, True, True, False, False]
    assert detokenize(tokens) == "סבתא רחל. ואיתי, אז (כן)"
    assert spaces([]) == [] and spaces([","]) == [False]
    assert detokenize(tokenize("בית הקפה “הפינה של תמר” פתוח")) == "בית הקפה “הפינה של תמר” פתוח"
