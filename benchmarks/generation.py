"""The language model in the browser vs CPython: training to a usable loss, generating 200 characters.

Both sides go through the same widget function (``instant-answer``): training is
the train button pressed until the model reaches the "usable" loss, generation is
the ask button with a 200-character answer.  Browser times include the round trip
to the worker, as a reader would feel it.  Targets: training ≤ 3 s, 200
characters ≤ 100 ms in the browser.

    python benchmarks/generation.py [--runs 5]
"""

from __future__ import annotations

import argparse
import time

from common import chromium, median, served_site

from maamar_live.models import charlm
from maamar_live.text.corpus import load_text
from maamar_live.runtime import call

KIND = "instant-answer"


def usable_steps() -> int:
    model = charlm.init_model(0)
    X, Y = charlm.dataset(charlm.clean(load_text()))
    while True:
        charlm.train_steps(model, X, Y, charlm.CHUNK)
        if sum(model.losses[-charlm.CHUNK :]) / charlm.CHUNK <= charlm.USABLE_LOSS:
            return model.step


def cpython_run(target: int, seed: int):
    params = {"seed": seed, "length": 200}
    result = call(KIND, params, "init")
    started = time.perf_counter()
    while result["state"]["steps"] < target:
        result = call(KIND, params, "train", result["state"])
    train = time.perf_counter() - started
    started = time.perf_counter()
    call(KIND, params, "ask", result["state"])
    return train, time.perf_counter() - started


BROWSER_RUN = """async ([kind, target, seed]) => {
  const params = {seed, length: 200};
  let result = await window.maamar.request(kind, 'init', params, null);
  let t0 = performance.now();
  while (result.state.steps < target) result = await window.maamar.request(kind, 'train', params, result.state);
  const train = performance.now() - t0;
  t0 = performance.now();
  await window.maamar.request(kind, 'ask', params, result.state);
  return [train / 1000, (performance.now() - t0) / 1000];
}"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    target = usable_steps()
    with served_site() as (_, url), chromium() as browser:
        cp, br = [], []
        for run in range(args.runs):
            seed = 1000 + run  # a fresh seed each run, so no side starts from a memoised model
            cp.append(cpython_run(target, seed))
            page = browser.new_context().new_page()
            page.goto(url + "article.html")
            page.wait_for_function("() => performance.getEntriesByName('maamar:ready').length > 0", timeout=120_000)
            br.append(page.evaluate(BROWSER_RUN, [KIND, target, seed]))
            page.context.close()
    print(f"usable loss {charlm.USABLE_LOSS} reached after {target} steps (seed 0); medians of {args.runs} runs\n")
    for i, (name, goal) in enumerate((("train to usable loss", 3.0), ("generate 200 characters", 0.1))):
        b, c = median([r[i] for r in br]), median([r[i] for r in cp])
        print(
            f"{name:26} browser {b * 1000:8.1f} ms   CPython {c * 1000:7.1f} ms   ratio {b / c:4.1f}x   "
            f"target {goal * 1000:.0f} ms: {'ok' if b <= goal else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
