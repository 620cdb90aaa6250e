/* ---------- the worker ---------- */
// The runtime's one state; every change goes through setRuntimeState.  `ready` and
// `failed` mirror it for the binder (40-binder.js reads them; nothing else writes them).
const RUNTIME = Object.freeze({ IDLE: "idle", BOOTING: "booting", READY: "ready", RESTARTING: "restarting", FAILED: "failed" });
let runtimeState = RUNTIME.IDLE;
let ready = false;
let failed = false;
function setRuntimeState(next, retry = false) {
  // Failed is final (the page keeps its pre-rendered outputs) until the reader asks to try again.
  if (runtimeState === RUNTIME.FAILED && !retry) return false;
  runtimeState = next;
  ready = next === RUNTIME.READY;
  failed = next === RUNTIME.FAILED;
  return true;
}
// A request Python neither answers nor fails in this long (a hung action) ends in the
// widget's error, in the page's language; the reader can retry or stop (restart) Python.
let requestTimeoutMs = 90000;
let worker = null;
let nextId = 1;
const waiting = new Map();           // id -> {resolve, reject}
let readyResolve;
const readyPromise = new Promise((resolve) => { readyResolve = resolve; });
const bundle = [];                   // file:// only: each part of the bundle as loaded, kept for restarts
let bundleRest = null;
let watchdog = null;
let bootRetried = false;             // the one silent new start a worker may ask for
// A boot that shows no sign of life (no progress, no stage mark) for this long is hung
// and counts as failed.  Measured from the worker's last message, not from the start:
// on a slow link (1.6 Mbps) a healthy first visit spends 90 s on the download alone.
let bootStallMs = 120000;
function armWatchdog() {
  clearTimeout(watchdog);
  watchdog = setTimeout(() => { if (!ready) bootFailed(new Error("boot stalled")); }, bootStallMs);
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error("could not load " + src));
    document.head.appendChild(el);
  });
}

async function bundlePart(index) {
  if (!bundle[index]) {
    await loadScript(new URL(manifest.bundle[index], base).href);
    bundle[index] = self.MAAMAR_BUNDLE;
    delete self.MAAMAR_BUNDLE;
  }
  return bundle[index];
}

/* The worker's own source, from the bundle (base64, maybe gzip'd). */
async function workerSource(entry) {
  const binary = atob(entry.data);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const blob = new Blob([bytes]);
  if (!entry.gzip) return blob;
  return new Response(blob.stream().pipeThrough(new DecompressionStream("gzip"))).blob();
}

/* Parts after the first load one after another while the worker boots, each
 * handed to whichever worker is running as it arrives (a restarted worker gets
 * those already loaded with its boot message). */
function loadBundleRest() {
  bundleRest = bundleRest || (async () => {
    for (let index = 1; index < manifest.bundle.length; index++) {
      const loaded = !!bundle[index];
      const files = await bundlePart(index);
      if (!loaded && worker) worker.postMessage({ type: "files", files });
    }
  })();
  return bundleRest;
}

async function makeWorker() {
  if (!fromDisk) return { worker: new Worker(new URL(manifest.worker, base)), files: null };
  // From disk: fetch and module workers are blocked, classic scripts are not.
  if (!manifest.bundle.length) throw new Error("no file bundle in this build");
  const files = Object.assign({}, await bundlePart(0), ...bundle.slice(1).filter(Boolean));
  const source = await workerSource(files[manifest.worker]);
  delete files[manifest.worker];
  return { worker: new Worker(URL.createObjectURL(new Blob([source], { type: "text/javascript" }))), files };
}

async function startWorker(restarting, retry = false) {
  if (!setRuntimeState(restarting ? RUNTIME.RESTARTING : RUNTIME.BOOTING, retry)) return;
  showStage(restarting ? "restart" : "download", restarting ? null : { done: 0, total: 1 });
  let made;
  try {
    made = await makeWorker();
  } catch (err) {
    return bootFailed(err);
  }
  worker = made.worker;
  worker.onmessage = onMessage;
  worker.onerror = (event) => bootFailed(new Error(event.message || "worker error"));
  armWatchdog();
  worker.postMessage({ type: "boot", base, manifest, files: made.files });
  if (fromDisk) loadBundleRest().catch(bootFailed);
}

