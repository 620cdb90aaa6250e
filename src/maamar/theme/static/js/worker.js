/* maamar worker: boots Pyodide off the main thread and runs widget actions.
 *
 * Protocol (page → worker):
 *   {type: "boot", base, manifest, files?}   files: {path: {gzip, data}} when the page came from file://
 *                                            manifest: {pyodide, sizes, sha256, wheels, snapshot, ...} (pipeline.py)
 *   {type: "files", files}                   more of them (the file:// bundle arrives in parts)
 *   {id, widget, action, params, state, lang}  one widget action, in the page's language
 *   {id, cell, code, page}                   run code cell number `cell` in the page's namespace
 * (worker → page):
 *   {type: "progress", stage, done, total}   stage: download | start | numpy | demos
 *   {type: "ready"} | {type: "failed", error, retry}   retry: a new worker will do (kept bytecode was bad)
 *   {type: "snapshot", state}   state: restored | cold | discarded (boot path), then stored | skipped | kept
 *   {type: "bytecode", state}   state: restored (the kept .pyc files were written back), then stored | skipped | kept
 *   {type: "mark", name, at}   a stage of the boot done, at epoch ms (performance marks maamar:w:NAME)
 *   {id, ok: true, output} | {id, ok: false, error}
 *
 * Every runtime file is requested at once when booting starts, so numpy and our
 * wheel download (and are unpacked) while Python is still starting; Pyodide's own fetches are then
 * served from those promises.  The same shim serves the bytes the page transfers
 * when it was opened from disk, where fetch is not allowed.
 *
 * Later visits start Python from a memory snapshot of the bare interpreter, taken
 * on the first visit right after it started (before any package: Pyodide 0.27
 * cannot restore one taken later) and kept in IndexedDB under a key naming the
 * exact Pyodide files.  A snapshot that fails to restore is deleted and Python
 * starts cold, with nothing shown to the reader.
 */
"use strict";

let callJson = null;
let python = null;                   // the Pyodide instance, for the code-cell runner
let runCellJson = null;              // maamar_live.cells.run_json, imported on the first cell run
let bootError = null;
const pending = [];

function post(message) { self.postMessage(message); }

/* A timing mark for benchmarks/boot.py: the page records it as performance mark
 * "maamar:w:NAME" at the worker's moment (both clocks count from the epoch). */
function mark(name) { post({ type: "mark", name, at: performance.timeOrigin + performance.now() }); }

function fileName(url) {
  return decodeURIComponent(String(url).split("?")[0].split("#")[0].split("/").pop());
}

function contentType(name) {
  if (name.endsWith(".wasm")) return "application/wasm";
  if (name.endsWith(".json")) return "application/json";
  if (name.endsWith(".js")) return "text/javascript";
  return "application/octet-stream";
}

/* A stream read to its end, as one new Uint8Array (its own buffer); onChunk(bytes so far) after each chunk. */
async function readAll(readable, onChunk = () => {}) {
  const reader = readable.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    onChunk(size);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) { bytes.set(chunk, offset); offset += chunk.length; }
  return bytes;
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
      const bytes = await readAll(response.body, (size) => { received[path] = size; report(false); });
      report(true);
      return bytes.buffer;
    });
  }
  return entries;
}

/* Checks bytes against a pinned "sha256-<base64>" before anything reads them. */
async function checkIntegrity(buffer, integrity, url) {
  const [algorithm, expected] = integrity.split("-", 2);
  // crypto.subtle exists on http(s) and file:// pages' workers; without it (an insecure
  // origin) the bytes still came from our own server, so there is nothing else to check.
  if (algorithm !== "sha256" || !self.crypto || !self.crypto.subtle) return;
  const digest = new Uint8Array(await self.crypto.subtle.digest("SHA-256", buffer));
  const actual = btoa(String.fromCharCode(...digest));
  if (actual !== expected) throw new TypeError(`integrity check failed for ${url}`);
}

/* ---------- file:// : the bundle's files arrive from the page, base64 and maybe gzip'd ---------- */
function fromBase64(text) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function unpack({ gzip, data }) {
  const bytes = fromBase64(data);
  if (!gzip) return bytes.buffer;
  return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
}

