"""Would shipping a build-time interpreter snapshot pay on a cold visit?

A snapshot made at build time would let even a first visit restore the
interpreter instead of booting it: about 1.7 s less boot (issue 13: restore
0.40–0.47 s against a 2.1–2.2 s cold boot, measured in Node with this site's
files), for 5.7 MB more on the wire (the snapshot, gzip'd).  It adds bytes and
replaces none: the wasm, the standard library and the wheels are still needed.

This measures the other side of that trade in the browser: how long 5.7 MB of
incompressible bytes takes to arrive over the loopback server and under
Lighthouse's simulated mobile link (1.6 Mbps down, 750 kbps up, 150 ms RTT, set
with CDP Network.emulateNetworkConditions), each in a fresh browser context; and,
for scale, a cold visit's first widget live on the same two links.

    python benchmarks/snapshot_wire.py [--runs 3] [--cold-runs 1]
"""

from __future__ import annotations

import argparse
import os

from boot import article_run
from common import chromium, median, served_site

SNAPSHOT_BYTES = 5_700_000
BOOT_SAVED_MS = 1_700
LINKS = {
    "loopback": None,
    "mobile (1.6 Mbps, 150 ms)": {
        "offline": False,
        "latency": 150,
        "downloadThroughput": 1.6e6 / 8,
        "uploadThroughput": 750e3 / 8,
    },
}
FETCH = """async () => { const t0 = performance.now();
  const r = await fetch('snapshot-sized.bin', {cache: 'no-store'}); await r.arrayBuffer();
  return performance.now() - t0; }"""


def throttle(link):
    """``prepare`` for a page: the link's conditions on it, before it navigates."""

    def prepare(page):
        if link:
            page.context.new_cdp_session(page).send("Network.emulateNetworkConditions", link)

    return prepare


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=1, help="cold visits per link (a throttled one takes minutes)")
    args = parser.parse_args()
    with served_site() as (site, url), chromium() as browser:
        (site / "snapshot-sized.bin").write_bytes(os.urandom(SNAPSHOT_BYTES))
        print(f"{'link':28}{'5.7 MB arrives':>16}{'cold first live':>17}{'net':>10}")
        for name, link in LINKS.items():
            fetches = []
            for _ in range(args.runs):
                context = browser.new_context()
                page = context.new_page()
                throttle(link)(page)
                page.goto(url + "index.html")
                fetches.append(page.evaluate(FETCH))
                context.close()
            colds = []
            for _ in range(args.cold_runs):
                context = browser.new_context()
                colds.append(article_run(context, url, prepare=throttle(link))["first widget live"])
                context.close()
            wire, cold = median(fetches), median(colds)
            verdict = "pays" if wire < BOOT_SAVED_MS else "does not pay"
            print(f"{name:28}{wire:14.0f}ms{cold:15.0f}ms{BOOT_SAVED_MS - wire:+8.0f}ms  {verdict}")
        print(f"\nnet = {BOOT_SAVED_MS} ms less boot - the extra bytes' arrival time (positive: the snapshot pays)")


if __name__ == "__main__":
    main()
