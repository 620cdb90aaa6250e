"""maamar next to a peer: the same widget computation in a PyScript page.

The alternative an author would pick for Python in a page is PyScript
(npm ``@pyscript/core``).  Its page here runs what our ``training-loop`` widget's
init runs, in a PyScript worker, on the same Pyodide 0.27.7 files, the same
numpy wheel and our own wheel, served by the same loopback server; no request
leaves the machine (checked on every run).  Both pages are loaded interleaved,
each in a fresh browser context (a cold visit: empty cache and storage), and
timed from navigation start:

* text painted: first contentful paint;
* first output: maamar — the training-loop widget's first live init answered by
  the worker; PyScript — the same call's HTML put into the page.

``--later`` times the reader's next visit instead: each page visited once in a new
on-disk profile (maamar's first visit waits until it has stored its snapshot and
bytecode and the service worker keeps the site; PyScript keeps what the browser's
HTTP cache keeps), then again, timed.

Without cross-origin isolation (a static host cannot send the headers) a
PyScript worker cannot touch the page's DOM, so its result comes back on a
BroadcastChannel and a two-line script puts it in the page: the same path
maamar's worker takes, and cheaper than PyScript's own ``display()``.

Which PyScript: the newest ``@pyscript/core`` whose own Python code imports on
Pyodide 0.27.7 — 0.6.66.  From 0.6.72 on, its ``pyscript/ffi.py`` imports
``pyodide.ffi.jsnull``, which first appeared in Pyodide 0.28, so its runtime fails
to start on our Pyodide.  It is a pinned devDependency; without it installed
this benchmark says so and stops.

    python benchmarks/peers.py [--runs 5] [--later] [--core node_modules/@pyscript/core]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

from boot import FCP, SETTLED, article_run
from common import ARGS, CHROMIUM, ROOT, chromium, median, served_site

CORE = ROOT / "node_modules" / "@pyscript" / "core"
PYODIDE_MJS = ROOT / "node_modules" / "pyodide" / "pyodide.mjs"
KIND = "training-loop"

PEER_HEAD = """<link rel="stylesheet" href="pyscript/core.css"><script type="module" src="pyscript/core.js"></script>
<script src="peer-main.js" defer></script>
<script type="py" worker config='{"interpreter": "pyodide/pyodide.mjs"}' src="peer.py"></script>
"""
PEER_MAIN = """new BroadcastChannel("peer").onmessage = (e) => {
  document.getElementById("out").innerHTML = e.data;
  performance.mark("peer:output");
};
"""
# What maamar's worker does for the widget's first live output, written as a PyScript author would.
PEER_PY = """import json
import js
import pyodide_js

await pyodide_js.loadPackage(["numpy", "maamar_live"])
from maamar_live.runtime import call

result = call({kind!r}, json.loads({params!r}), "init")
js.BroadcastChannel.new("peer").postMessage(result["html"])
"""


def widget_figures(article: str):
    """``(start, end, kind)`` of each top-level ``<figure class="widget">`` (they hold figures of their own)."""
    for match in re.finditer(r'<figure class="widget[^"]*"[^>]*data-widget="([^"]+)"', article):
        depth, pos = 0, match.start()
        for tag in re.finditer(r"<figure\b|</figure>", article[pos:]):
            depth += 1 if tag.group(0) == "<figure" else -1
            if depth == 0:
                yield match.start(), pos + tag.end(), match.group(1)
                break


def peer_page(article: str) -> str:
    """The article as a PyScript author would publish it: the same head, text, stylesheet
    and fonts, no maamar loader, no pre-rendered widgets; the training-loop's place
    holds PyScript's output."""
    page, end = [], 0
    for start, stop, kind in widget_figures(article):
        page.append(article[end:start] + ('<div id="out"></div>' if kind == KIND else ""))
        end = stop
    page = "".join(page) + article[end:]
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)  # PyScript needs its own policy
    page = re.sub(
        r'<script type="application/json".*?</script>|<script src="[^"]*loader\.js"[^>]*></script>', "", page, flags=re.S
    )
    return page.replace("</head>", PEER_HEAD + "</head>", 1)


