"""Stage 2, parse: ``::: widget KIND`` blocks inside Markdown.

Built the way Python-Markdown's own ``admonition`` extension is: an ``Extension``
registering a ``BlockProcessor`` with ``test()``/``run()``.  The only help it
gets is a tiny preprocessor that writes each opener's line number into the
opener itself, because Python-Markdown's blocks carry no line numbers and every
error must name one.

    ::: widget training-loop
    examples: 40
    :::

Each directive is validated against the widget registry (``{kind: module}`` with
a ``PARAMS`` dict of ``spec.Param``); problems are collected, not raised, so one
build reports all of them.  A valid directive is handed to ``render_widget``,
whose HTML goes into the page through Markdown's own raw-HTML stash.
"""

from __future__ import annotations

import difflib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field
from typing import Callable

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.preprocessors import Preprocessor

from maamar_live.kit.spec import Param, shown

from .errors import ContentError

OPENER = re.compile(r"^:::\s*widget\b(?P<rest>.*)$")
LINE_MARK = re.compile(r"\s*\{@line=(\d+)\}\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")
# Options of the directive itself, not of the widget: never sent to the widget's run().
DIRECTIVE_OPTIONS = {"source": "true adds a closed disclosure with the widget's own Python source"}


@dataclass
class WidgetUse:
    kind: str
    params: dict
    line: int
    index: int
    id: str = ""  # the figure's id, the name a share link uses: kind, kind-2, ... or the directive's 'id:'
    source: bool = False  # directive option: show the widget module's source under it


@dataclass
class DirectiveLog:
    """What the extension found in one page: valid uses and errors."""

    path: str
    line_offset: int = 0
    uses: list[WidgetUse] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)
    warnings: list[ContentError] = field(default_factory=list)
    own_html: set[int] = field(default_factory=set)  # htmlStash indexes holding our widgets' HTML
    ids: dict[str, int] = field(default_factory=dict)  # widget id -> line of its directive

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(ContentError(self.path, line, message))


