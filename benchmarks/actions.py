"""Every widget action, timed in the browser and in CPython, side by side.

For each widget on the article page and each of its actions (init, every button,
every control's change action), the median round trip from the page to the
worker and back, against the same ``runtime.call`` in CPython.  The budget is
250 ms per action in the browser; the table flags anything over it.  Each call
runs on the state the previous one left, as a reader's clicks would: repeated
"train" calls are consecutive ticks of a play loop, not one tick replayed (a
replayed tick would find its model in the worker's memo and cost nothing).

    python benchmarks/actions.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import time

from common import chromium, median, served_site

from maamar_live.registry import WIDGETS
from maamar_live.runtime import call

BUDGET_MS = 250

BROWSER = """async ([kind, params, actions, repeats]) => {
  const rows = [];
  let state = (await window.maamar.request(kind, 'init', params, null)).state;
  for (const action of actions) {
    const times = [];
    let result = null;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      result = await window.maamar.request(kind, action, params, action === 'init' ? null : state);
      times.push(performance.now() - t0);
      state = result.state;
    }
    rows.push(times);
  }
  return rows;
}"""


def actions_of(module) -> list[str]:
    found = ["init"]
    for control in module.CONTROLS:
        if control.action and control.action not in found:
            found.append(control.action)
    return found


def cpython_times(kind, params, actions, repeats):
    rows = []
    state = call(kind, params, "init")["state"]
    for action in actions:
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            result = call(kind, params, action, None if action == "init" else json.loads(json.dumps(state)))
            times.append((time.perf_counter() - started) * 1000)
            state = result["state"]
        rows.append(times)
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with served_site() as (site, url), chromium() as browser:
        page = browser.new_context().new_page()
        page.goto(url + "article.html")
        page.wait_for_function("() => performance.getEntriesByName('maamar:warm').length > 0", timeout=120_000)
        widgets = page.evaluate("""() => Array.from(document.querySelectorAll('figure.widget')).map(f =>
            [f.dataset.widget, JSON.parse(f.querySelector('[data-init]').textContent).params])""")
        # Each widget's first call on a fresh page, once the worker's background warm-up
        # (import + default init of every widget, building their models) is done.
        cold = page.evaluate(
            """async (widgets) => { const out = [];
            for (const [kind, params] of widgets) { const t0 = performance.now();
              await window.maamar.request(kind, 'init', params, null); out.push(performance.now() - t0); }
            return out; }""",
            widgets,
        )
        warmup = page.evaluate("""() => performance.getEntriesByName('maamar:warm')[0].startTime
                                        - performance.getEntriesByName('maamar:ready')[0].startTime""")
        print(f"background warm-up after the page is live: {warmup:.0f} ms (one widget per task)")
        print("first call of each widget on a fresh page after the warm-up, ms:")
        for (kind, _), ms in zip(widgets, cold):
            print(f"  {kind:18} {ms:7.1f}{'  OVER BUDGET' if ms > BUDGET_MS else ''}")
        print()
        print(f"median of {args.repeats} calls per action, ms; browser = round trip page → worker → page\n")
        print(f"{'widget':18} {'action':12} {'browser':>9} {'CPython':>9} {'ratio':>7}")
        worst = 0.0
        for kind, params in widgets:
            actions = actions_of(WIDGETS[kind])
            in_browser = page.evaluate(BROWSER, [kind, params, actions, args.repeats])
            in_cpython = cpython_times(kind, params, actions, args.repeats)
            for action, b, c in zip(actions, in_browser, in_cpython):
                mb, mc = median(b), median(c)
                worst = max(worst, mb)
                flag = "  OVER BUDGET" if mb > BUDGET_MS else ""
                print(f"{kind:18} {action:12} {mb:9.1f} {mc:9.2f} {mb / max(mc, 0.01):6.1f}x{flag}")
        print(
            f"\nslowest repeated action in the browser: {worst:.0f} ms; slowest first call: {max(cold):.0f} ms "
            f"(budget {BUDGET_MS} ms)"
        )


if __name__ == "__main__":
    main()
