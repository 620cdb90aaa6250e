/* maamar worker: boots Pyodide off the main thread and runs widget actions.
 *
 * Protocol (page → worker):
 *   {type: "boot", base, manifest, files?}   files: {name: ArrayBuffer} when the page came from file://
 *   {id, widget, action, params, state, lang}  one widget action, in the page's language
 *   {id, cell, code, page}                   run code cell number `cell` in the page's namespace
 * (worker → page):
 *   {type: "progress", stage, done, total}   stage: download | start | numpy | demos
 *   {type: "ready"} | {type: "failed", error}
 *   {id, ok: true, output} | {id, ok: false, error}
 *
 * Every runtime file is requested at once when booting starts, so numpy and our
 * wheel download while Python is still starting; Pyodide's own fetches are then
 * served from those promises.  The same shim serves the bytes the page transfers
 * when it was opened from disk, where fetch is not allowed.
 */
"use strict";

let callJson = null;
let python = null;                   // the Pyodide instance, for the code-cell runner
let runCellJson = null;              // maamar_live.cells.run_json, imported on the first cell run
let bootError = null;
const pending = [];

function post(message) { self.postMessage(message); }

function fileName(url) {
  return decodeURIComponent(String(url).split("?")[0].split("#")[0].split("/").pop());
}

function contentType(name) {
  if (name.endsWith(".wasm")) return "application/wasm";
  if (name.endsWith(".json")) return "application/json";
  if (name.endsWith(".js")) return "text/javascript";
  return "application/octet-stream";
}

/* Start every download now; report bytes as they arrive. */
function prefetch(base, manifest) {
  const sizes = manifest.sizes;
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const received = {};
  let lastPost = 0;
  const report = (force) => {
    const now = Date.now();
    if (!force && now - lastPost < 100) return;
    lastPost = now;
    const done = Object.values(received).reduce((a, b) => a + b, 0);
    post({ type: "progress", stage: "download", done, total });
  };
  const entries = {};
  for (const path of Object.keys(sizes)) {
    const url = new URL(path, base).href;
    entries[fileName(path)] = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      const reader = response.body.getReader();
      const chunks = [];
      let size = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        size += value.length;
        received[path] = size;
        report(false);
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
      report(true);
      return bytes.buffer;
    });
  }
  return entries;
}

/* Pyodide asks fetch to check each wheel's sha256 (from pyodide-lock.json) through
 * the integrity option; bytes we serve ourselves are checked here the same way. */
async function checkIntegrity(buffer, integrity, url) {
  const [algorithm, expected] = integrity.split("-", 2);
  if (algorithm !== "sha256" || !self.crypto || !self.crypto.subtle) return;
  const digest = new Uint8Array(await self.crypto.subtle.digest("SHA-256", buffer));
  const actual = btoa(String.fromCharCode(...digest));
  if (actual !== expected) throw new TypeError(`integrity check failed for ${url}`);
}

function installShim(entries) {
  const realFetch = self.fetch.bind(self);
  self.fetch = async (resource, init) => {
    const url = String(resource instanceof Request ? resource.url : resource);
    const entry = entries[fileName(url)];
    if (!entry) return realFetch(resource, init);
    const buffer = await entry;
    if (init && init.integrity) await checkIntegrity(buffer, init.integrity, url);
    return new Response(buffer.slice(0), { status: 200, headers: { "Content-Type": contentType(fileName(url)) } });
  };
}