def write_peer(site, article: str, core=CORE) -> None:
    """The PyScript page next to the built article, with the training-loop widget's own init parameters."""
    figure = article[article.index(f'data-widget="{KIND}"') :]
    params = json.loads(re.search(r"<script type=\"application/json\" data-init>(.*?)</script>", figure, re.S).group(1))["params"]
    shutil.copytree(core / "dist", site / "pyscript")
    shutil.copy(PYODIDE_MJS, site / "pyodide" / "pyodide.mjs")
    (site / "peer.html").write_text(peer_page(article), encoding="utf-8")
    (site / "peer-main.js").write_text(PEER_MAIN, encoding="utf-8")
    (site / "peer.py").write_text(PEER_PY.format(kind=KIND, params=json.dumps(params)), encoding="utf-8")


def peer_run(context, url):
    page = context.new_page()
    page.goto(url + "peer.html")
    page.wait_for_function("() => performance.getEntriesByName('peer:output').length > 0", timeout=120_000)
    result = {
        "text painted": page.evaluate(FCP),
        "first output": page.evaluate("() => performance.getEntriesByName('peer:output')[0].startTime"),
        "output length": page.evaluate("() => document.getElementById('out').innerHTML.length"),
    }
    page.close()
    return result


def visit(browser, name, url, later):
    """One timed visit of ``name``'s page and the URLs it requested: in a fresh context (cold),
    or, ``later``, the second visit in a new on-disk profile after one untimed first visit."""

    def timed(context):
        if name == "maamar":
            result = article_run(context, url, kind=KIND)
            return {**result, "first output": result["first widget live"]}
        return peer_run(context, url)

    with tempfile.TemporaryDirectory() as profile:
        if later:
            context = browser.browser_type.launch_persistent_context(profile, executable_path=CHROMIUM, args=ARGS)
        else:
            context = browser.new_context()
        seen = requests(context)
        try:
            if later and name == "maamar":
                article_run(context, url, settle=SETTLED)
            elif later:
                peer_run(context, url)
            return timed(context), seen
        finally:
            context.close()


def requests(context) -> list[str]:
    seen: list[str] = []
    context.on("request", lambda r: seen.append(r.url))
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--core", type=Path, default=CORE, help="an installed @pyscript/core folder")
    parser.add_argument("--later", action="store_true", help="time each page's second visit in one browser profile")
    args = parser.parse_args()
    if not (args.core / "dist" / "core.js").exists():
        print(f"skipped: @pyscript/core is not installed ({args.core} missing); run `npm ci` (it is a pinned devDependency)")
        return
    version = json.loads((args.core / "package.json").read_text())["version"]
    with served_site() as (site, url), chromium() as browser:
        write_peer(site, (site / "article.html").read_text(encoding="utf-8"), args.core)
        origin = url.rstrip("/")
        runs = {"maamar": [], "PyScript": []}
        foreign = set()
        for i in range(args.runs):  # interleaved, alternating which goes first
            order = ["maamar", "PyScript"] if i % 2 == 0 else ["PyScript", "maamar"]
            for name in order:
                result, seen = visit(browser, name, url, args.later)
                runs[name].append(result)
                foreign |= {u for u in seen if not u.startswith((origin, "blob:" + origin, "data:"))}
        if foreign:
            sys.exit(f"off-origin requests: {sorted(foreign)}")
        which = "second visits (one profile each)" if args.later else "cold runs"
        print(f"@pyscript/core {version}; {args.runs} {which} of each, interleaved; medians in ms from navigation start")
        print("zero off-origin requests\n")
        print(f"{'':16}{'maamar':>10}{'PyScript':>10}")
        med = {}
        for key in ("text painted", "first output"):
            med[key] = [median([r[key] for r in runs[name]]) for name in runs]
            print(f"{key:16}" + "".join(f"{v:10.0f}" for v in med[key]))
        stages = ("pyodide ready", "packages loaded", "runtime ready")
        print("maamar's boot, medians: " + ", ".join(f"{k} {median([r[k] for r in runs['maamar']]):.0f}" for k in stages))
        print()
        ours, theirs = med["first output"]
        goals = ("the goals, <= 0.7 and <= 0.2, are for cold visits", "") if args.later else ("goal <= 0.7", "goal <= 0.2")
        print(f"first widget live, maamar / PyScript first output = {ours / theirs:.2f}  ({goals[0]})")
        ours, theirs = med["text painted"]
        print(
            f"text painted, maamar / PyScript                   = {ours / theirs:.2f}" + (f"  ({goals[1]})" if goals[1] else "")
        )


if __name__ == "__main__":
    main()
