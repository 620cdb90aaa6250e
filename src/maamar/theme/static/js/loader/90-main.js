/* ---------- start: bind every widget, restore shared settings, boot when idle ---------- */
for (const root of document.querySelectorAll("figure.widget[data-widget]")) widgets.push(new Widget(root));
for (const widget of widgets) widget.setState("loading", t("widget.waiting"));
startCells();
fitPlots(document);   // the pre-rendered charts too

const restored = restoreSettings(location.hash.slice(1), true);
if (restored) restored.root.scrollIntoView({ block: "start" });
for (const widget of widgets) {
  widget.root.addEventListener("change", writeSettings);
  widget.root.addEventListener("click", (event) => { if (event.target.closest("button")) writeSettings(); });
}
window.addEventListener("hashchange", () => restoreSettings(location.hash.slice(1), false));

// For tests and benchmarks: the same request path the widgets use.
window.maamar = {
  ready: readyPromise,
  request: (widget, action, params, state) => readyPromise.then(() => request(widget, action, params || {}, state || null)),
  restart: restartWorker,
};

// The service worker first (60-offline.js), so the files the boot downloads are kept as they arrive;
// registered now, it installs while the page settles, and is usually in control by the time the page is idle.
const controlled = controlledBySiteWorker();
const start = () => controlled.then(() => { startWorker(false); keepOffline(); });
if ("requestIdleCallback" in window) requestIdleCallback(start, { timeout: 1500 });
else setTimeout(start, 200);
