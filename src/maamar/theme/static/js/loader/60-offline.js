/* ---------- offline: after one visit over http(s), a service worker keeps the site ---------- */
/* Registered once the runtime is live, so keeping the files never competes with
 * the first boot for the network; the progress line then says the article also
 * works offline.  From file:// there is nothing to register: the bundle is there. */
let offlineReady = false;

function keepOffline() {
  if (fromDisk || !manifest.offline || !("serviceWorker" in navigator)) return;
  readyPromise
    .then(() => navigator.serviceWorker.register(new URL(manifest.offline, base), { scope: base }))
    .then(() => navigator.serviceWorker.ready)
    .then(() => {
      offlineReady = true;
      performance.mark("maamar:offline");
      if (runtimeEl) runtimeEl.dataset.offline = "ready";
      if (ready) showStage("ready");
    })
    .catch((err) => console.warn("maamar: this site will not be kept for offline reading", err));
}
