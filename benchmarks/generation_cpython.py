"""CPython timings of the generation widgets' models (the in-browser side is ~6–8× slower).

Medians over several runs, each from a cold model cache:

* training the character model to the "usable" loss, and to the train button's end;
* one train-button call (one chunk of steps, the live-loss-curve unit);
* generating 200 characters with the trained model;
* each generation widget's init and a typical action.

    python benchmarks/generation_cpython.py [--runs 7]

Run it with ``OPENBLAS_NUM_THREADS=1`` for numbers comparable to Pyodide (which has
no threads) and to avoid noise from BLAS thread contention.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numpy as np  # noqa: E402

from maamar_demos import charlm, context_window, hallucination, instant_answer, ngram, runtime  # noqa: E402
from maamar_live.text.corpus import load_text  # noqa: E402


def clock(fn, runs: int, before=lambda: None) -> float:
    """Median seconds of ``fn()`` over ``runs`` runs, calling ``before()`` (untimed) each time."""
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def steps_to_usable(text: str, seed: int = 0) -> int:
    """Train-button calls until the chunk-mean loss is at or below USABLE_LOSS, in steps."""
    model = charlm.init_model(seed)
    X, Y = charlm.dataset(text)
    while model.step < instant_answer.MAX_STEPS:
        charlm.train_steps(model, X, Y, charlm.CHUNK)
        if np.mean(model.losses[-charlm.CHUNK :]) <= charlm.USABLE_LOSS:
            return model.step
    return model.step


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    text = load_text()
    X, Y = charlm.dataset(text)
    usable = steps_to_usable(text)
    rows = []

    def train(n):
        charlm.train_steps(charlm.init_model(0), X, Y, n)

    rows.append(
        (f"train to usable loss ≤ {charlm.USABLE_LOSS} ({usable} steps × {charlm.BATCH})", clock(lambda: train(usable), runs))
    )
    rows.append(
        (
            f"train to the end ({instant_answer.MAX_STEPS} steps)",
            clock(lambda: train(instant_answer.MAX_STEPS), max(3, runs // 2)),
        )
    )
    model = charlm.trained(text, 0, instant_answer.MAX_STEPS)
    one_chunk = model.copy()
    rows.append(
        (f"one train call ({charlm.CHUNK} steps)", clock(lambda: charlm.train_steps(one_chunk, X, Y, charlm.CHUNK), runs))
    )
    rows.append(("generate 200 characters", clock(lambda: charlm.sample(model, "החתול ", 200, seed=1), runs)))
    forward = clock(lambda: charlm.next_probs(model, charlm.encode("החתול ")), runs * 20)

    def cold():
        """Forget every memoised model and count, as on a fresh page."""
        for cache in (
            charlm._trained,
            charlm.dataset,
            ngram.from_corpus,
            context_window.story_model,
            context_window.names_curve,
            hallucination._keyed_lines,
        ):
            cache.cache_clear()

    def at(steps):
        return lambda: (cold(), charlm.trained(text, 0, steps))

    rows.append(("instant-answer: init (cold)", clock(lambda: runtime.call("instant-answer", {}, "init"), runs, cold)))
    rows.append(
        (
            "instant-answer: train (one call)",
            clock(
                lambda: runtime.call("instant-answer", {}, "train", {"steps": 600, "timing": {"train_seconds": 0.0}}),
                runs,
                at(600),
            ),
        )
    )
    rows.append(
        (
            "instant-answer: ask (trained)",
            clock(
                lambda: runtime.call("instant-answer", {}, "ask", {"steps": 1200, "timing": {"train_seconds": 0.0}}),
                runs,
                at(1200),
            ),
        )
    )
    for kind, action, params in [
        ("context-window", "update", {"window": 300}),
        ("hallucination", "ask", {"term": "קומולונימבוס"}),
        ("repetition-loop", "update", {"temperature": 0.8, "penalty": 1.5}),
    ]:
        rows.append((f"{kind}: init (cold)", clock(lambda kind=kind: runtime.call(kind, {}, "init"), runs, cold)))
        runtime.call(kind, {}, "init")
        rows.append(
            (
                f"{kind}: {action} (warm)",
                clock(lambda kind=kind, params=params, action=action: runtime.call(kind, params, action, {}), runs),
            )
        )

    width = max(len(name) for name, _ in rows)
    print(f"CPython medians over {runs} runs (model: {charlm.init_model(0).size:,} weights, corpus: {len(text):,} characters)")
    for name, seconds in rows:
        print(f"  {name:<{width}}  {seconds * 1000:9.1f} ms")
    print(f"  {'one forward pass (one character)':<{width}}  {forward * 1e6:9.1f} µs")


if __name__ == "__main__":
    main()
