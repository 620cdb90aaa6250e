"""Cutting Hebrew text into words ("tokens") the way every widget counts them.

A model that learns that "חתול" keeps company with "חלב" first has to agree on
what a word is.  Hebrew makes that harder than English in three ways, and each
rule here answers one of them:

* Niqqud and cantillation marks (U+0591–U+05C7) change the spelling but not the
  word, so they are removed: "חָתוּל" and "חתול" are one token.  Maqaf (U+05BE),
  like the ASCII hyphen, joins two words ("על־פי"), so it is treated as a space;
  paseq, sof pasuq and nun hafukha are punctuation.
* Geresh and gershayim live *inside* words: "צ׳אט", "ג׳ינג׳י", "ר״ת", "ס״מ".
  A geresh stays in a word when a Hebrew letter follows it or when it follows a
  single letter (the numeral "ה׳"); gershayim stay only between two letters.
  The ASCII look-alikes (' and ") are written as ׳ and ״ there, so a word typed
  either way is the same token; everywhere else a quote is punctuation.
* The little words "and, the, in, to, from, that, as" are glued to the next word
  as one-letter prefixes (ו ה ב ל מ ש כ): "והחתול" is "ו" + "ה" + "חתול".  With
  ``detach_prefixes=True`` they are cut off — but only when the rest is a word in
  ``vocabulary`` and the whole is not, because "כלב" is not "כ" + "לב" and "שתה"
  is not "ש" + "תה".  Without a vocabulary nothing is cut: spelling alone cannot
  tell those apart.  ``lexicon()`` builds such a vocabulary from word counts.

Tokens keep their surface form (final letters, Latin case) so they can be shown
back to the reader; comparisons go through ``key()``, which also folds final
letters (``normalize_finals``: "ך" → "כ" …) and Latin case, because a reader who
types "שלומ" or "Cat" means "שלום" and "cat".

Latin words and numbers ("GPT", "3.5", "10:30") are tokens of their own; any
other visible character (punctuation, an emoji) is a one-character token.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

PREFIX_LETTERS = "והבלמשכ"
FINALS = str.maketrans("ךםןףץ", "כמנפצ")
GERESH, GERSHAYIM, MAQAF = "\u05f3", "\u05f4", "\u05be"
# Marks to drop: points and accents.  Maqaf, paseq (05C0), sof pasuq (05C3) and
# nun hafukha (05C6) are in the same block but are punctuation, not marks.
_MARKS = dict.fromkeys(c for c in range(0x0591, 0x05C8) if c not in (0x05BE, 0x05C0, 0x05C3, 0x05C6))
# Invisible characters that would otherwise split or glue words unpredictably.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff\u061c\u00ad")
)

_HEB = "\u05d0-\u05ea\u05f0-\u05f2"
_TOKEN = re.compile(
    rf"(?P<heb>[{_HEB}]+(?:(?:[{GERESH}'][{_HEB}]+)|(?:[{GERSHAYIM}\"][{_HEB}]+))*"
    rf"(?:(?<=(?<![{_HEB}])[{_HEB}])[{GERESH}']|{GERESH})?)"
    r"|(?P<num>\d+(?:[.,:]\d+)*)"
    r"|(?P<latin>[A-Za-z][A-Za-z0-9]*(?:'[A-Za-z]+)?)"
    rf"|(?P<sep>[\s\-{MAQAF}\u2010\u2011]+)"
    r"|(?P<other>\S)"
)

# Small everyday words that look like prefix + word but are one word.  The
# vocabulary rule already protects them when they are in it; this list protects
# them when a vocabulary is built from counts in which the "rest" is more common.
# Stored by comparison form (finals folded), like every lookup.
WHOLE_WORDS = frozenset(
    w.translate(FINALS)
    for w in (
        "שתה שלי שלך שלו שלה שלנו שלכם שלהם כלב כלבה מדף מרק מים שמים לחם לבן לבנה שבת מלח "
        "כדור מטבח מאז כבר ככה לכן שמש הלך היום לקח למד שמן שמונה הבין הכי משקל "
        "כמה למה כמעט מלא כאב כבד לבד מעט מאמן בצל ברק ליד לפני כדי בלי הרבה שמה מיד שאל".split()
    )
)
# The order the prefixes stack in: "and", then "that/when", then one of
# "in/to/as" or "from"+"the" — "ומהחתול", "וכשהכלב", "שבבית".  ב/ל/כ swallow the
# article ("בחתול", never "בהחתול"), so ה follows only ו, ש or מ.
PREFIX_CHAIN = re.compile(r"(?=.)ו?(?:כש|ש)?(?:[בלכ]|מ?ה?)")


def strip_marks(text: str) -> str:
    """Text without niqqud/cantillation and without invisible direction marks."""
    return unicodedata.normalize("NFKC", text).translate(_MARKS).translate(_INVISIBLE)


def normalize_finals(word: str) -> str:
    """Final letters folded to their ordinary forms: "ספרים"→"ספרימ", "שלום"→"שלומ".

    Only for comparing: a reader who types a final letter in the middle or an
    ordinary letter at the end still finds the word."""
    return word.translate(FINALS)


def key(token: str) -> str:
    """The form tokens are compared by: finals folded, Latin lowercased."""
    return normalize_finals(token).lower()


def is_hebrew(token: str) -> bool:
    return bool(token) and "\u05d0" <= token[0] <= "\u05f2"


def prefix_splits(word: str):
    """Every way to read ``word`` as prefix letters + a rest of two letters or more,
    shortest prefix first: "מהחתול" → ("מ", "החתול"), ("מה", "חתול")."""
    for cut in range(1, min(5, len(word) - 1)):
        head = word[:cut]
        if PREFIX_CHAIN.fullmatch(head):
            yield head, word[cut:]


def split_prefixes(word: str, vocabulary) -> list[str]:
    """``word`` as [prefix letters..., rest] if it is prefixes glued to a known word.

    The rest must be in ``vocabulary`` (a set of ``key`` forms) and the whole word
    must not be: "כלב" stays whole when "כלב" is known, even though "לב" is too.
    """
    if not vocabulary or key(word) in vocabulary or key(word) in WHOLE_WORDS:
        return [word]
    for head, rest in prefix_splits(word):
        if key(rest) in vocabulary:
            return list(head) + [rest]
    return [word]


@lru_cache(maxsize=8)
def _frozen_keys(vocabulary: frozenset) -> frozenset:
    return frozenset(key(w) for w in vocabulary)


def _keys(vocabulary) -> frozenset:
    if isinstance(vocabulary, frozenset):
        return _frozen_keys(vocabulary)
    return frozenset(key(w) for w in vocabulary)


def tokenize(text: str, detach_prefixes: bool = False, vocabulary=None) -> list[str]:
    """The tokens of ``text``: Hebrew words, Latin words, numbers and symbols.

    ``vocabulary`` is a set of known words (compared by ``key``); it is used only
    with ``detach_prefixes``.  Pass a frozenset (``lexicon`` returns one) when
    tokenizing many lines: its comparison forms are then computed once.
    """
    known = _keys(vocabulary) if detach_prefixes and vocabulary else None
    tokens: list[str] = []
    for match in _TOKEN.finditer(strip_marks(str(text))):
        kind, value = match.lastgroup, match.group()
        if kind == "sep":
            continue
        if kind == "heb":
            value = value.replace("'", GERESH).replace('"', GERSHAYIM)
            tokens.extend(split_prefixes(value, known) if known else [value])
        elif kind == "other" and unicodedata.category(value)[0] in "CZ":
            continue  # control and format characters are not text
        else:
            tokens.append(value)
    return tokens


def lexicon(counts: Counter, min_count: int = 1) -> frozenset[str]:
    """The words of ``counts`` that stand on their own, as a ``vocabulary``.

    A word stands on its own when it occurs bare, or — if it is three letters or
    more — after two different prefix letters ("במטבח", "המטבח": "מטבח" is a word even
    if the corpus never writes it alone).  Shortest words are decided first, so
    a word is read as "prefix + rest" only when the rest stands on its own, and
    then only when the prefix ends in "ה" or starts with "ו" (the, and: in
    everyday text almost always the article and the conjunction), or when the
    rest occurs at least as often in other forms; otherwise the word is its own
    ("כלב", "מדף", "שתה" — ``WHOLE_WORDS`` keeps the common look-alikes whole in
    any case).  Words cut this way are not in the result, so ``tokenize`` cuts them.
    """
    totals: Counter = Counter()
    for word, n in counts.items():
        totals[key(word)] += n
    heads: dict[str, set[str]] = {}
    forms: Counter = Counter()  # how often each possible rest occurs, bare or prefixed
    for k, n in totals.items():
        heads.setdefault(k, set()).add("")
        forms[k] += n
        for head, rest in prefix_splits(k):
            heads.setdefault(rest, set()).add(head[-1])  # "ול" and "ל" are one kind of evidence
            forms[rest] += n
    candidates = [w for w in heads if w in totals or (len(w) >= 3 and len(heads[w]) >= 2)]
    standing: set[str] = set()
    for k in sorted(candidates, key=lambda w: (len(w), w)):
        n = totals.get(k, 0)
        glued = (
            n > 0
            and is_hebrew(k)
            and k not in WHOLE_WORDS
            and any(
                rest in standing and (head[-1] == "ה" or head[0] == "ו" or forms[rest] - n >= n)
                for head, rest in prefix_splits(k)
            )
        )
        if not glued:
            standing.add(k)
    stems = {k for k in standing if k not in totals}
    return frozenset([w for w, n in counts.items() if n >= min_count and key(w) in standing] + sorted(stems))


def word_counts(lines: Iterable[str]) -> Counter:
    """Surface counts of Hebrew words (no prefix cutting) — the input to ``lexicon``."""
    return Counter(tok for line in lines for tok in tokenize(line) if is_hebrew(tok))


def spaces(tokens: Sequence[str]) -> list[bool]:
    """For each token, whether a space goes before it when the tokens are written out:
    none before the first, before punctuation that hugs the word in front ("רחל.",
    a closing quote ”), or after a lone prefix letter, an opening bracket or an opening
    quote (“ or „).  The one rule for every place that writes tokens as text, whole
    (``detokenize``) or as marked-up runs."""
    out, glue = [], True
    for tok in tokens:
        if len(tok) == 1 and tok in ".,;:!?)]}…״”":
            out.append(False)
            glue = False
            continue
        out.append(not glue)
        glue = len(tok) == 1 and tok in PREFIX_LETTERS + "([{“„"
    return out


def strip_prefixes(word: str, most: int = 3, rest: int = 3) -> list[tuple[str, str]]:
    """Every way to peel up to ``most`` glued prefix letters (ו ה ב ל מ ש כ, in any
    order) off ``word`` leaving at least ``rest`` letters, fewest first:
    "ובשקיעה" → [("ו", "בשקיעה"), ("וב", "שקיעה")].  Spelling only: the caller
    decides which reading is a word (``split_prefixes`` does it with a vocabulary)."""
    out = []
    for cut in range(1, min(most, len(word) - rest) + 1):
        if word[cut - 1] not in PREFIX_LETTERS:
            break
        out.append((word[:cut], word[cut:]))
    return out


def detokenize(tokens: Iterable[str]) -> str:
    """Tokens back to readable text: prefixes glued on, punctuation hugging its word."""
    tokens = list(tokens)
    return "".join((" " if space else "") + tok for space, tok in zip(spaces(tokens), tokens))


@lru_cache(maxsize=4096)
def forms(word: str) -> frozenset[str]:
    """The word for comparing, with and without one to three glued prefix letters
    (only when at least three letters remain): "בטלפון" → {"בטלפונ", "טלפונ"}."""
    k = key(word)
    return frozenset([k] + ([stem for _, stem in strip_prefixes(k)] if is_hebrew(k) else []))


def same_word(a: str, b: str) -> bool:
    """The same word up to glued prefixes ("שישי" ~ "בשישי", "בטלפון" ~ "הטלפון")."""
    return bool(forms(a) & forms(b))


# Words that ask rather than say ("what", "who is", "the word"), and question
# punctuation, by comparison form: a question minus these is what it is about.
QUESTION_WORDS = frozenset(key(w) for w in "מה למה איך מי מתי איפה האם זה זאת הוא היא מהו מהי פירוש המילה ? ! . , :".split())


def is_question_word(token: str) -> bool:
    return key(token) in QUESTION_WORDS


SENTENCE_ENDS = (".", "!", "?")


def sentences(tokens) -> list[list[str]]:
    """Tokens split into sentences, each ending after ``.``, ``!`` or ``?`` (a last
    sentence without one is kept): the one sentence splitter of the text widgets."""
    out, current = [], []
    for token in tokens:
        current.append(token)
        if token in SENTENCE_ENDS:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out
