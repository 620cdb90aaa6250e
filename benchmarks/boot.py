"""How fast does an article become live?  Medians over several cold page loads.

For the article page: first contentful paint (the text), Pyodide started, numpy
loaded, runtime ready, and the first widget's first live output — each measured
from navigation start with the performance marks loader.js sets.  For a bare page
that only boots Pyodide and loads numpy in a worker (the floor of this stack),
the same numbers.  Also the longest main-thread task during boot, and the
in-browser / CPython ratio for one widget action.

    python benchmarks/boot.py [--runs 5]

Cold and repeat visits run in a real on-disk browser profile (a persistent context, one
new profile per pair), as a reader's browser is: an in-memory (incognito) context keeps
neither V8's code cache nor IndexedDB on disk, so it measures some other later visit.
For both, the worker's own stage marks (maamar:w:*) split the boot stage by stage.

(A throttled link, as in snapshot_wire.py, needs minutes: the ready wait allows them.)
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time

from common import ARGS, CHROMIUM, chromium, median, served_site

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare</title><p>bare</p><script src="bare.js"></script>"""
BARE_JS = """
const w = new Worker('bare-worker.js');
w.onmessage = (e) => performance.mark('bare:' + e.data);
"""
BARE_WORKER = """
importScripts('pyodide/pyodide.js');
(async () => {
  const py = await loadPyodide({indexURL: new URL('pyodide/', location.href).href});
  postMessage('pyodide');
  await py.loadPackage(['numpy'], {messageCallback: () => {}});
  py.runPython('import numpy');
  postMessage('numpy');
})();
"""

MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))"""
FCP = """() => (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime"""


def article_run(context, url, page_name="article.html", settle=None, kind=None, prepare=None):
    """One visit of the article in ``context`` (a fresh one: a cold visit; one that has
    visited before: a repeat visit in the same browser profile).  "first widget live"
    is the page's first widget's init, or the first widget of ``kind``'s.  ``prepare(page)``
    runs before the navigation (e.g. to throttle the network)."""
    page = context.new_page()
    if prepare:
        prepare(page)
    page.add_init_script(
        script="window.__long = []; new PerformanceObserver(l => window.__long.push(...l.getEntries().map(e => [e.startTime, e.duration]))).observe({type: 'longtask', buffered: true});"
    )
    page.goto(url + page_name)
    page.wait_for_function("() => performance.getEntriesByName('maamar:ready').length > 0", timeout=400_000)
    first = page.evaluate(
        """async (selector) => {
        const root = document.querySelector(selector);
        const init = JSON.parse(root.querySelector('[data-init]').textContent);
        await window.maamar.request(root.dataset.widget, 'init', init.params, null);
        return performance.now(); }""",
        f'figure.widget[data-widget="{kind}"]' if kind else "figure.widget",
    )
    marks = page.evaluate(MARKS)
    result = {
        "text painted": page.evaluate(FCP),
        "pyodide ready": marks.get("maamar:numpy"),
        "packages loaded": marks.get("maamar:demos"),
        "runtime ready": marks.get("maamar:ready"),
        "first widget live": first,
        # Long tasks are split at the moment the runtime starts booting (the first progress mark).
        "longest task, page load": max(
            (d for start, d in page.evaluate("() => window.__long") if start < marks["maamar:download"]), default=0.0
        ),
        "longest task, boot": max(
            (d for start, d in page.evaluate("() => window.__long") if start >= marks["maamar:download"]), default=0.0
        ),
        "stages": stages(marks, first),
        "boot path": page.evaluate("() => document.querySelector('[data-runtime]').dataset.boot || ''"),
    }
    if settle:  # e.g. wait until the snapshot is stored, so the next visit can use it
        page.wait_for_function(settle, timeout=120_000)
    page.close()
    return result


def stages(marks, first):
    """How long each stage of the worker's boot took (ms), from its maamar:w:* marks."""

    def at(name):
        return marks.get("maamar:w:" + name)

    if at("python") is None:
        return {}
    started = max(at("scripts"), at("snapshot-read") or 0)  # a restore needs both
    return {
        "worker: Pyodide's scripts imported": at("scripts") - at("boot"),
        "worker: snapshot read (IndexedDB)": (at("snapshot-read") or at("boot")) - at("boot"),
        "worker: Python started or restored": at("python") - started,
        "worker: wheels installed (numpy, ours)": at("packages") - at("python"),
        "worker: import numpy": at("import-numpy") - at("packages"),
        "worker: import maamar_live.runtime": at("import-runtime") - at("import-numpy"),
        "page: ready -> first widget live": first - marks["maamar:ready"],
    }


def profile_visits(browser, url, service_workers="allow"):
    """A first visit and two later visits in one new on-disk profile.  The first visit
    waits until its snapshot and bytecode are stored and the service worker holds the site, so the
    repeat visit is a reader's next one (and the third, the one after).
    ``service_workers="block"``: a browser without one (the wasm then comes from the HTTP cache)."""
    with tempfile.TemporaryDirectory() as profile:
        context = browser.browser_type.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=ARGS, service_workers=service_workers
        )
        try:
            cold = article_run(context, url, settle=SETTLED if service_workers == "allow" else SNAPSHOT_SETTLED)
            return cold, article_run(context, url), article_run(context, url)
        finally:
            context.close()


