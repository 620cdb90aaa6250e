"""Later visits: Python restored from the interpreter snapshot the first visit stored, with the
modules' bytecode it kept; a snapshot that won't restore or bytecode that won't load replaced
without a word; the file:// bundle; and the published site reopened with its server down (the
service worker)."""

import functools
import threading
import urllib.request
from collections import Counter
from urllib.parse import urlparse

import pytest

from maamar.serve import SiteHandler, make_server

from .conftest import Requests, action_button, output_text, prerendered_pictures_load, wait_for_runtime, wait_idle, widget

RUNTIME = "[data-runtime]"


def visit(context, url, traced=False):
    """A visit until the runtime is ready; ``traced``: also record Chromium's trace of
    how V8 compiled the wasm (``page.wasm_events``: the v8.wasm.* trace events)."""
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    if traced:
        cdp = context.new_cdp_session(page)
        events, complete = [], []
        cdp.on("Tracing.dataCollected", lambda data: events.extend(data["value"]))
        cdp.on("Tracing.tracingComplete", lambda _: complete.append(True))
        cdp.send(
            "Tracing.start",
            {
                "traceConfig": {"includedCategories": ["v8.wasm", "devtools.timeline", "disabled-by-default-devtools.timeline"]},
                "transferMode": "ReportEvents",
            },
        )
    page.goto(url)
    assert wait_for_runtime(page) == "ready"
    if traced:
        cdp.send("Tracing.end")
        while not complete:
            page.wait_for_timeout(50)
        page.wasm_events = [e for e in events if e["name"].startswith("v8.wasm.")]
    return page


def snapshot_settled(page) -> str:
    page.wait_for_function(f"() => document.querySelector('{RUNTIME}').dataset.snapshot", timeout=60_000)
    return page.eval_on_selector(RUNTIME, "e => e.dataset.snapshot")


def bytecode_settled(page) -> str:
    page.wait_for_function(
        f"() => ['stored', 'skipped', 'kept'].includes(document.querySelector('{RUNTIME}').dataset.bytecode)", timeout=60_000
    )
    return page.eval_on_selector(RUNTIME, "e => e.dataset.bytecode")


def kept_offline(page) -> None:
    """Waits until the service worker says it keeps the whole site (the progress line's data-offline)."""
    page.wait_for_function(f"() => document.querySelector('{RUNTIME}').dataset.offline === 'ready'", timeout=60_000)


def boot_path(page) -> str:
    return page.eval_on_selector(RUNTIME, "e => e.dataset.boot")


def marks(page) -> list[str]:
    return page.evaluate("() => performance.getEntriesByType('mark').map(m => m.name)")


# A copy of what a visit stored (the snapshot, the bytecode), from one IndexedDB database of
# the site's origin to another: the records never leave the browser.
COPY_SNAPSHOT = """([from, to]) => {
    const open = (name) => new Promise((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => request.result.createObjectStore('snapshots');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    const run = (db, mode, work) => new Promise((resolve, reject) => {
        const tx = db.transaction('snapshots', mode);
        const request = work(tx.objectStore('snapshots'));
        tx.oncomplete = () => { db.close(); resolve(request.result); };
        tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
    });
    const copy = (key) => open(from).then((db) => run(db, 'readonly', (store) => store.get(key))).then((record) => {
        if (!record) throw new Error('no ' + key + ' in ' + from);
        return open(to).then((db) => run(db, 'readwrite', (store) => store.put(record, key)));
    });
    return copy('interpreter').then(() => copy('bytecode')).then(() => true);
}"""


# What the tests do to a stored record, in place: the snapshot's bytes replaced by random
# ones ("random", same size, so Pyodide is offered them and must refuse them) or a valid
# header over a wiped heap ("wipe", which Pyodide takes, and the interpreter is broken);
# the bytecode kept as if for other wheels ("rekey") or with valid .pyc headers, which
# Python takes, over unreadable code ("garble").
CHANGE_RECORD = """([key, change]) => new Promise((resolve, reject) => {
    const open = indexedDB.open('maamar-snapshot', 1);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const tx = open.result.transaction('snapshots', 'readwrite');
      const store = tx.objectStore('snapshots');
      const get = store.get(key);
      get.onsuccess = () => {
        const record = get.result;
        if (change === 'random') {
          for (let i = 0; i < record.bytes.length; i += 65536) crypto.getRandomValues(record.bytes.subarray(i, i + 65536));
        }
        if (change === 'wipe') record.bytes.fill(0, 1 << 16);
        if (change === 'rekey') record.key += '-an-older-build';
        if (change === 'garble') for (const [, bytes] of record.files) bytes.fill(0xff, 16);
        store.put(record, key);
      };
      tx.oncomplete = () => { open.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
})"""
SNAPSHOT_DB, ASIDE = "maamar-snapshot", "maamar-test-first-visit"