function bootFailed(err) {
  if (!setRuntimeState(RUNTIME.FAILED)) return;
  console.error("maamar: Python could not start:", err);
  showStage("failed");
  for (const widget of widgets) widget.runtimeFailed();
  for (const cell of cells) cell.runtimeFailed();
  for (const { reject } of waiting.values()) reject(new Error("runtime failed"));
  waiting.clear();
}

function onMessage(event) {
  const message = event.data;
  if (!ready && (message.type === "mark" || message.type === "progress")) armWatchdog();
  if (message.type === "mark") return performance.mark("maamar:w:" + message.name, { startTime: message.at - performance.timeOrigin });
  if (message.type === "progress" && message.stage === "warm") return performance.mark("maamar:warm");
  if (message.type === "progress") return failed || ready ? undefined : showStage(message.stage, message);
  if (message.type === "ready") {
    if (!setRuntimeState(RUNTIME.READY)) return;
    showStage("ready");
    readyResolve(true);
    for (const widget of widgets) widget.runtimeReady();
    for (const cell of cells) cell.runtimeReady();
    return;
  }
  if (message.type === "failed" && message.retry && !bootRetried) {
    // The worker threw away something kept from an earlier visit that broke its start:
    // once per page, a new worker starts over, with nothing shown to the reader.
    bootRetried = true;
    console.warn("maamar: starting Python again:", message.error);
    worker.terminate();
    return startWorker(false, true);
  }
  if (message.type === "failed") return bootFailed(new Error(message.error));
  if (message.type === "snapshot") return snapshotState(message.state);
  if (message.type === "bytecode") return bytecodeState(message.state);
  const entry = waiting.get(message.id);
  if (!entry) return;
  waiting.delete(message.id);
  if (message.ok) entry.resolve(message.output);
  else entry.reject(Object.assign(new Error(message.error), { python: true }));
}

/* Which way Python started (data-boot: snapshot | cold) and what became of the
 * snapshot (data-snapshot), for tests and benchmarks; each also a performance mark. */
function snapshotState(state) {
  performance.mark("maamar:snapshot-" + state);
  if (!runtimeEl) return;
  if (state === "restored") runtimeEl.dataset.boot = "snapshot";
  else if (state === "cold" || state === "discarded") runtimeEl.dataset.boot = "cold";
  else runtimeEl.dataset.snapshot = state;
}

/* What became of the modules' bytecode (data-bytecode: restored, then stored | skipped | kept). */
function bytecodeState(state) {
  performance.mark("maamar:bytecode-" + state);
  if (runtimeEl) runtimeEl.dataset.bytecode = state;
}

function request(widget, action, params, state) {
  return new Promise((resolve, reject) => {
    if (failed) return reject(new Error("runtime failed"));
    const id = nextId++;
    const timer = setTimeout(() => {
      if (!waiting.has(id)) return;
      waiting.delete(id);                    // a late answer is ignored
      reject(Object.assign(new Error(`no answer in ${requestTimeoutMs} ms`), { timedOut: true }));
    }, requestTimeoutMs);
    const settle = (fn) => (value) => { clearTimeout(timer); fn(value); };
    waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
    worker.postMessage({ id, widget, action, params, state, lang });
  });
}

/* Cancelling a long action: the only way to stop Python mid-loop is to end the
 * worker.  A new one boots; every widget keeps its last output and state, which
 * the page holds and sends with each request, so nothing else is lost. */
function restartWorker() {
  if (worker) worker.terminate();
  for (const { reject } of waiting.values()) reject(Object.assign(new Error("cancelled"), { cancelled: true }));
  waiting.clear();
  for (const widget of widgets) widget.runtimeRestarting();
  for (const cell of cells) cell.runtimeRestarting();
  startWorker(true);
}

/* After a failed boot, the reader may try again (a flaky network, a blocked file
 * that is back): a fresh worker boots as after a cancel. */
function retryBoot() {
  if (!failed) return;
  if (worker) worker.terminate();
  worker = null;
  startWorker(true, true);
}