let deliverFiles = null;   // set while booting from file://: takes each {path: entry} the page sends

/* One pending entry per runtime file, resolved as the page's bundle parts arrive. */
function awaitBundle(manifest) {
  const sizes = manifest.sizes;
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  const entries = {};
  const settle = {};
  let done = 0;
  for (const path of Object.keys(sizes)) {
    entries[fileName(path)] = new Promise((resolve, reject) => { settle[fileName(path)] = { resolve, reject }; });
  }
  deliverFiles = (files) => {
    for (const [path, entry] of Object.entries(files)) {
      const target = settle[fileName(path)];
      if (!target) continue;
      delete settle[fileName(path)];
      unpack(entry).then((buffer) => {
        done += sizes[path] || 0;
        post({ type: "progress", stage: "download", done, total });
        target.resolve(buffer);
      }, target.reject);
    }
  };
  return entries;
}

/* ---------- wheels: unpacked here, not by Pyodide's loadPackage ----------
 * loadPackage unpacks a wheel in Python (zipfile, zlib, and the imports its installer
 * needs), then loads each of its .so files.  Right after a snapshot restore that Python
 * runs in V8's baseline code: 1.2-1.5 s on a later visit, 0.8 s cold.  Here each wheel
 * is inflated by the browser's own DecompressionStream as soon as it has arrived and
 * passed its sha256 check, while Python is still starting; once Python is up, its files
 * are written into site-packages, and Python's import loads each extension module when
 * it is first imported (a synchronous compile, which a worker may do).  This reads the
 * wheels the build chose (numpy's official one and ours): plain zip, no .data folders,
 * no bundled .libs; anything else stops the boot with a message naming the wheel. */
const ZIP_END = 0x06054b50, ZIP_CENTRAL = 0x02014b50, ZIP_LOCAL = 0x04034b50;

async function inflateRaw(bytes) {
  const stream = new DecompressionStream("deflate-raw");
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});   // errors surface on the reading side
  writer.close().catch(() => {});
  return readAll(stream.readable);
}

/* A relative path that stays inside the folder it is written under. */
function safeRelative(name) {
  const parts = name.split("/");
  return !name.startsWith("/") && !parts.includes("..") && !parts.includes("");
}

/* Files [[relative path, bytes, mtime?], ...] written under `root` in Pyodide's file
 * system, folders made as needed; each gets `mtime` (epoch ms) where one is given. */
function writeFiles(FS, root, files) {
  const made = new Set();
  for (const [name, bytes, mtime] of files) {
    const path = `${root}/${name}`;
    const folder = path.slice(0, path.lastIndexOf("/"));
    if (!made.has(folder)) { FS.mkdirTree(folder); made.add(folder); }
    FS.writeFile(path, bytes);
    if (mtime !== undefined) FS.utime(path, mtime, mtime);
  }
}

/* A zip entry's DOS date and time, as epoch ms (read as UTC: only its sameness matters). */
function zipTime(date, time) {
  return Date.UTC(1980 + (date >> 9), ((date >> 5) & 15) - 1, date & 31, time >> 11, (time >> 5) & 63, (time & 31) * 2);
}

