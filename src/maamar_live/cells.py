"""Live code cells: run a page's Python cells in one namespace, like a notebook.

The same function runs a cell at build time (CPython, in a child process the
build can kill when a cell overruns its time budget; see ``maamar.cells``) and
in the reader's browser (Pyodide, in the widgets' worker; see ``run_json``):

* one namespace dict per page, so a name defined in one cell exists in the next;
* stdout and stderr captured, in the order they were written;
* the ``repr`` of a last bare expression, as a notebook shows it;
* figures through ``maamar_live.kit.show`` (a kit plot's SVG);
* an exception as its type, message and the last lines of its traceback, with
  line numbers of the cell itself (the code is compiled as ``<cell N>``).

Every output is a plain dict (JSON-safe) and the text they hold is capped at
``MAX_OUTPUT`` characters in all, with ``truncated`` set when something was cut.
"""

from __future__ import annotations

import ast
import builtins
import json
import linecache
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout

from .kit.figures import collecting

MAX_OUTPUT = 20_000  # characters of output per cell; the rest is cut with a notice
MAX_CODE = 20_000  # characters of code a cell may hold
TRACEBACK_LINES = 8  # lines of the traceback shown above the exception itself
_NAMESPACES: dict[str, dict] = {}  # page -> its cells' globals (in the worker: one per page)


def namespace(page: str) -> dict:
    """The globals every cell of ``page`` shares, made on first use."""
    if page not in _NAMESPACES:
        _NAMESPACES[page] = {"__name__": "__main__", "__builtins__": builtins}
    return _NAMESPACES[page]


def forget(page: str) -> None:
    _NAMESPACES.pop(page, None)


class _Capture:
    """A text stream that appends what is written to the cell's outputs, in order."""

    def __init__(self, name: str, outputs: list):
        self.name, self.outputs = name, outputs

    def write(self, text) -> int:
        text = str(text)
        if text:
            last = self.outputs[-1] if self.outputs else None
            if last and last["type"] == "stream" and last["name"] == self.name:
                last["text"] += text
            else:
                self.outputs.append({"type": "stream", "name": self.name, "text": text})
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def _compile(code: str, filename: str):
    """The cell as (body, last expression or None), compiled under ``filename``."""
    tree = ast.parse(code, filename, "exec")
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = ast.Expression(tree.body.pop().value)
    body = compile(tree, filename, "exec")
    return body, (compile(last, filename, "eval") if last is not None else None)


def _error(exc: BaseException, filename: str) -> dict:
    """Type, message and the traceback's last lines, keeping only the cell's own frames."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    lines = traceback.format_list(frames)
    if isinstance(exc, SyntaxError) and exc.filename == filename:
        lines = []  # format_exception_only shows the line and a caret itself
    lines += traceback.format_exception_only(type(exc), exc)
    text = "".join(lines).replace(f'File "{filename}"', filename).splitlines()
    return {
        "type": "error",
        "ename": type(exc).__name__,
        "evalue": str(exc),
        "line": frames[-1].lineno if frames else getattr(exc, "lineno", None),
        "traceback": "\n".join(text[-(TRACEBACK_LINES + 4) :]),
    }


def _cap(outputs: list) -> bool:
    """Cut the outputs to MAX_OUTPUT characters in all; True when something was cut."""
    left, kept, cut = MAX_OUTPUT, [], False
    for out in outputs:
        field = "html" if out["type"] == "figure" else "traceback" if out["type"] == "error" else "text"
        size = len(out[field])
        if size <= left:
            kept.append(out)
            left -= size
            continue
        cut = True
        if out["type"] in ("stream", "result") and left > 0:
            kept.append(dict(out, text=out[field][:left]))
        elif out["type"] == "error":
            kept.append(dict(out, traceback=out["traceback"][-max(left, 500) :]))
        break
    outputs[:] = kept
    return cut


def run(code: str, index: int = 1, page: str = "") -> dict:
    """Run one cell (number ``index`` on the page) in the page's namespace.

    Returns ``{"ok", "outputs", "truncated"}``; ``ok`` is False when the cell raised.
    """
    filename = f"<cell {index}>"
    code = str(code)[:MAX_CODE]
    outputs: list[dict] = []
    ok = True
    # Registered so tracebacks show the cell's source line, as they do for a file.
    linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
    stdout, stderr = _Capture("stdout", outputs), _Capture("stderr", outputs)
    with redirect_stdout(stdout), redirect_stderr(stderr), collecting(outputs):
        try:
            body, last = _compile(code, filename)
            scope = namespace(page)
            exec(body, scope)
            if last is not None:
                value = eval(last, scope)
                if value is not None:
                    scope["_"] = value
                    outputs.append({"type": "result", "text": repr(value)})
        except BaseException as exc:  # the reader's (or author's) code, even exit(): shown, never raised
            ok = False
            outputs.append(_error(exc, filename))
    truncated = _cap(outputs)
    return {"ok": ok, "outputs": outputs, "truncated": truncated}


def run_json(request: str) -> str:
    """Worker entry: ``{"code", "cell", "page"}`` in, ``run``'s result out, both JSON."""
    req = json.loads(request)
    return json.dumps(run(req.get("code") or "", int(req.get("cell") or 1), str(req.get("page") or "")), ensure_ascii=False)


def _child(stream_in, stream_out) -> None:
    """Build-time child process: a page's cells in, one JSON line per cell out (see maamar.cells)."""
    request = json.loads(stream_in.readline())
    folder = request.get("project_widgets")
    if folder:  # the project's own widget modules, importable as maamar_project.<name>
        import types

        package = types.ModuleType("maamar_project")
        package.__path__ = [folder]
        package.MODULES = dict(request.get("project_modules") or {})
        sys.modules["maamar_project"] = package
    stream_out.write(json.dumps({"ready": True}) + "\n")
    stream_out.flush()
    for cell in request["cells"]:
        result = run(cell["code"], cell["index"], request.get("page", ""))
        stream_out.write(json.dumps(result, ensure_ascii=False) + "\n")
        stream_out.flush()


if __name__ == "__main__":
    import os

    # Results go through a copy of the real stdout; anything a cell writes to
    # file descriptor 1 directly lands on stderr instead of in the protocol.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    _child(sys.stdin, protocol)
