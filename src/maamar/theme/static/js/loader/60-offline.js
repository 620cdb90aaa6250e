/* ---------- offline: over http(s), a service worker keeps the site ---------- */
/* Registered before Python boots, and the worker is made once it controls the
 * page (it takes control at once, having nothing to install), so the runtime
 * files the boot downloads are kept as they arrive and the next visit compiles
 * the cached wasm, whose optimised code Chromium kept (service-worker.js says why).
 * Once the runtime is live the service worker is asked to keep the rest of the
 * site; the progress line then says the article also works offline.  From
 * file:// there is nothing to register: the bundle is there. */
let offlineReady = false;
// Waiting longer than this for the service worker would cost the first visit more than it saves later.
const CONTROL_WAIT_MS = 1500;

function offlineCapable() {
  return !fromDisk && !!manifest.offline && "serviceWorker" in navigator;
}

/* sw.js at the site's root, with the site as its scope (so a sub-path such as /maamar/ works). */
function registerSiteWorker() {
  return navigator.serviceWorker.register(new URL(manifest.offline, base), { scope: base });
}

/* Resolves once the service worker controls the page, or at once where there is
 * none, or after CONTROL_WAIT_MS (the boot then goes ahead without it). */
function controlledBySiteWorker() {
  if (!offlineCapable() || navigator.serviceWorker.controller) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CONTROL_WAIT_MS);
    const done = () => { clearTimeout(timer); resolve(); };
    navigator.serviceWorker.addEventListener("controllerchange", done, { once: true });
    registerSiteWorker().then((registration) => {
      // Already active yet not in control (a reload that bypassed it): nothing will claim this page.
      if (registration.active && !registration.installing && !registration.waiting) done();
    }, (err) => {
      console.warn("maamar: this site will not be kept for offline reading", err);
      done();
    });
  });
}

function askToKeep(registration) {
  return new Promise((resolve, reject) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = (event) => (event.data.kept ? resolve() : reject(new Error(event.data.error)));
    registration.active.postMessage({ type: "keep" }, [channel.port2]);
  });
}

function keepOffline() {
  if (!offlineCapable()) return;
  readyPromise
    .then(registerSiteWorker)
    .then(() => navigator.serviceWorker.ready)
    .then(askToKeep)
    .then(() => {
      offlineReady = true;
      performance.mark("maamar:offline");
      if (runtimeEl) runtimeEl.dataset.offline = "ready";
      if (ready) showStage("ready");
    })
    .catch((err) => console.warn("maamar: this site will not be kept for offline reading", err));
}
