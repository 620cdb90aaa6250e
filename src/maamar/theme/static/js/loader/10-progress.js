/* ---------- one progress indicator for the whole page ---------- */
const runtimeEl = document.querySelector("[data-runtime]");
const runtimeText = runtimeEl && runtimeEl.querySelector("[data-runtime-text]");
const runtimeBar = runtimeEl && runtimeEl.querySelector("[data-runtime-progress]");
const STAGE_SHARE = { download: 70, start: 80, numpy: 90, demos: 96, ready: 100 };

// The page says nothing about loading until this script runs: without JavaScript
// nothing will load (its <noscript> line says so instead).
if (runtimeEl) {
  runtimeText.textContent = t("runtime.idle");
  runtimeBar.hidden = false;
}

const marked = new Set();
function showStage(stage, detail) {
  if (!marked.has(stage)) {      // performance marks, read by benchmarks/boot.py
    marked.add(stage);
    performance.mark("maamar:" + stage);
  }
  if (!runtimeEl) return;
  runtimeEl.dataset.stage = stage;
  let text;
  if (stage === "download" && detail && detail.total) {
    const percent = Math.floor((100 * detail.done) / detail.total);
    text = t("runtime.download_progress", {
      percent: numberFormat.format(percent),
      done: numberFormat.format(Math.round(detail.done / 1e5) / 10),
      total: numberFormat.format(Math.round(detail.total / 1e5) / 10),
    });
    runtimeBar.value = (STAGE_SHARE.download * detail.done) / detail.total;
  } else {
    text = t(stage === "ready" && offlineReady ? "runtime.ready_offline" : "runtime." + stage);
    if (stage in STAGE_SHARE) runtimeBar.value = STAGE_SHARE[stage];
  }
  if (stage === "failed") {
    text += " " + (fromDisk ? t("runtime.file_hint") : "");
    runtimeBar.hidden = true;
  }
  if (stage === "ready") runtimeBar.hidden = true;
  runtimeText.textContent = text.trim();
}
