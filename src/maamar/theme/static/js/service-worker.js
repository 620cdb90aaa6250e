/* maamar service worker: after one visit the whole site opens and goes live with no network.
 *
 * The build writes this file as sw.js at the site root, after one line that sets
 * self.MAAMAR_OFFLINE = {version, files}: the build's content hash and every file
 * a reader needs (each page, the stylesheet, scripts, fonts, Pyodide, numpy, the
 * site's wheel), relative to the site root, which is also this worker's scope, so
 * it works under a sub-path such as /maamar/.  Registered only over http(s) (from
 * file:// the pages carry their runtime in the file bundle).
 *
 *   pages (HTML): network first, so a new deployment shows at once when online;
 *                 the cached copy when the network fails.
 *   everything else listed: from the cache, which is named by the build's hash.
 * On activation every other maamar cache (older builds) is deleted.
 */
"use strict";

const { version, files } = self.MAAMAR_OFFLINE;
const CACHE_PREFIX = "maamar-site-";
const CACHE = CACHE_PREFIX + version;
const scope = self.registration.scope;
const listed = new Set(files.map((path) => new URL(path, scope).href));

self.addEventListener("install", (event) => {
  // cache.addAll fails as a whole if any file fails: a half-filled cache never activates.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([...listed])).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function withoutQuery(url) {
  const clean = new URL(url);
  clean.search = "";
  clean.hash = "";
  return clean.href;
}

async function page(request) {
  const cache = await caches.open(CACHE);
  const url = withoutQuery(request.url);
  const key = url.endsWith("/") ? url + "index.html" : url;
  try {
    const response = await fetch(request);
    if (response.ok && listed.has(key)) await cache.put(key, response.clone());
    return response;
  } catch (err) {
    const cached = (await cache.match(key)) || (await cache.match(new URL("404.html", scope).href));
    if (cached) return cached;
    throw err;
  }
}

async function runtimeFile(request) {
  const cached = await caches.match(withoutQuery(request.url), { cacheName: CACHE });
  return cached || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !request.url.startsWith(scope)) return;
  const url = withoutQuery(request.url);
  if (request.mode === "navigate" || url.endsWith("/") || url.endsWith(".html")) return event.respondWith(page(request));
  if (listed.has(url)) event.respondWith(runtimeFile(request));
});