def bare_run(context, url):
    page = context.new_page()
    page.goto(url + "bare.html")
    page.wait_for_function("() => performance.getEntriesByName('bare:numpy').length > 0", timeout=120_000)
    marks = page.evaluate(MARKS)
    page.close()
    return {"pyodide ready": marks["bare:pyodide"], "packages loaded": marks["bare:numpy"]}


def action_ratio(browser, url, kind, action, params, repeats=9):
    """Median time of one widget action in the browser (round trip to the worker) vs in CPython."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from maamar_live.runtime import call

    init = call(kind, params, "init")
    cpython = []
    for _ in range(repeats):
        started = time.perf_counter()
        call(kind, params, action, init["state"])
        cpython.append((time.perf_counter() - started) * 1000)
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "article.html")
    # Measure once every widget module is imported, so the background warm-up isn't timed.
    page.wait_for_function("() => performance.getEntriesByName('maamar:warm').length > 0", timeout=120_000)
    browser_times = page.evaluate(
        """async ([kind, action, params, state, n]) => {
            const times = [];
            for (let i = 0; i < n; i++) {
              const t0 = performance.now();
              await window.maamar.request(kind, action, params, state);
              times.push(performance.now() - t0);
            }
            return times; }""",
        [kind, action, params, json.loads(json.dumps(init["state"])), repeats],
    )
    context.close()
    return median(browser_times), median(cpython)


SNAPSHOT_SETTLED = (
    "() => { const r = document.querySelector('[data-runtime]').dataset;"
    " return ['stored', 'skipped'].includes(r.snapshot || '') && ['stored', 'skipped'].includes(r.bytecode || ''); }"
)
SETTLED = (
    "() => { const r = document.querySelector('[data-runtime]').dataset; return ['stored', 'skipped'].includes(r.snapshot || '')"
    " && ['stored', 'skipped'].includes(r.bytecode || '') && r.offline === 'ready'; }"
)
ROWS = (
    "text painted",
    "pyodide ready",
    "packages loaded",
    "runtime ready",
    "first widget live",
    "longest task, page load",
    "longest task, boot",
)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-service-worker", action="store_true", help="later visits in a browser that blocks service workers")
    args = parser.parse_args()
    with served_site(file_bundle=True) as (site, url), chromium() as browser:
        (site / "bare.html").write_text(BARE_HTML)
        (site / "bare.js").write_text(BARE_JS)
        (site / "bare-worker.js").write_text(BARE_WORKER)
        runs = {"cold": [], "repeat": [], "3rd visit": [], "file://": [], "bare floor": []}
        paths = []
        for _ in range(args.runs):  # interleaved, so every kind of visit sees the same machine load
            context = browser.new_context()
            runs["bare floor"].append(bare_run(context, url))
            context.close()
            cold, repeat, third = profile_visits(browser, url, "block" if args.no_service_worker else "allow")
            runs["cold"].append(cold)
            runs["repeat"].append(repeat)
            runs["3rd visit"].append(third)
            context = browser.new_context()
            runs["file://"].append(article_run(context, site.as_uri() + "/"))
            context.close()
            paths.append((runs["cold"][-1]["boot path"], runs["repeat"][-1]["boot path"]))
        print(f"{args.runs} runs of each, interleaved; medians in ms from navigation start")
        print(f"boot paths (first visit, repeat visit): {sorted(set(paths))}\n")
        print(f"{'':26}" + "".join(f"{name:>12}" for name in runs))
        for key in ROWS:
            cells = [median([r.get(key) for r in runs[name]]) for name in runs]
            print(f"{key:26}" + "".join(f"{c:12.0f}" if c == c else f"{'':12}" for c in cells))
        print("\nstage by stage (ms each; median over runs)")
        for key in runs["cold"][0]["stages"]:
            cells = [median([r["stages"].get(key) for r in runs[name] if "stages" in r]) for name in runs]
            print(f"{key[:44]:44}" + "".join(f"{c:12.0f}" if c == c else f"{'':12}" for c in cells))
        pairs = [r["first widget live"] / c["first widget live"] for c, r in zip(runs["cold"], runs["repeat"])]
        print("repeat / cold first widget live, each pair:", " ".join(f"{p:.2f}" for p in pairs))
        med = {name: median([r.get("first widget live") for r in runs[name]]) for name in runs}
        floor = median([r["packages loaded"] for r in runs["bare floor"]])
        bundle = sum(p.stat().st_size for p in (site / "pyodide").glob("file-bundle-*.js"))
        print()
        print(f"first widget live, cold / bare floor (numpy loaded) = {med['cold'] / floor:.2f}  (target <= 1.15)")
        print(f"first widget live, repeat visit / cold               = {med['repeat'] / med['cold']:.2f}  (target <= 0.5)")
        print(f"first widget live, 3rd visit / cold                  = {med['3rd visit'] / med['cold']:.2f}")
        print(f"first widget live, file:// / http (cold)             = {med['file://'] / med['cold']:.2f}  (target <= 1.2)")
        print(
            f"file:// bundle: {bundle / 1e6:.1f} MB in {len(list((site / 'pyodide').glob('file-bundle-*.js')))} parts  (target <= 13 MB)"
        )
        for kind, action, params in (
            ("training-loop", "train", {"examples": 40}),
            ("trial-error", "finish", {}),
        ):
            in_browser, in_cpython = action_ratio(browser, url, kind, action, params)
            print(
                f"{kind} '{action}': browser {in_browser:.1f} ms (round trip), CPython {in_cpython:.2f} ms, "
                f"ratio {in_browser / in_cpython:.1f}x"
            )


if __name__ == "__main__":
    main()
