"""Stage 4, render: Jinja2 templates turn pages into HTML documents.

One environment, made in one function, with ``StrictUndefined`` (a typo in a
template stops the build) and autoescaping (text from front matter can't become
markup).  Widget output from the pre-render is inserted with ``|safe`` only
because it comes from our own Python renderers, which escape reader text.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import inspect

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import PythonLexer

from maamar_live.kit.i18n import built_in, lookup, t
from maamar_live.kit.spec import bound

from .prerender import Prerendered


def make_env(*template_dirs: Path) -> Environment:
    """One environment; templates are looked up in ``template_dirs`` in order, so a
    project's ``templates/`` overrides the built-in ones file by file."""
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs]),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["t"] = t
    env.filters["tojson_attr"] = lambda value: json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    env.filters["long_date"] = long_date
    return env


def long_date(value, lang: str) -> str:
    """A date as the page's language writes it ("29 בנובמבר 2026")."""
    if not isinstance(value, dt.date):
        value = dt.date.fromisoformat(str(value))
    month = t("site.months", lang).split(",")[value.month - 1]
    return t("site.date", lang, day=value.day, month=month, year=value.year)


def source_html(module) -> Markup:
    """A widget module's own source, highlighted at build time (pygments: CSS classes, no script, no style attributes)."""
    return Markup(highlight(inspect.getsource(module), PythonLexer(), HtmlFormatter(cssclass="source-code")))


def widget_html(env: Environment, widgets: dict, pre: Prerendered, lang: str) -> str:
    module = widgets[pre.use.kind]
    init = {"params": pre.result["params"], "state": pre.result["state"], "text": pre.result["text"]}
    return env.get_template("widget.html").render(
        use=pre.use,
        result=pre.result,
        output=Markup(pre.result["html"]),
        controls=bound(module.CONTROLS, module.PARAMS),
        params=pre.result["params"],
        title=t(f"{pre.use.kind}.title", lang),
        caption=t(f"{pre.use.kind}.caption", lang),
        init_json=Markup(json.dumps(init, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")),
        lang=lang,
        source=source_html(module) if pre.use.source else "",
    )


def runtime_strings(lang: str) -> str:
    """The runtime's strings for the page's language, for loader.js (a JSON island, not a script)."""
    keys = [k for k in built_in("en") if k.startswith(("runtime.", "widget.", "cell."))]
    table = {k: lookup(k, lang) for k in keys}
    return json.dumps(table, ensure_ascii=False).replace("</", "<\\/")


def cell_html(env: Environment, cell, lang: str) -> str:
    """One code cell with its build-time output (``cell.result``); figures are kit SVG, checked by ``show``."""
    init = {"index": cell.index, "code": cell.code, "error": cell.error, "hidden": cell.hidden}
    return env.get_template("cell.html").render(
        cell=cell,
        outputs=cell.result.get("outputs", []),
        truncated=cell.result.get("truncated", False),
        rows=min(max(cell.code.count("\n") + 1, 3), 30),
        lang=lang,
        title=cell.collapsed or t("cell.collapsed", lang),
        init_json=Markup(json.dumps(init, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")),
    )