async function boot({ base, manifest, files }) {
  const indexURL = new URL(manifest.pyodide, base).href;
  let entries;
  if (files) {
    entries = {};
    for (const [name, buffer] of Object.entries(files)) entries[fileName(name)] = Promise.resolve(buffer);
    const total = Object.values(files).reduce((a, b) => a + b.byteLength, 0);
    post({ type: "progress", stage: "download", done: total, total });
  } else {
    entries = prefetch(base, manifest);
  }
  // A failed download must fail the boot, not hang it: Pyodide swallows some fetch
  // errors (a wasm that never arrives leaves loadPyodide pending forever).
  const anyFailure = new Promise((_, reject) => {
    for (const entry of Object.values(entries)) entry.catch(reject);
  });
  const orFail = (work) => Promise.race([work, anyFailure]);
  installShim(entries);
  // pyodide.js and pyodide.asm.js are classic scripts: import them from the bytes we
  // already hold, so the same path works over http and from disk.
  for (const name of ["pyodide.js", "pyodide.asm.js"]) {
    const blob = new Blob([await orFail(entries[name])], { type: "text/javascript" });
    const url = URL.createObjectURL(blob);
    try { importScripts(url); } finally { URL.revokeObjectURL(url); }
  }
  post({ type: "progress", stage: "start" });
  const pyodide = await orFail(self.loadPyodide({ indexURL, fullStdLib: false }));
  post({ type: "progress", stage: "numpy" });
  const errors = [];
  const quiet = { messageCallback: () => {}, errorCallback: (m) => errors.push(m) };
  // numpy and our wheel in one call: Pyodide installs them concurrently.
  await orFail(pyodide.loadPackage(manifest.packages, quiet));
  post({ type: "progress", stage: "demos" });
  // loadPackage logs failures instead of throwing: importing is the real check.
  try {
    pyodide.runPython("import numpy, maamar_live.runtime");
  } catch (err) {
    throw new Error(`import failed: ${errors.join("; ") || err.message}`);
  }
  callJson = pyodide.runPython("maamar_live.runtime.call_json");
  python = pyodide;
  post({ type: "ready" });
  // Get every widget ready (import its module, build its models) one per task,
  // so the page is live at once, requests interleave, and a reader's first press
  // on a later widget doesn't pay for its models.
  const warmOne = pyodide.runPython("maamar_live.runtime.warm");
  let next = 0;
  const warm = () => {
    try {
      if (warmOne(next++)) setTimeout(warm, 0);
      else post({ type: "progress", stage: "warm" });
    } catch (err) { console.warn("maamar: warm-up", err); }
  };
  setTimeout(warm, 0);
}

function handleCell({ id, cell, code, page }) {
  try {
    if (!runCellJson) runCellJson = python.runPython("import maamar_live.cells\nmaamar_live.cells.run_json");
    post({ id, ok: true, output: JSON.parse(runCellJson(JSON.stringify({ cell, code, page }))) });
  } catch (err) {   // the runner catches the cell's own exceptions: this is the runner failing
    post({ id, ok: false, error: String(err && err.message ? err.message : err).slice(-2000) });
  }
}

function handle(request) {
  if ("cell" in request) return handleCell(request);
  const { id, widget, action, params, state, lang } = request;
  try {
    const output = JSON.parse(callJson(JSON.stringify({ widget, action, params, state, lang })));
    post({ id, ok: true, output });
  } catch (err) {
    // The page shows a short Hebrew message; the details go to the console.
    post({ id, ok: false, error: String(err && err.message ? err.message : err).slice(-2000) });
  }
}

function failBoot(err) {
  if (callJson || bootError) return;
  bootError = String(err && err.message ? err.message : err);
  post({ type: "failed", error: bootError });
}

// Pyodide reports some start-up failures (a wasm that won't compile) as stray
// rejections rather than through loadPyodide's promise: catch those too.
self.addEventListener("unhandledrejection", (event) => failBoot(event.reason));
self.addEventListener("error", (event) => failBoot(event.message));

self.onmessage = (event) => {
  const message = event.data;
  if (message.type === "boot") {
    boot(message).then(() => {
      for (const request of pending.splice(0)) handle(request);
    }).catch(failBoot);
  } else if (callJson) {
    handle(message);
  } else if (bootError) {
    post({ id: message.id, ok: false, error: bootError });
  } else {
    pending.push(message);
  }
};