/* [[path inside site-packages, bytes, mtime], ...] of one wheel, every entry inflated at once. */
async function wheelFiles(buffer, wheel) {
  const bytes = new Uint8Array(buffer);
  const view = new DataView(buffer);
  const bad = (what) => new Error(`${wheel}: ${what}`);
  let end = bytes.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== ZIP_END) end--;
  if (end < 0) throw bad("not a zip archive");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const files = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== ZIP_CENTRAL) throw bad("damaged central directory");
    const method = view.getUint16(at + 10, true);
    const mtime = zipTime(view.getUint16(at + 14, true), view.getUint16(at + 12, true));
    const packed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    if (name.endsWith("/")) continue;
    if (!safeRelative(name)) throw bad(`unsafe path ${name}`);
    const top = name.split("/")[0];
    if (top.endsWith(".data")) throw bad(`${top}/ is not supported (only plain wheels)`);
    if (packed === 0xffffffff || size === 0xffffffff) throw bad("zip64 is not supported");
    if (view.getUint32(local, true) !== ZIP_LOCAL) throw bad(`damaged entry ${name}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + packed);
    if (method !== 0 && method !== 8) throw bad(`${name} uses zip method ${method}`);
    files.push((method === 0 ? Promise.resolve(data.slice()) : inflateRaw(data)).then((out) => {
      if (out.length !== size) throw bad(`${name} unpacked to ${out.length} bytes, not ${size}`);
      return [name, out, mtime];
    }));
  }
  return Promise.all(files);
}

/* The unpacked wheels' files into site-packages, where the next import finds them, each
 * with its time from the wheel (so a .pyc kept from an earlier visit matches it).
 * Returns the site-packages folder. */
function installWheels(pyodide, unpacked) {
  const sitePackages = pyodide.runPython("import sys\nnext((p for p in sys.path if p.endswith('/site-packages')), '')");
  if (!sitePackages) throw new Error("no site-packages folder on sys.path");
  for (const files of unpacked) writeFiles(pyodide.FS, sitePackages, files);
  // A finder made for site-packages before the files were there may hold a stale listing.
  pyodide.runPython(`import sys\nsys.path_importer_cache.pop(${JSON.stringify(sitePackages)}, None)`);
  return sitePackages;
}

/* ---------- the interpreter snapshot, in IndexedDB (works from file:// too, where the browser allows it) ---------- */
const SNAPSHOT_DB = "maamar-snapshot";
const SNAPSHOT_RECORD = "interpreter";   // one record: a new snapshot replaces the last

function snapshotStore(mode, work) {
  return new Promise((resolve, reject) => {
    if (!self.indexedDB) return reject(new Error("no IndexedDB"));
    const open = indexedDB.open(SNAPSHOT_DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("snapshots");
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction("snapshots", mode);
      const request = work(tx.objectStore("snapshots"));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error || new Error("aborted")); };
    };
  });
}

/* {usable, bytes}: usable is false when this browser keeps nothing for the page. */
async function readSnapshot(key) {
  try {
    const record = await snapshotStore("readonly", (store) => store.get(SNAPSHOT_RECORD));
    const fits = record && record.key === key && record.bytes instanceof Uint8Array && record.bytes.byteLength === record.size;
    return { usable: true, bytes: fits ? record.bytes : null };
  } catch (err) {
    return { usable: false, bytes: null };
  }
}

const writeSnapshot = (key, bytes) =>
  snapshotStore("readwrite", (store) => store.put({ key, size: bytes.byteLength, bytes }, SNAPSHOT_RECORD));
const dropSnapshot = () => snapshotStore("readwrite", (store) => store.delete(SNAPSHOT_RECORD)).catch(() => {});

/* The .pyc files compiled on an earlier visit (maamar_live/bytecode.py says why), in the
 * same store, under a key naming the interpreter and the wheels they were compiled from. */
const BYTECODE_RECORD = "bytecode";

async function readBytecode(key) {
  try {
    const record = await snapshotStore("readonly", (store) => store.get(BYTECODE_RECORD));
    return record && record.key === key && Array.isArray(record.files) ? record.files : null;
  } catch (err) {
    return null;
  }
}

const dropBytecode = () => snapshotStore("readwrite", (store) => store.delete(BYTECODE_RECORD)).catch(() => {});

/* Kept .pyc files back beside their sources; false when there were none to write. */
function restoreBytecode(pyodide, sitePackages, files) {
  if (!files) return false;
  for (const [name, bytes] of files) {
    if (!(bytes instanceof Uint8Array) || typeof name !== "string" || !safeRelative(name) || !name.endsWith(".pyc")) return false;
  }
  try {
    writeFiles(pyodide.FS, sitePackages, files);
  } catch (err) {   // those written are checked by Python against their sources like any other
    console.warn("maamar: bytecode not restored", err);
  }
  return true;
}

/* Compiles what Python imported from the wheels, a few modules per task (the page stays
 * answered), then keeps the .pyc files for the next visit. */
function keepBytecode(pyodide, sitePackages, key) {
  const compileSome = pyodide.runPython("import maamar_live.bytecode\nmaamar_live.bytecode.compile_imported");
  const files = [];
  const step = () => {
    try {
      const result = compileSome(sitePackages);
      const written = result.toJs();
      result.destroy();
      if (written.length) {
        for (const path of written) files.push([path.slice(sitePackages.length + 1), pyodide.FS.readFile(path)]);
        return setTimeout(step, 0);
      }
    } catch (err) {
      console.warn("maamar: bytecode not kept", err);
      compileSome.destroy();
      return post({ type: "bytecode", state: "skipped" });
    }
    compileSome.destroy();
    snapshotStore("readwrite", (store) => store.put({ key, files }, BYTECODE_RECORD)).then(
      () => post({ type: "bytecode", state: "stored" }),
      (err) => { console.warn("maamar: bytecode not stored", err); post({ type: "bytecode", state: "skipped" }); },
    );
  };
  setTimeout(step, 0);
}

/* Python, from the snapshot if there is a good one, else cold (taking a snapshot
 * to store once the page is live).  Resolves to {pyodide, snapshot}. */
async function startPython(indexURL, key, stored, orFail) {
  const saved = await stored;
  if (saved.bytes) {
    try {
      const pyodide = await orFail(self.loadPyodide({ indexURL, fullStdLib: false, _loadSnapshot: saved.bytes }));
      pyodide.runPython("import sys");   // a restored interpreter that can't run this is no good
      post({ type: "snapshot", state: "restored" });
      return { pyodide, snapshot: null, restored: true };
    } catch (err) {
      if (err && err.download) throw err;   // a missing file fails a cold boot just the same
      console.warn("maamar: the stored snapshot did not restore; starting cold", err);
      post({ type: "snapshot", state: "discarded" });
      await dropSnapshot();
    }
  } else {
    post({ type: "snapshot", state: "cold" });
  }
  const pyodide = await orFail(self.loadPyodide({ indexURL, fullStdLib: false, _makeSnapshot: saved.usable }));
  let snapshot = null;
  if (saved.usable) {
    try { snapshot = pyodide.makeMemorySnapshot(); } catch (err) { console.warn("maamar: no snapshot", err); }
  }
  return { pyodide, snapshot, restored: false };
}

function storeSnapshot(key, snapshot, restored) {
  if (restored) return post({ type: "snapshot", state: "kept" });
  if (!snapshot) return post({ type: "snapshot", state: "skipped" });
  writeSnapshot(key, snapshot).then(
    () => post({ type: "snapshot", state: "stored" }),
    (err) => { console.warn("maamar: snapshot not stored", err); post({ type: "snapshot", state: "skipped" }); },
  );
}

function installShim(entries) {
  const realFetch = self.fetch.bind(self);
  self.fetch = async (resource, init) => {
    const url = String(resource instanceof Request ? resource.url : resource);
    const entry = entries[fileName(url)];
    if (!entry) return realFetch(resource, init);
    const buffer = await entry;
    // Over http(s) the wasm is fetched again (now from the HTTP cache or the service worker's),
    // so that Chromium compiles it while streaming and keeps the optimised code for later visits.
    // Only from a cache, though: where none holds it (a private window's small memory cache,
    // a no-store host) a second fetch would download its 10 MB again, so use the bytes in hand.
    if (fileName(url) === "pyodide.asm.wasm" && !deliverFiles) {
      const cached = await realFetch(url, { cache: "only-if-cached", mode: "same-origin" }).catch(() => null);
      if (cached && cached.ok) return cached;
    }
    return new Response(buffer.slice(0), { status: 200, headers: { "Content-Type": contentType(fileName(url)) } });
  };
}

async function boot({ base, manifest, files }) {
  const indexURL = new URL(manifest.pyodide, base).href;
  const snapshotKey = manifest.snapshot;
  mark("boot");
  const stored = snapshotKey ? readSnapshot(snapshotKey) : Promise.resolve({ usable: false, bytes: null });
  stored.then(() => mark("snapshot-read"));
  // Read after the snapshot, which Python waits for; the bytecode is needed only once Python is up.
  const keptBytecode = stored.then(() => (manifest.bytecode ? readBytecode(manifest.bytecode) : null));
  let entries;
  if (files) {
    entries = awaitBundle(manifest);
    deliverFiles(files);
  } else {
    entries = prefetch(base, manifest);
  }
  // Every core file is checked against the sha256 the build pinned, as soon as it
  // arrives: a tampered or truncated file fails the boot at once, with the notice,
  // instead of running injected code or hanging until the boot timeout.
  for (const [path, expected] of Object.entries(manifest.sha256 || {})) {
    const name = fileName(path);
    if (entries[name]) entries[name] = entries[name].then(async (buffer) => {
      await checkIntegrity(buffer, "sha256-" + expected, path);
      return buffer;
    });
  }
  // A failed download must fail the boot, not hang it: Pyodide swallows some fetch
  // errors (a wasm that never arrives leaves loadPyodide pending forever).
  const anyFailure = new Promise((_, reject) => {
    for (const entry of Object.values(entries)) entry.catch((err) => reject(Object.assign(err, { download: true })));
  });
  const orFail = (work) => Promise.race([work, anyFailure]);
  for (const [name, entry] of Object.entries(entries)) entry.then(() => mark("got:" + name), () => {});
  // Each wheel is unpacked as soon as it is here and checked, while Python starts.
  const wheels = manifest.wheels.map((path) => entries[fileName(path)].then((buffer) => wheelFiles(buffer, fileName(path))));
  for (const wheel of wheels) wheel.catch(() => {});   // a failure is reported where the boot awaits them
  installShim(entries);
  // pyodide.js and pyodide.asm.js are classic scripts: import them from the bytes we
  // already hold, so the same path works over http and from disk.
  for (const name of ["pyodide.js", "pyodide.asm.js"]) {
    const blob = new Blob([await orFail(entries[name])], { type: "text/javascript" });
    const url = URL.createObjectURL(blob);
    try { importScripts(url); } finally { URL.revokeObjectURL(url); }
  }
  mark("scripts");
  post({ type: "progress", stage: "start" });
  const { pyodide, snapshot, restored } = await startPython(indexURL, snapshotKey, stored, orFail);
  mark("python");
  post({ type: "progress", stage: "numpy" });
  const sitePackages = installWheels(pyodide, await orFail(Promise.all(wheels)));
  const bytecodeRestored = restoreBytecode(pyodide, sitePackages, await keptBytecode);
  if (bytecodeRestored) post({ type: "bytecode", state: "restored" });
  mark("packages");
  post({ type: "progress", stage: "demos" });
  try {
    pyodide.runPython("import numpy");
    mark("import-numpy");
    pyodide.runPython("import maamar_live.runtime");
    mark("import-runtime");
  } catch (err) {
    // Python checks each .pyc against its source and compiles what doesn't match; a kept
    // one it can't read at all fails the import: it is deleted, and the page starts a new
    // worker at once, which compiles from source (a module once imported can't be again).
    if (bytecodeRestored) await dropBytecode();
    throw Object.assign(new Error(`import failed: ${err.message}`), { retry: bytecodeRestored });
  }
  callJson = pyodide.runPython("maamar_live.runtime.call_json");
  python = pyodide;
  post({ type: "ready" });
  // Get every widget ready (import its module, build its models) one per task,
  // so the page is live at once, requests interleave, and a reader's first press
  // on a later widget doesn't pay for its models.
  const warmOne = pyodide.runPython("maamar_live.runtime.warm");
  let next = 0;
  // The snapshot is written once the widgets are warm: it is a 20+ MB copy, off the critical
  // path; then the bytecode of every module imported so far is compiled and kept.
  const warmed = () => {
    storeSnapshot(snapshotKey, snapshot, restored);
    if (bytecodeRestored) post({ type: "bytecode", state: "kept" });
    else if (manifest.bytecode) keepBytecode(pyodide, sitePackages, manifest.bytecode);
    else post({ type: "bytecode", state: "skipped" });
  };
  const warm = () => {
    try {
      if (warmOne(next++)) return setTimeout(warm, 0);
      post({ type: "progress", stage: "warm" });
    } catch (err) { console.warn("maamar: warm-up", err); }
    warmed();
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
  post({ type: "failed", error: bootError, retry: !!(err && err.retry) });
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
  } else if (message.type === "files") {
    if (deliverFiles) deliverFiles(message.files);
  } else if (callJson) {
    handle(message);
  } else if (bootError) {
    post({ id: message.id, ok: false, error: bootError });
  } else {
    pending.push(message);
  }
};
