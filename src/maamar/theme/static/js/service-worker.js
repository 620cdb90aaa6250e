/* maamar service worker: after one visit the whole site opens and goes live with no network.
 *
 * The build writes this file as sw.js at the site root, after one line that sets
 * self.MAAMAR_OFFLINE = {version, files}: the build's content hash and every file
 * a reader needs (each page, the stylesheet, scripts, fonts, Pyodide, numpy, the
 * site's wheel), relative to the site root, which is also this worker's scope, so
 * it works under a sub-path such as /maamar/.  Registered only over http(s) (from
 * file:// the pages carry their runtime in the file bundle).
 *
 *   pages (HTML): network first, so a new deployment shows at once when online
 *                 (with navigation preload, the request doesn't wait for this worker
 *                 to start); the cached copy when the network fails.
 *   everything else listed: from the cache, which is named by the build's hash;
 *                 a file not cached yet is fetched once, handed on and kept.
 *
 * It installs empty and takes control at once: the page registers it before
 * Python boots, so the runtime files the boot downloads go into the cache as they
 * arrive (each downloaded once, not again by a precache), and the wasm Pyodide
 * compiles is the cached copy.  Chromium keeps V8's optimised code with a cache
 * entry that was compiled, so the next visit, which restores the interpreter from
 * its snapshot and skips the seconds of start-up that warm the code, finds the
 * optimised code there instead of running the baseline code (benchmarks/boot.py).
 * Once the page is live it asks ("keep") for the rest of the list, and older
 * caches are deleted after that, never while the new one is still filling.
 */
"use strict";

const { version, files } = self.MAAMAR_OFFLINE;
const CACHE_PREFIX = "maamar-site-";
const CACHE = CACHE_PREFIX + version;
const scope = self.registration.scope;
const listed = new Set(files.map((path) => new URL(path, scope).href));
const filling = new Map();   // url -> the cache.put in flight for it

self.addEventListener("install", () => self.skipWaiting());

// Navigation preload: a page's network request starts while this worker is still starting up
// (network first would otherwise wait for it), where the browser offers it.
self.addEventListener("activate", (event) => event.waitUntil(Promise.all([
  self.clients.claim(),
  self.registration.navigationPreload ? self.registration.navigationPreload.enable().catch(() => {}) : null,
])));

function withoutQuery(url) {
  const clean = new URL(url);
  clean.search = "";
  clean.hash = "";
  return clean.href;
}

async function page(request, preloaded) {
  const cache = await caches.open(CACHE);
  const url = withoutQuery(request.url);
  const key = url.endsWith("/") ? url + "index.html" : url;
  try {
    const response = (await preloaded) || (await fetch(request));
    if (response.ok && listed.has(key)) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const cached = (await cache.match(key)) || (await cache.match(new URL("404.html", scope).href));
    if (cached) return cached;
    throw err;
  }
}

/* The cached copy; else the one being stored (the worker's second request for the
 * wasm, made once the first has arrived, gets the cached copy: the one whose
 * compiled code Chromium keeps); else the network, keeping what arrives. */
async function keptFile(request, event) {
  const url = withoutQuery(request.url);
  const cache = await caches.open(CACHE);
  let cached = await cache.match(url);
  if (!cached && filling.has(url)) {
    await filling.get(url);
    cached = await cache.match(url);
  }
  if (cached) return cached;
  if (request.cache === "only-if-cached") return fetch(request);
  const response = await fetch(url);
  if (!response.ok || response.type !== "basic") return response;
  // The page reads one branch as it streams in (its progress line) while the other is stored.
  const stored = cache.put(url, response.clone()).catch((err) => console.warn("maamar: not kept", url, err));
  filling.set(url, stored);
  event.waitUntil(stored.finally(() => filling.delete(url)));
  return response;
}

/* Everything listed that isn't cached yet, then the older builds' caches go. */
async function keepEverything() {
  const cache = await caches.open(CACHE);
  await Promise.all([...filling.values()]);
  const missing = [];
  for (const url of listed) if (!(await cache.match(url))) missing.push(url);
  // cache.addAll fails as a whole if any file fails: the page is then not told it works offline.
  await cache.addAll(missing);
  for (const name of await caches.keys()) {
    if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
  }
}

self.addEventListener("message", (event) => {
  if (!event.data || event.data.type !== "keep" || !event.ports[0]) return;
  const reply = event.ports[0];
  event.waitUntil(keepEverything().then(
    () => reply.postMessage({ kept: true }),
    (err) => reply.postMessage({ kept: false, error: String(err) }),
  ));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  const url = withoutQuery(request.url);
  if (request.mode === "navigate" || url.endsWith("/") || url.endsWith(".html")) {
    return event.respondWith(page(request, request.mode === "navigate" ? event.preloadResponse : undefined));
  }
  if (listed.has(url)) event.respondWith(keptFile(request, event));
});
