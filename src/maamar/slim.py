"""Served copies of the theme's JavaScript and CSS without their comments and indentation.

The sources keep their comments (they are the documentation); the reader's browser
does not need them (a quarter of the page's script bytes, gzip'd).

JavaScript: only whole-line changes, so no tokenizer is needed (a regular
expression literal cannot be told from a division without one): indentation
goes, blank lines go, a line that is only a ``//`` comment goes, and a ``/* … */``
comment that starts a line and ends one goes.  Lines inside a multi-line template
literal (an odd count of backticks opens or closes one) are left exactly as
written, since their whitespace is part of a string.  A trailing ``//`` comment
goes only where it cannot be part of a string or a regular expression: no ``/``
and no backtick before it on the line, and outside the line's quoted strings.  CSS: every comment goes
(outside quoted strings), then indentation and blank lines.  Anything
unterminated: the text is served unchanged.
"""

from __future__ import annotations

import re

_BACKTICK = re.compile(r"(?<!\\)`")


def _without_trailing_comment(line: str) -> str:
    """``line`` (stripped code) without a trailing ``//`` comment, if it surely is one."""
    cut = line.find("//")
    code = line[:cut]
    if cut <= 0 or "/" in code or "`" in code or not code[-1].isspace():
        return line
    quote = ""
    escaped = False
    for ch in code:  # no "/" before the comment: no regular expression, only plain strings
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
    return line if quote else code.rstrip()


def _lines(text: str) -> list[str]:
    out: list[str] = []
    in_template = in_comment = False
    for line in text.splitlines():
        stripped = line.strip()
        if in_template:
            out.append(line)
        elif in_comment:
            in_comment = not stripped.endswith("*/")
            continue
        elif stripped.startswith("/*"):
            if "*/" not in stripped:
                in_comment = True
                continue
            if stripped.endswith("*/") and stripped.index("*/") == len(stripped) - 2:
                continue
            out.append(stripped)  # code after a short comment: kept whole
        elif not stripped or stripped.startswith("//"):
            continue
        else:
            out.append(_without_trailing_comment(stripped))
        if len(_BACKTICK.findall(line)) % 2:
            in_template = not in_template
    if in_comment or in_template:
        raise ValueError("unterminated comment or template literal: served unchanged")
    return out


def slim_js(text: str) -> str:
    try:
        return "\n".join(_lines(text)) + "\n"
    except ValueError:
        return text


def _css_without_comments(text: str) -> str:
    """CSS has no regular expressions, so a comment is exactly a ``/*`` outside a
    quoted string up to the next ``*/``: a scan removes every one of them."""
    out, i, quote = [], 0, ""
    while i < len(text):
        ch = text[i]
        if quote:
            out.append(ch)
            if ch == "\\":
                out.append(text[i + 1 : i + 2])
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            if end < 0:
                raise ValueError("unterminated comment")
            i = end + 1
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def slim_css(text: str) -> str:
    try:
        lines = (line.strip() for line in _css_without_comments(text).splitlines())
    except ValueError:
        return text
    return "\n".join(line for line in lines if line) + "\n"
