"""Stage 2 + 3 for code cells: ```` ```python live ```` fences, run at build time.

    ```python live collapsed="The code behind the experiment"
    x = 6 * 7
    print(x)
    ```

``CellPreprocessor`` (a Python-Markdown ``Preprocessor`` that runs before
``fenced_code``) finds every cell of a page with its line in the Markdown file
and its options, hands all of them at once to ``render_cells`` and puts each
cell's HTML into the page through Markdown's raw-HTML stash, as the widget
directive does.  The cells of one page run together because they share one
namespace, in page order.

``run_cells`` runs them in a child Python (``python -m maamar_live.cells``):
the runner is the same function the browser's worker calls, and a child can be
killed when a cell overruns its time budget, which a thread cannot.
"""

from __future__ import annotations

import difflib
import json
import os
import queue
import re
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

import maamar_live

from .errors import ContentError

TIME_BUDGET = 10.0  # seconds each cell may take at build time
START_BUDGET = 60.0  # seconds the child Python may take to start
OPTIONS = ("hidden", "collapsed", "error")


@dataclass
class CellUse:
    index: int  # 1-based, in page order
    line: int  # the line of the opening fence in the Markdown file
    code: str
    hidden: bool = False  # only the output shows
    collapsed: str | None = None  # None: open; otherwise the closed <details>' title ("" = default)
    error: bool = False  # the author expects the cell to raise
    result: dict = field(default_factory=dict)  # filled by run_cells: {"ok", "outputs", "truncated"}


class CellFence:
    """Which lines open and close fences, so a cell inside another fence stays text."""

    OPEN = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
    CELL = re.compile(r"^python\s+live(?:\s+(?P<options>.*))?$")

    @classmethod
    def closes(cls, line: str, fence: str) -> bool:
        """A closing fence: the same character, at least as many, indented at most 3 spaces."""
        stripped = line.strip()
        return len(line) - len(line.lstrip(" ")) <= 3 and len(stripped) >= len(fence) and set(stripped) == {fence[0]}


