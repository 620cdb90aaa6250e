/* ---------- the worker ---------- */
let worker = null;
let ready = false;
let failed = false;
let nextId = 1;
const waiting = new Map();           // id -> {resolve, reject}
let readyResolve;
const readyPromise = new Promise((resolve) => { readyResolve = resolve; });
let diskFiles = null;
let watchdog = null;
const BOOT_TIMEOUT_MS = 120000;

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const el = document.createElement("script");
    el.src = src;
    el.onload = resolve;
    el.onerror = () => reject(new Error("could not load " + src));
    document.head.appendChild(el);
  });
}

function decode(b64) {
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

async function makeWorker() {
  if (!fromDisk) return { worker: new Worker(new URL(manifest.worker, base)), files: null };
  // From disk: fetch and module workers are blocked, classic scripts are not.
  if (!diskFiles) {
    if (!manifest.bundle) throw new Error("no file bundle in this build");
    await loadScript(new URL(manifest.bundle, base).href);
    diskFiles = self.MAAMAR_FILES;
    delete self.MAAMAR_FILES;
  }
  const files = {};
  for (const [name, b64] of Object.entries(diskFiles)) files[name] = decode(b64);
  const source = files[manifest.worker];
  delete files[manifest.worker];
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return { worker: new Worker(url), files };
}

async function startWorker(restarting) {
  ready = false;
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
  // A boot that neither succeeds nor fails in this long (a hung download) counts as failed.
  clearTimeout(watchdog);
  watchdog = setTimeout(() => { if (!ready) bootFailed(new Error("boot timed out")); }, BOOT_TIMEOUT_MS);
  const transfer = made.files ? Object.values(made.files) : [];
  worker.postMessage({ type: "boot", base, manifest, files: made.files }, transfer);
}

function bootFailed(err) {
  if (failed) return;
  failed = true;
  console.error("maamar: Python could not start:", err);
  showStage("failed");
  for (const widget of widgets) widget.runtimeFailed();
  for (const { reject } of waiting.values()) reject(new Error("runtime failed"));
  waiting.clear();
}

function onMessage(event) {
  const message = event.data;
  if (message.type === "progress" && message.stage === "warm") return performance.mark("maamar:warm");
  if (message.type === "progress") return failed || ready ? undefined : showStage(message.stage, message);
  if (message.type === "ready") {
    ready = true;
    showStage("ready");
    readyResolve(true);
    for (const widget of widgets) widget.runtimeReady();
    return;
  }
  if (message.type === "failed") return bootFailed(new Error(message.error));
  const entry = waiting.get(message.id);
  if (!entry) return;
  waiting.delete(message.id);
  if (message.ok) entry.resolve(message.output);
  else entry.reject(Object.assign(new Error(message.error), { python: true }));
}

function request(widget, action, params, state) {
  return new Promise((resolve, reject) => {
    if (failed) return reject(new Error("runtime failed"));
    const id = nextId++;
    waiting.set(id, { resolve, reject });
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
  startWorker(true);
}

/* After a failed boot, the reader may try again (a flaky network, a blocked file
 * that is back): a fresh worker boots as after a cancel. */
function retryBoot() {
  if (!failed) return;
  if (worker) worker.terminate();
  worker = null;
  failed = false;
  startWorker(true);
}