def on_the_origin(context, server, script, arg=None):
    """Runs ``script`` in a page of the site's origin that boots no Python (the index)."""
    page = context.new_page()
    try:
        page.goto(server + "index.html")
        return page.evaluate(script, arg)
    finally:
        page.close()


@pytest.fixture(scope="module")
def first_visit(new_context, server):
    """One cold first visit, paid once for the tests that start from what it stored: what it
    saw (boot path, what became of its snapshot), and its context with the snapshot set aside."""
    context = new_context()
    first = visit(context, server + "article.html")
    seen = {"boot": boot_path(first), "snapshot": snapshot_settled(first), "bytecode": bytecode_settled(first)}
    kept_offline(first)
    first.close()
    if (seen["snapshot"], seen["bytecode"]) == ("stored", "stored"):
        on_the_origin(context, server, COPY_SNAPSHOT, [SNAPSHOT_DB, ASIDE])
    return context, seen


@pytest.fixture
def after_first_visit(first_visit, server):
    """The context as the first visit left it: its snapshot and bytecode put back, whatever the test before did."""
    context, seen = first_visit
    if (seen["snapshot"], seen["bytecode"]) == ("stored", "stored"):
        on_the_origin(context, server, COPY_SNAPSHOT, [ASIDE, SNAPSHOT_DB])
    yield context, seen
    for page in context.pages:  # no worker left warming up or writing into the next test
        page.close()


def press_step(page):
    w = widget(page, "trial-error")
    action_button(w, "step").click()
    wait_idle(page, w)
    return output_text(w)


def test_a_second_visit_starts_python_from_the_stored_snapshot_and_its_widgets_work(after_first_visit, server):
    context, first = after_first_visit
    assert first["boot"] == "cold"
    assert (first["snapshot"], first["bytecode"]) == ("stored", "stored")
    again = visit(context, server + "article.html", traced=True)
    assert boot_path(again) == "snapshot"
    assert "maamar:snapshot-restored" in marks(again)
    # numpy's and the widgets' modules load from the bytecode the first visit compiled.
    assert "maamar:bytecode-restored" in marks(again)
    assert again.evaluate("() => performance.getEntriesByName('maamar:bytecode-restored')[0].startTime") <= again.evaluate(
        "() => performance.getEntriesByName('maamar:w:import-numpy')[0].startTime"
    )
    # The restored interpreter runs on the optimised code V8 kept from the first visit:
    # the wasm compiled is the service worker's copy, kept as the first visit's boot
    # downloaded it (a copy fetched again for the offline cache would have none).
    hits = [e["args"].get("url", "") for e in again.wasm_events if e["name"] == "v8.wasm.moduleCacheHit"]
    assert [url.rsplit("/", 1)[-1] for url in hits] == ["pyodide.asm.wasm"], again.wasm_events
    # The worker marks each stage of its boot on the page's clock (benchmarks/boot.py reads them).
    stages = ["boot", "snapshot-read", "python", "packages", "import-numpy", "import-runtime"]
    times = again.evaluate(
        "(names) => names.map(n => (performance.getEntriesByName('maamar:w:' + n)[0] || {}).startTime)", stages
    )
    assert None not in times, dict(zip(stages, times))
    assert times[2:] == sorted(times[2:]) and times[0] <= times[1] <= times[2]
    assert times[-1] <= again.evaluate("() => performance.getEntriesByName('maamar:ready')[0].startTime")
    assert "ניסיונות: 1" in press_step(again)
    loop = widget(again, "training-loop")
    action_button(loop, "step").click()
    wait_idle(again, loop)
    assert "אחרי 1 חזרות" in loop.locator(".summary").inner_text()
    assert snapshot_settled(again) == "kept"
    assert bytecode_settled(again) == "kept"
    assert again.errors == []


def test_bytecode_kept_for_other_wheels_is_not_used_and_is_replaced(after_first_visit, server):
    context, first = after_first_visit
    assert first["bytecode"] == "stored"
    on_the_origin(context, server, CHANGE_RECORD, ["bytecode", "rekey"])
    again = visit(context, server + "article.html")
    assert "maamar:bytecode-restored" not in marks(again)
    assert "ניסיונות: 1" in press_step(again)
    assert bytecode_settled(again) == "stored"
    assert again.errors == []