def _suggest(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


class LineNumbers(Preprocessor):
    """Append ``{@line=N}`` to every directive opener outside fenced code."""

    def __init__(self, md, log: DirectiveLog):
        super().__init__(md)
        self.log = log

    def run(self, lines):
        out, fence = [], None
        for number, line in enumerate(lines, start=1 + self.log.line_offset):
            marker = FENCE.match(line)
            if marker:
                fence = None if fence == marker.group(1) else fence or marker.group(1)
            if fence is None and OPENER.match(line.strip()):
                line = f"{line.rstrip()} {{@line={number}}}"
            out.append(line)
        return out


class WidgetBlockProcessor(BlockProcessor):
    # Directive options: lines that configure the widget on the page rather than its experiment.
    OPTIONS = ("id",)
    # A widget id goes into share links (#id:name=value,...), so no ':', ',', '&', '=' or spaces.
    VALID_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
    # The ids widgets had before (widget-1, widget-2, ...): old links still reach the n-th widget.
    NUMBERED_ID = re.compile(r"^widget-\d+$")

    def __init__(self, parser, widgets: dict, log: DirectiveLog, render_widget: Callable[[WidgetUse], str]):
        super().__init__(parser)
        self.widgets = widgets
        self.log = log
        self.render_widget = render_widget

    def test(self, parent, block):
        return bool(OPENER.match(block.lstrip().split("\n", 1)[0]))

    def run(self, parent, blocks):
        first = blocks.pop(0).lstrip()
        opener, _, rest = first.partition("\n")
        mark = LINE_MARK.search(opener)
        line = int(mark.group(1)) if mark else 0
        opener = LINE_MARK.sub("", opener)
        body_lines = rest.split("\n") if rest else []
        closed = False
        collected: list[str] = []
        # The body may span blank lines, i.e. several Markdown blocks: read until ':::'.
        while True:
            for i, text in enumerate(body_lines):
                if text.strip() == ":::":
                    closed = True
                    remainder = "\n".join(body_lines[i + 1 :]).strip("\n")
                    if remainder:
                        blocks.insert(0, remainder)
                    break
                collected.append(text)
            if closed or not blocks or self.test(parent, blocks[0]):
                break
            collected.append("")
            body_lines = blocks.pop(0).split("\n")
        if not closed:
            self.log.error(line, "widget block is not closed: add a line with ':::' after its parameters")
            return
        use = self.parse(opener, collected, line)
        if use is not None:
            self.log.uses.append(use)
            stash = self.parser.md.htmlStash
            placeholder = stash.store(self.render_widget(use))
            self.log.own_html.add(len(stash.rawHtmlBlocks) - 1)
            etree.SubElement(parent, "p").text = placeholder

    def parse(self, opener: str, body: list[str], line: int) -> WidgetUse | None:
        kind = OPENER.match(opener.strip()).group("rest").strip()
        errors_before = len(self.log.errors)
        if not kind:
            self.log.error(line, f"widget kind missing: write '::: widget KIND' with one of {', '.join(sorted(self.widgets))}")
            return None
        if kind not in self.widgets:
            self.log.error(line, f"unknown widget '{shown(kind)}'{_suggest(kind, self.widgets)}")
            return None
        spec = self.widgets[kind].PARAMS
        # A default that names a string (Param key) is left to the run: it reads it in the page's language.
        params = {name: p.default for name, p in spec.items() if not p.key}
        options = {"source": False}
        seen: set[str] = set()
        chosen_id, id_line = "", line
        for offset, text in enumerate(body, start=1):
            if not text.strip() or text.strip().startswith("#"):
                continue
            at = line + offset
            name, colon, raw = text.partition(":")
            name = name.strip()
            if not colon or not name:
                self.log.error(at, f"expected 'name: value' inside widget '{kind}', got '{shown(text.strip())}'")
                continue
            if name in self.OPTIONS:
                if chosen_id:
                    self.log.error(at, "'id' is given twice")
                else:
                    chosen_id, id_line = raw.strip(), at
                    self.check_id(chosen_id, at)
                continue
            if name in DIRECTIVE_OPTIONS and name not in spec:
                if name in seen:
                    self.log.error(at, f"option '{name}' is given twice")
                    continue
                seen.add(name)
                try:
                    options[name] = Param("bool", False).parse(raw)
                except ValueError as exc:
                    self.log.error(at, f"option '{name}' {exc} ({DIRECTIVE_OPTIONS[name]})")
                continue
            if name not in spec:
                known = ", ".join(sorted(spec)) or "none"
                self.log.error(
                    at, f"unknown parameter '{shown(name)}' for widget '{kind}'{_suggest(name, spec) or f' (known: {known})'}"
                )
                continue
            if name in seen:
                self.log.error(at, f"parameter '{name}' is given twice")
                continue
            seen.add(name)
            try:
                params[name] = spec[name].parse(raw)
            except ValueError as exc:
                self.log.error(at, f"parameter '{name}' of widget '{kind}' {exc}")
        if len(self.log.errors) > errors_before:
            return None
        widget_id = chosen_id or self.automatic_id(kind)
        self.log.ids[widget_id] = id_line
        return WidgetUse(kind, params, line, len(self.log.uses), widget_id, source=options["source"])

    def check_id(self, widget_id: str, at: int) -> None:
        if not self.VALID_ID.match(widget_id):
            self.log.error(
                at,
                f"id '{shown(widget_id)}' is not a valid widget id: start with a letter, then letters, "
                "digits, '-' or '_' (at most 64), e.g. 'id: first-try'",
            )
        elif self.NUMBERED_ID.match(widget_id):
            self.log.error(
                at,
                f"id '{widget_id}' looks like an old numbered id, which links still use for the "
                "n-th widget: choose a name, e.g. 'id: first-try'",
            )
        elif widget_id in self.log.ids:
            self.log.error(
                at,
                f"id '{widget_id}' is already the id of the widget on line {self.log.ids[widget_id]}: ids are unique on a page",
            )

    def automatic_id(self, kind: str) -> str:
        """The kind for its first widget on the page, then kind-2, kind-3, ... (skipping ids given by hand)."""
        if kind not in self.log.ids:
            return kind
        n = 2
        while f"{kind}-{n}" in self.log.ids:
            n += 1
        return f"{kind}-{n}"


class WidgetExtension(Extension):
    def __init__(self, widgets: dict, log: DirectiveLog, render_widget: Callable[[WidgetUse], str]):
        super().__init__()
        self.widgets, self.log, self.render_widget = widgets, log, render_widget

    def extendMarkdown(self, md: Markdown) -> None:
        # Priority 35: before normalize_whitespace (30) and fenced code, so lines are still the author's lines.
        md.preprocessors.register(LineNumbers(md, self.log), "widget_line_numbers", 35)
        md.parser.blockprocessors.register(
            WidgetBlockProcessor(md.parser, self.widgets, self.log, self.render_widget), "widget", 105
        )