def _suggest(word: str) -> str:
    close = difflib.get_close_matches(word, OPTIONS, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else f"known: {', '.join(OPTIONS)}"


class CellPreprocessor(Preprocessor):
    """Replace every ```` ```python live ```` fence by its rendered cell."""

    def __init__(self, md, path: str, line_offset: int, render_cells, cells: list, errors: list):
        super().__init__(md)
        self.path, self.line_offset, self.render_cells = path, line_offset, render_cells
        self.cells, self.errors = cells, errors

    def error(self, line: int, message: str) -> None:
        self.errors.append(ContentError(self.path, line, message))

    def run(self, lines):
        spans = []  # (first, last) line indexes of each cell, fences included
        fence = None
        start = 0
        for i, line in enumerate(lines):
            if fence is not None:
                if CellFence.closes(line, fence[0]):
                    if fence[1] is not None:
                        spans.append((start, i, fence[1]))
                    fence = None
                continue
            opener = CellFence.OPEN.match(line)
            if not opener:
                continue
            cell = CellFence.CELL.match(opener.group("info").strip())
            fence, start = (opener.group("fence"), self.options(cell, i) if cell else None), i
        if fence is not None and fence[1] is not None:
            self.error(start + 1 + self.line_offset, f"code cell is not closed: add a line with {fence[0]} after its code")
            return lines
        for first, last, use in spans:
            use.code = "\n".join(lines[first + 1 : last])
            use.index = len(self.cells) + 1
            self.cells.append(use)
        if not self.cells or self.errors:  # fix the options first: no point running the code
            return lines
        rendered = self.render_cells(self.cells)
        out, done = [], 0
        for (first, last, _), html in zip(spans, rendered):
            out += lines[done:first] + ["", self.md.htmlStash.store(html), ""]
            self.own_html.add(len(self.md.htmlStash.rawHtmlBlocks) - 1)  # ours: the author-HTML policy skips it
            done = last + 1
        return out + lines[done:]

    def options(self, match, i: int) -> CellUse:
        line = i + 1 + self.line_offset
        use = CellUse(0, line, "")
        try:
            words = shlex.split(match.group("options") or "")
        except ValueError as exc:
            self.error(line, f'cell options can\'t be read ({exc}): quote a title like collapsed="The code"')
            return use
        for word in words:
            name, eq, value = word.partition("=")
            if name not in OPTIONS:
                self.error(line, f"unknown cell option '{name}' ({_suggest(name)})")
            elif eq and name != "collapsed":
                self.error(line, f"cell option '{name}' takes no value: write just '{name}'")
            elif name == "collapsed":
                use.collapsed = value
            else:
                setattr(use, name, True)
        if use.hidden and use.collapsed is not None:
            self.error(
                line,
                "a cell can't be both 'hidden' and 'collapsed': hidden shows only the output, "
                "collapsed puts code and output in a closed disclosure",
            )
        return use


class CellExtension(Extension):
    def __init__(
        self, path: str, line_offset: int, render_cells: Callable[[list[CellUse]], list[str]], own_html: set[int] | None = None
    ):
        super().__init__()
        self.path, self.line_offset, self.render_cells = path, line_offset, render_cells
        self.own_html = set() if own_html is None else own_html  # stash indexes of our HTML (DirectiveLog.own_html)
        self.cells: list[CellUse] = []
        self.errors: list[ContentError] = []

    def extendMarkdown(self, md: Markdown) -> None:
        # After normalize_whitespace (30) and before fenced_code (25): lines are still the author's lines.
        cells = CellPreprocessor(md, self.path, self.line_offset, self.render_cells, self.cells, self.errors)
        cells.own_html = self.own_html
        md.preprocessors.register(cells, "code_cells", 28)


# ---------------------------------------------------------------------------
# Running a page's cells at build time
# ---------------------------------------------------------------------------
class CellFailed(Exception):
    def __init__(self, cell: CellUse, message: str):
        super().__init__(message)
        self.cell = cell


def _reader(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_cells(
    cells: list[CellUse],
    page: str,
    cwd: Path | None = None,
    project_widgets: Path | None = None,
    project_modules: dict | None = None,
    budget: float = TIME_BUDGET,
) -> None:
    """Run ``cells`` in order in one namespace and fill in each ``result``.

    Raises ``CellFailed`` for the first cell that raised without being marked
    ``error``, that was marked ``error`` and did not raise, that took longer
    than ``budget`` seconds, or that ended the child Python itself.
    """
    here = str(Path(maamar_live.__file__).resolve().parents[1])
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([here, *[p for p in sys.path if p]]), PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8"
    )
    request = {
        "page": page,
        "cells": [{"code": c.code, "index": c.index} for c in cells],
        "project_widgets": str(project_widgets) if project_widgets and project_widgets.is_dir() else None,
        "project_modules": project_modules or {},
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "maamar_live.cells"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=str(cwd) if cwd else None,
        env=env,
        text=True,
        encoding="utf-8",
    )
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_reader, args=(child.stdout, lines), daemon=True).start()
    errors: list[str] = []
    threading.Thread(target=lambda: errors.extend(child.stderr), daemon=True).start()
    try:
        child.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        child.stdin.close()
        try:
            started = lines.get(timeout=START_BUDGET)
        except queue.Empty:
            started = None
        if not started:
            raise CellFailed(
                cells[0], "Python could not start to run the page's cells: " + ("".join(errors[-3:]).strip() or "no answer")
            )
        for cell in cells:
            try:
                line = lines.get(timeout=budget)
            except queue.Empty:
                raise CellFailed(
                    cell, f"cell did not finish within {budget:g} s (an endless loop? each cell gets that long at build time)"
                ) from None
            if line is None:
                child.wait(timeout=5)
                raise CellFailed(
                    cell,
                    f"cell ended Python itself (exit code {child.returncode}): "
                    "use raise, not os._exit or a crash, to stop a cell",
                )
            cell.result = json.loads(line)
            failure = next((o for o in cell.result["outputs"] if o["type"] == "error"), None)
            if failure and not cell.error:
                raise CellFailed(
                    cell, f"cell raised {failure['ename']}" + (f": {failure['evalue']}" if failure["evalue"] else "")
                )
            if cell.error and not failure:
                raise CellFailed(
                    cell,
                    "cell is marked 'error' but raised nothing: remove 'error' from its ```python live line, or make it raise",
                )
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()


def render_page_cells(
    path: str, cells: list[CellUse], render_one: Callable[[CellUse], str], errors: list[ContentError], **run
) -> list[str]:
    """Run a page's cells and render each; a failure becomes one ``file:line`` error."""
    try:
        run_cells(cells, path, **run)
    except CellFailed as failed:
        errors.append(ContentError(path, failed.cell.line, str(failed)))
        return ["" for _ in cells]
    return [render_one(cell) for cell in cells]