def test_bytecode_that_python_cannot_read_is_dropped_and_python_starts_again_unseen(after_first_visit, server):
    context, first = after_first_visit
    assert first["bytecode"] == "stored"
    on_the_origin(context, server, CHANGE_RECORD, ["bytecode", "garble"])
    again = visit(context, server + "article.html")
    assert "ניסיונות: 1" in press_step(again)
    assert "לא הצלחנו" not in again.inner_text(RUNTIME)
    assert "maamar:bytecode-restored" in marks(again), "the first worker did restore it"
    assert bytecode_settled(again) == "stored", "the second worker compiled from source and kept new bytecode"
    assert again.errors == []
    third = visit(context, server + "article.html")
    assert "maamar:bytecode-restored" in marks(third)
    assert "ניסיונות: 1" in press_step(third)


CORRUPTIONS = ("random bytes", "wiped heap")


@pytest.mark.parametrize("corruption", CORRUPTIONS)
def test_a_snapshot_that_does_not_restore_is_replaced_and_python_starts_cold(after_first_visit, server, corruption):
    context, first = after_first_visit
    assert first["snapshot"] == "stored"
    on_the_origin(context, server, CHANGE_RECORD, ["interpreter", "wipe" if corruption == "wiped heap" else "random"])
    again = visit(context, server + "article.html")
    assert "maamar:snapshot-discarded" in marks(again)
    assert boot_path(again) == "cold"
    assert "לא הצלחנו" not in again.inner_text(RUNTIME)
    assert "ניסיונות: 1" in press_step(again)
    assert snapshot_settled(again) == "stored", "a good snapshot replaces the bad one"
    assert again.errors == []
    third = visit(context, server + "article.html")
    assert boot_path(third) == "snapshot"


def test_from_disk_the_bundle_boots_python_and_a_second_visit_uses_the_snapshot(opened_from_disk, site_dir):
    # The first visit (a cold boot, one step pressed) is the fixture's, shared with test_runtime.
    first = opened_from_disk
    assert first.stage == "ready"
    assert "ניסיונות: 1" in first.output
    settled = snapshot_settled(first.page)
    first.page.close()
    again = visit(first.context, (site_dir / "article.html").as_uri())
    assert "ניסיונות: 1" in press_step(again)
    # Chromium keeps IndexedDB for file:// pages (a browser that doesn't skips the snapshot quietly).
    assert (settled, boot_path(again)) == ("stored", "snapshot")
    again.close()


def counting_server(site_dir, counts: Counter):
    """The site on loopback, counting the GET requests that reach it, by path."""

    class Counting(SiteHandler):
        def do_GET(self):
            counts[urlparse(self.path).path.lstrip("/")] += 1
            super().do_GET()

    server = make_server(site_dir, 0)
    server.RequestHandlerClass = functools.partial(Counting, directory=str(site_dir))
    return server


def test_after_one_visit_the_site_opens_and_goes_live_with_the_server_down(browser, site_dir):
    counts = Counter()
    server = counting_server(site_dir, counts)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    requests = Requests(url)
    context = browser.new_context()
    context.route("**/*", requests.check)
    try:
        first = visit(context, url + "article.html")
        kept_offline(first)
        assert "בלי רשת" in first.inner_text(RUNTIME)
        # The service worker controlled the boot: it kept each runtime file as the boot
        # downloaded it (the wasm compiled is its cached copy), so keeping the site for
        # offline reading downloaded none of them a second time.
        runtime = {name: n for name, n in counts.items() if name.startswith("pyodide/")}
        assert "pyodide/pyodide.asm.wasm" in runtime and any(name.endswith(".whl") for name in runtime)
        assert set(runtime.values()) == {1}, runtime
        snapshot_settled(first)
        title, words = first.inner_text("h1"), len(first.inner_text("main").split())
        server.shutdown()
        server.server_close()
        with pytest.raises(OSError):  # the server is really gone
            urllib.request.urlopen(url + "article.html", timeout=5)
        first.reload()
        assert prerendered_pictures_load(first) == 3, "the kept site shows its pictures too"
        assert wait_for_runtime(first) == "ready"
        assert first.inner_text("h1") == title and len(first.inner_text("main").split()) >= words - 50
        assert "ניסיונות: 1" in press_step(first)
        # Every page of the site was kept, not only the one visited.
        first.goto(url)
        assert first.locator(".article-list a").count() >= 1
        first.locator(".article-list a").first.click()
        assert wait_for_runtime(first) == "ready"
        assert first.errors == []
        assert requests.foreign == []
    finally:
        context.close()
        server.server_close()
