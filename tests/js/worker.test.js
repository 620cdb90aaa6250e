"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { loadParts } = require("./load.js");

// A Worker that records what the page posts and answers only when the test says so.
function fakeRuntime() {
  const workers = [];
  class FakeWorker {
    constructor() { this.posted = []; workers.push(this); }
    postMessage(message) { this.posted.push(message); }
    terminate() { this.terminated = true; }
  }
  const stages = [];
  const loaded = loadParts(["20-worker.js"], {
    Worker: FakeWorker,
    manifest: { worker: "assets/js/worker.js", bundle: "" },
    base: "http://site.test/",
    fromDisk: false,
    lang: "he",
    widgets: [],
    cells: [],
    showStage: (stage) => stages.push(stage),
    performance: { mark() {} },
    console: { error() {}, warn() {}, log: console.log },
  });
  return { ...loaded, workers, stages, answer: (message) => workers.at(-1).onmessage({ data: message }) };
}

test("the runtime goes idle, booting, ready, and mirrors ready/failed for the binder", async () => {
  const rt = fakeRuntime();
  assert.equal(rt.run("runtimeState"), "idle");
  await rt.run("startWorker(false)");
  assert.equal(rt.run("runtimeState"), "booting");
  assert.equal(rt.workers[0].posted[0].type, "boot");
  rt.answer({ type: "ready" });
  assert.equal(rt.run("runtimeState"), "ready");
  assert.equal(rt.run("ready"), true);
  assert.equal(await rt.run("readyPromise"), true);
  rt.run("clearTimeout(watchdog)");
});

test("a failed boot is final: a late ready does not revive it", async () => {
  const rt = fakeRuntime();
  await rt.run("startWorker(false)");
  rt.answer({ type: "failed", error: "no wasm" });
  assert.equal(rt.run("runtimeState"), "failed");
  rt.answer({ type: "ready" });
  assert.equal(rt.run("runtimeState"), "failed");
  assert.deepEqual([rt.run("ready"), rt.run("failed")], [false, true]);
  await assert.rejects(rt.run("request('gym', 'init', {}, null)"), /runtime failed/);
  rt.run("clearTimeout(watchdog)");
});

test("a request with no answer ends in an error after the timeout, and a late answer is ignored", async () => {
  const rt = fakeRuntime();
  await rt.run("startWorker(false)");
  rt.answer({ type: "ready" });
  rt.run("requestTimeoutMs = 30");
  const pending = rt.run("request('gym', 'step', {}, null)");
  const sent = rt.workers[0].posted.at(-1);
  assert.deepEqual([sent.widget, sent.action, sent.lang], ["gym", "step", "he"]);
  await assert.rejects(pending, (err) => err.timedOut === true && !err.cancelled && !err.python);
  assert.equal(rt.run("waiting.size"), 0);
  rt.answer({ id: sent.id, ok: true, output: {} });   // too late: nobody is waiting
  rt.run("clearTimeout(watchdog)");
});

test("an answer in time resolves and clears its timer", async () => {
  const rt = fakeRuntime();
  await rt.run("startWorker(false)");
  rt.answer({ type: "ready" });
  rt.run("requestTimeoutMs = 20");
  const pending = rt.run("request('gym', 'init', {}, null)");
  rt.answer({ id: rt.workers[0].posted.at(-1).id, ok: true, output: { html: "<p>x</p>" } });
  assert.deepEqual(await pending, { html: "<p>x</p>" });
  await new Promise((r) => setTimeout(r, 40));       // the timer would have rejected by now
  rt.run("clearTimeout(watchdog)");
});

test("restarting goes through the restarting state back to ready", async () => {
  const rt = fakeRuntime();
  await rt.run("startWorker(false)");
  rt.answer({ type: "ready" });
  const pending = rt.run("request('gym', 'step', {}, null)");
  rt.run("restartWorker()");
  await assert.rejects(pending, (err) => err.cancelled === true);
  assert.equal(rt.workers[0].terminated, true);
  await new Promise((r) => setImmediate(r));
  assert.equal(rt.run("runtimeState"), "restarting");
  assert.equal(rt.run("ready"), false);
  rt.answer({ type: "ready" });
  assert.equal(rt.run("runtimeState"), "ready");
  rt.run("clearTimeout(watchdog)");
});

test("the boot watchdog counts from the worker's last sign of life, not from the start", async () => {
  const rt = fakeRuntime();
  rt.run("bootStallMs = 40");
  await rt.run("startWorker(false)");
  for (let i = 0; i < 4; i++) {                      // a slow download: 120 ms in all, progress every 20 ms
    await new Promise((r) => setTimeout(r, 20));
    rt.answer({ type: "progress", stage: "download", done: i, total: 4 });
  }
  assert.equal(rt.run("runtimeState"), "booting");
  await new Promise((r) => setTimeout(r, 80));       // then silence: a hung boot
  assert.equal(rt.run("runtimeState"), "failed");
});

test("a boot that failed on something kept from an earlier visit starts over once, silently", async () => {
  const rt = fakeRuntime();
  await rt.run("startWorker(false)");
  rt.answer({ type: "failed", error: "import failed: bad marshal data", retry: true });
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.equal(rt.workers.length, 2, "a new worker");
  assert.equal(rt.workers[0].terminated, true);
  assert.equal(rt.workers[1].posted[0].type, "boot");
  assert.equal(rt.run("runtimeState"), "booting");
  assert.ok(!rt.stages.includes("failed"));
  // Only once: the same failure again is the reader's to see.
  rt.answer({ type: "failed", error: "import failed: bad marshal data", retry: true });
  assert.equal(rt.run("runtimeState"), "failed");
  assert.equal(rt.workers.length, 2);
  rt.run("clearTimeout(watchdog)");
});
