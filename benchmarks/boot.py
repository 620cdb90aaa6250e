"""How fast does an article become live?  Medians over several cold page loads.

For the article page: first contentful paint (the text), Pyodide started, numpy
loaded, runtime ready, and the first widget's first live output — each measured
from navigation start with the performance marks loader.js sets.  For a bare page
that only boots Pyodide and loads numpy in a worker (the floor of this stack),
the same numbers.  Also the longest main-thread task during boot, and the
in-browser / CPython ratio for one widget action.

    python benchmarks/boot.py [--runs 5]
"""
from __future__ import annotations

import argparse
import json
import time

from common import chromium, median, served_site

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


def article_run(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(script="window.__long = []; new PerformanceObserver(l => window.__long.push(...l.getEntries().map(e => [e.startTime, e.duration]))).observe({type: 'longtask', buffered: true});")
    page.goto(url + "article.html")
    page.wait_for_function("() => performance.getEntriesByName('maamar:ready').length > 0", timeout=120_000)
    first = page.evaluate("""async () => {
        const root = document.querySelector('figure.widget');
        const init = JSON.parse(root.querySelector('[data-init]').textContent);
        await window.maamar.request(root.dataset.widget, 'init', init.params, null);
        return performance.now(); }""")
    marks = page.evaluate(MARKS)
    result = {
        "text painted": page.evaluate(FCP),
        "pyodide ready": marks.get("maamar:numpy"),
        "packages loaded": marks.get("maamar:demos"),
        "runtime ready": marks.get("maamar:ready"),
        "first widget live": first,
        # Long tasks are split at the moment the runtime starts booting (the first progress mark).
        "longest task, page load": max((d for start, d in page.evaluate("() => window.__long") if start < marks["maamar:download"]), default=0.0),
        "longest task, boot": max((d for start, d in page.evaluate("() => window.__long") if start >= marks["maamar:download"]), default=0.0),
    }
    context.close()
    return result


def bare_run(browser, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(url + "bare.html")
    page.wait_for_function("() => performance.getEntriesByName('bare:numpy').length > 0", timeout=120_000)
    marks = page.evaluate(MARKS)
    context.close()
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with served_site() as (site, url), chromium() as browser:
        (site / "bare.html").write_text(BARE_HTML)
        (site / "bare.js").write_text(BARE_JS)
        (site / "bare-worker.js").write_text(BARE_WORKER)
        article, bare = [], []
        for _ in range(args.runs):   # interleaved, so both see the same machine load
            bare.append(bare_run(browser, url))
            article.append(article_run(browser, url))
        print(f"cold loads: {args.runs} each, interleaved; medians in ms from navigation start\n")
        print(f"{'':22}{'article':>10}{'bare floor':>12}")
        for key in ("text painted", "pyodide ready", "packages loaded", "runtime ready", "first widget live",
                    "longest task, page load", "longest task, boot"):
            a = median([r[key] for r in article])
            b = median([r.get(key) for r in bare]) if key in bare[0] else None
            print(f"{key:22}{a:10.0f}{(f'{b:12.0f}' if b is not None else ''):>12}")
        floor = median([r["packages loaded"] for r in bare])
        live = median([r["first widget live"] for r in article])
        print(f"\nfirst widget live / bare floor (numpy loaded) = {live / floor:.2f}  (target <= 1.15)")
        for kind, action, params in (
            ("training-loop", "train", {"examples": 40}),
            ("trial-error", "finish", {}),
        ):
            in_browser, in_cpython = action_ratio(browser, url, kind, action, params)
            print(f"{kind} '{action}': browser {in_browser:.1f} ms (round trip), CPython {in_cpython:.2f} ms, "
                  f"ratio {in_browser / in_cpython:.1f}x")


if __name__ == "__main__":
    main()
