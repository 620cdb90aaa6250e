"""The only way widget Python makes markup: escaped text inside known tags.

Reader-typed text reaches the page only through ``esc`` (or ``ltr``/``num`` which
call it), so it can never become markup.  Bidi control characters are removed
from reader text because an unpaired RLO/LRO would reorder the rest of the line.
"""

from __future__ import annotations

import html
import unicodedata
from bisect import bisect_right

from .i18n import direction, t

BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"))


def clean(text: str, max_length: int | None = None) -> str:
    """Reader text made safe to show: no bidi overrides, no control characters, bounded length."""
    text = str(text).translate(BIDI_CONTROLS)
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    if max_length is not None:
        text = text[:max_length]
    return text


def esc(text) -> str:
    return html.escape(clean(str(text)), quote=True)


MINUS = "\u2212"  # the typographic minus sign: a hyphen is too short and wraps apart


def number_text(value: float, digits: int = 2) -> str:
    """A number as plain text (summaries, plot descriptions): grouped thousands, a real
    minus sign, and no sign at all on a value that rounds to zero ("0.00", not "−0.00")."""
    body = f"{value:,}" if isinstance(value, int) else f"{value:,.{digits}f}"
    if body.startswith("-"):
        body = body[1:] if not body.strip("-0.,") else MINUS + body[1:]
    return body


def num(value: float, digits: int = 2, unit: str = "") -> str:
    """A number for Hebrew prose: isolated left-to-right so signs and decimals stay put.

    A ``unit`` such as ``%`` goes inside the isolate: outside it, the bidi
    algorithm would no longer attach it to the number and RTL text shows ``%33``.
    """
    return f'<bdi class="num" dir="ltr">{html.escape(number_text(value, digits) + unit)}</bdi>'


def ltr(text: str) -> str:
    """Latin words, code or tokens inside Hebrew prose, isolated."""
    return f'<bdi dir="ltr">{esc(text)}</bdi>'


def crosses(text: str, around: str | None = None) -> bool:
    """Whether ``text`` holds letters written the other way from the text ``around`` it
    ("rtl" or "ltr"; the page's direction unless given): Hebrew in an English sentence,
    Latin in a Hebrew one."""
    other = ("L",) if (around or direction()) == "rtl" else ("R", "AL")
    return any(unicodedata.bidirectional(ch) in other for ch in str(text))


def isolate(text: str, around: str | None = None, body: str | None = None) -> str:
    """Data text (a corpus word, a line a model wrote) inside a sentence of the page:
    escaped, and in a ``<bdi>`` (its direction from its own first letter) when it
    :func:`crosses` the direction around it, so the punctuation it ends with stays
    with it and the sentence's own punctuation stays outside.  ``body``: the markup
    to wrap instead of ``esc(text)`` (``text`` is then only read for its letters)."""
    body = esc(text) if body is None else body
    return f"<bdi>{body}</bdi>" if crosses(text, around) else body


VOID = {"img", "br", "hr", "input", "wbr"}


def tag(name: str, body: str = "", **attrs) -> str:
    """An element with escaped attributes; ``body`` must already be safe markup.

    Void elements (``img``, ``br``…) get no closing tag and must have no body.
    """
    parts = [name]
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        parts.append(key if value is True else f'{key}="{html.escape(str(value), quote=True)}"')
    if name in VOID:
        if body:
            raise ValueError(f"<{name}> cannot have content")
        return f"<{' '.join(parts)}>"
    return f"<{' '.join(parts)}>{body}</{name}>"


def shown(text: str, max_length: int) -> str:
    """Reader text ready to show: ``markup.clean`` (no bidi overrides, no control
    characters, bounded) and no unpaired surrogates (JavaScript strings may carry them)."""
    return clean(str(text).encode("utf-8", "replace").decode("utf-8"), max_length).strip()


def image(url: str, alt: str, size: int, class_: str = "generated") -> str:
    """An ``<img>`` of a generated picture; ``tag`` escapes every attribute.  Lazy:
    in the page the build writes, ``url`` is a file (``kit.png.picture_url``) that
    need not hold back anything above it; in the browser, a ``data:`` URL."""
    return tag("img", class_=class_, src=url, alt=alt, width=int(size), height=int(size), loading="lazy", decoding="async")


CONFIDENCE = (0.1, 0.3, 0.6)  # shades of a generated word: below 10%, 10–30%, 30–60%, 60% and up


def confidence(p: float) -> int:
    """Which shade (0..3) a word the model gave probability ``p`` gets (class ``conf-N``)."""
    return bisect_right(CONFIDENCE, p)


def confident_word(word: str, p: float, title: str, classes: str = "", isolate: bool = False) -> str:
    """One generated word, shaded by the model's confidence in it; ``isolate`` for numbers
    and Latin inside Hebrew."""
    cls = f"tok conf-{confidence(p)}" + (f" {classes}" if classes else "")
    return tag("span", esc(word), class_=cls, title=title, dir="ltr" if isolate else None)


def confidence_legend(labels: list[str], extra: list[tuple[str, str]] = ()) -> str:
    """The legend of the shades: one sample per shade (``labels``, lowest first), then
    ``extra`` samples as (label, classes)."""
    if len(labels) != len(CONFIDENCE) + 1:
        raise ValueError(f"a confidence legend needs {len(CONFIDENCE) + 1} labels, got {len(labels)}")
    samples = [tag("span", esc(label), class_=f"tok conf-{i}") for i, label in enumerate(labels)]
    samples += [tag("span", esc(label), class_=f"tok {classes}") for label, classes in extra]
    return tag("p", " ".join(samples), class_="legend")


def how(body: str) -> str:
    """A widget's "how it works" paragraph (``body`` already safe markup), closed under a
    disclosure so that the first thing in view is the output; the binder keeps it open
    across actions once the reader opens it."""
    return tag("details", tag("summary", esc(t("widget.how"))) + tag("p", body, class_="explain"), class_="how")
