/* maamar loader: the page side of the live runtime, and the widget binder.
 *
 * Pre-rendered widgets are already on the page.  When the browser is idle this
 * script starts one Web Worker that boots Pyodide (see worker.js), shows one
 * progress indicator, and binds every widget's controls to the worker.  If
 * anything fails, the pre-rendered outputs stay and a notice says why.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  const stringsEl = document.getElementById("maamar-strings");
  const manifestEl = document.getElementById("maamar-manifest");
  if (!stringsEl || !manifestEl) return;
  const strings = JSON.parse(stringsEl.textContent);
  const manifest = JSON.parse(manifestEl.textContent);
  const base = new URL("../../", script.src).href;   // the site root, also under a sub-path
  const fromDisk = location.protocol === "file:";
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function t(key, values) {
    const text = strings[key] || key;
    return text.replace(/\{(\w+)\}/g, (_, name) => (values && name in values ? values[name] : ""));
  }

  const numberFormat = new Intl.NumberFormat(document.documentElement.lang || "he");

  /* ---------- one progress indicator for the whole page ---------- */
  const runtimeEl = document.querySelector("[data-runtime]");
  const runtimeText = runtimeEl && runtimeEl.querySelector("[data-runtime-text]");
  const runtimeBar = runtimeEl && runtimeEl.querySelector("[data-runtime-progress]");
  const STAGE_SHARE = { download: 70, start: 80, numpy: 90, demos: 96, ready: 100 };

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
      text = t("runtime." + stage);
      if (stage in STAGE_SHARE) runtimeBar.value = STAGE_SHARE[stage];
    }
    if (stage === "failed") {
      text += " " + (fromDisk ? t("runtime.file_hint") : "");
      runtimeBar.hidden = true;
    }
    if (stage === "ready") runtimeBar.hidden = true;
    runtimeText.textContent = text.trim();
  }

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
      worker.postMessage({ id, widget, action, params, state });
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

  /* ---------- safe insertion of widget output ---------- */
  const ALLOWED_URL = /^(#|data:image\/(png|svg\+xml);)/;
  function sanitize(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    for (const el of template.content.querySelectorAll("script, iframe, object, embed, link, meta, style, foreignObject")) el.remove();
    for (const el of template.content.querySelectorAll("*")) {
      for (const attr of Array.from(el.attributes)) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on") || name === "style" ||
            ((name === "href" || name === "src" || name === "xlink:href") && !ALLOWED_URL.test(attr.value))) {
          el.removeAttribute(attr.name);
        }
      }
    }
    return template.content;
  }

  /* ---------- the widget binder ---------- */
  class Widget {
    constructor(root) {
      this.root = root;
      this.kind = root.dataset.widget;
      const init = JSON.parse(root.querySelector("script[data-init]").textContent);
      this.params = init.params;
      this.state = init.state;
      this.output = root.querySelector("[data-output]");
      this.status = root.querySelector("[data-status]");
      this.busy = false;
      this.queued = null;
      this.repeating = null;
      this.controls = Array.from(root.querySelectorAll("[data-action], input, select, textarea"));
      this.cancelButton = document.createElement("button");
      this.cancelButton.type = "button";
      this.cancelButton.className = "cancel";
      this.cancelButton.textContent = t("widget.cancel");
      this.cancelButton.hidden = true;
      this.cancelButton.addEventListener("click", () => restartWorker());
      this.status.after(this.cancelButton);
      this.bind();
    }

    setState(state, message) {
      this.root.dataset.state = state;
      this.root.setAttribute("aria-busy", state === "running" || state === "loading" ? "true" : "false");
      if (message !== undefined) {
        this.status.textContent = message;
        this.status.hidden = !message;
      }
    }

    bind() {
      for (const el of this.root.querySelectorAll("button[data-action]")) {
        el.addEventListener("click", () => this.press(el));
      }
      for (const el of this.root.querySelectorAll("input[type=range]")) {
        const out = el.parentElement.querySelector("output");
        el.addEventListener("input", () => { if (out) out.textContent = numberFormat.format(Number(el.value)); });
        el.addEventListener("change", () => el.dataset.action && this.act(el.dataset.action));
      }
      for (const el of this.root.querySelectorAll("select, input[type=checkbox]")) {
        el.addEventListener("change", () => el.dataset.action && this.act(el.dataset.action));
      }
      for (const el of this.root.querySelectorAll("input[type=text], textarea")) {
        const counter = el.parentElement.querySelector("[data-counter]");
        const max = Number(el.getAttribute("maxlength")) || 200;
        const update = () => {
          if (el.value.length > max) el.value = el.value.slice(0, max);   // pasted text beyond the limit
          if (counter) counter.textContent = t("widget.chars_left", { count: numberFormat.format(max - el.value.length) });
        };
        el.addEventListener("input", update);
        update();
        if (el.tagName === "INPUT") {
          el.addEventListener("keydown", (event) => {
            if (event.key !== "Enter") return;
            event.preventDefault();
            const primary = this.root.querySelector("button.primary[data-action]") || this.root.querySelector("button[data-action]");
            if (el.dataset.action) this.act(el.dataset.action);
            else if (primary) this.press(primary);
          });
        }
      }
    }

    currentParams() {
      const params = Object.assign({}, this.params);
      for (const el of this.root.querySelectorAll("input[name], select[name], textarea[name]")) {
        params[el.name] = el.type === "checkbox" ? el.checked : el.type === "range" ? Number(el.value) : el.value;
      }
      return params;
    }

    press(button) {
      if (button.hasAttribute("data-repeat")) {
        if (this.repeating === button) return this.stopRepeat();
        this.stopRepeat();
        this.repeating = button;
        button.setAttribute("aria-pressed", "true");
        button.textContent = button.dataset.pauseLabel || button.dataset.label;
        if (ready) this.loop(button);
        else this.waitForRuntime(button.dataset.action);
        return;
      }
      this.stopRepeat();
      this.act(button.dataset.action);
    }

    stopRepeat() {
      const button = this.repeating;
      if (!button) return;
      this.repeating = null;
      button.setAttribute("aria-pressed", "false");
      button.textContent = button.dataset.label;
    }

    async loop(button) {
      while (this.repeating === button) {
        const result = await this.act(button.dataset.action);
        if (!result || result.done) break;
        if (!reducedMotion) await new Promise((r) => requestAnimationFrame(r));
      }
      if (this.repeating === button) this.stopRepeat();
    }

    waitForRuntime(action) {
      this.queued = action;
      this.setState("loading", failed ? t("runtime.failed") : t("widget.waiting"));
    }

    async act(action) {
      if (failed) return null;
      if (!ready) { this.waitForRuntime(action); return null; }
      if (this.busy) { this.queued = action; return null; }
      this.busy = true;
      this.setState("running");
      const slow = setTimeout(() => {
        this.setState("running", t("widget.running"));
        this.cancelButton.hidden = false;
      }, 700);
      try {
        const output = await request(this.kind, action, this.currentParams(), this.state);
        this.show(output);
        this.setState("ready", "");
        return output;
      } catch (err) {
        if (err.cancelled) {
          this.stopRepeat();
          this.setState("loading", t("widget.cancelled"));
        } else {
          console.error(`maamar: widget ${this.kind} failed on "${action}":`, err.message);
          this.stopRepeat();
          this.showError(action);
        }
        return null;
      } finally {
        clearTimeout(slow);
        this.cancelButton.hidden = true;
        this.busy = false;
        if (this.queued && ready) {
          const next = this.queued;
          this.queued = null;
          this.act(next);
        }
      }
    }

    show(output) {
      this.state = output.state;
      const content = sanitize(output.html);
      if (output.text) {
        const summary = document.createElement("p");
        summary.className = "summary";
        summary.textContent = output.text;
        content.append(summary);
      }
      this.output.replaceChildren(content);
      this.root.dataset.done = output.done ? "true" : "false";
    }

    showError(action) {
      this.setState("error", t("widget.error"));
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "retry";
      retry.textContent = t("widget.retry");
      retry.addEventListener("click", () => { retry.remove(); this.act(action); });
      this.status.append(" ", retry);
    }

    runtimeReady() {
      this.setState("ready", "");
      if (this.queued) {
        const action = this.queued;
        this.queued = null;
        if (this.repeating) this.loop(this.repeating);
        else this.act(action);
      }
    }

    runtimeRestarting() {
      this.busy = false;
      this.setState("loading", t("widget.waiting"));
    }

    runtimeFailed() {
      this.stopRepeat();
      this.queued = null;
      this.setState("static", t("runtime.failed"));
    }
  }

  const widgets = Array.from(document.querySelectorAll("figure.widget[data-widget]")).map((root) => new Widget(root));
  for (const widget of widgets) widget.setState("loading", t("widget.waiting"));

  /* ---------- shareable settings in the URL hash ----------
   * Like TensorFlow Playground: every control a reader changed is kept in the
   * address, e.g. #widget-3:examples=80,epochs=20&widget-5:prompt=%D7%97 (only
   * values that differ from the pre-rendered ones).  Opening such a link sets
   * the controls and, once Python is ready, starts that widget afresh ("init")
   * with them.  Values only ever reach .value/.checked, never markup; anything
   * malformed, unknown or out of range is ignored or clamped by the browser. */
  const SETTINGS = /^(widget-\d{1,4}):(.*)$/;

  function readSettings(hash) {
    const found = new Map();
    if (!hash || hash.length > 20000) return found;
    for (const segment of hash.split("&")) {
      const match = SETTINGS.exec(segment);
      if (!match) continue;
      const values = new Map();
      for (const pair of match[2].split(",")) {
        const eq = pair.indexOf("=");
        if (eq < 1) continue;
        try {
          values.set(decodeURIComponent(pair.slice(0, eq)), decodeURIComponent(pair.slice(eq + 1)));
        } catch (err) { /* malformed percent-encoding: skip this value */ }
      }
      found.set(match[1], values);
    }
    return found;
  }

  function settingControls(widget) {
    return widget.root.querySelectorAll("input[name], select[name], textarea[name]");
  }

  function applySettings(widget, values) {
    let applied = false;
    for (const el of settingControls(widget)) {
      if (!values.has(el.name)) continue;
      const raw = values.get(el.name);
      if (el.type === "checkbox") el.checked = raw === "1";
      else if (el.tagName === "SELECT") {
        if (!Array.from(el.options).some((o) => o.value === raw)) continue;
        el.value = raw;
      } else if (el.type === "range") {
        if (raw.trim() === "" || !Number.isFinite(Number(raw))) continue;
        el.value = String(Number(raw));        // the browser clamps to min/max and snaps to the step
      } else el.value = raw.slice(0, Number(el.getAttribute("maxlength")) || 200);
      el.dispatchEvent(new Event("input"));    // the widget's own handlers update outputs and counters
      applied = true;
    }
    return applied;
  }

  function restoreSettings(hash, fresh) {
    let first = null;
    for (const [id, values] of readSettings(hash)) {
      const widget = widgets.find((w) => w.root.id === id);
      if (!widget || !applySettings(widget, values)) continue;
      widget.state = null;                     // rebuild from the restored params
      if (fresh) widget.queued = "init";       // runs when Python is ready (runtimeReady)
      else widget.act("init");
      first = first || widget;
    }
    return first;
  }

  function writeSettings() {
    const parts = [];
    for (const widget of widgets) {
      const pairs = [];
      for (const el of settingControls(widget)) {
        const initial = widget.params[el.name];
        let value;
        if (el.type === "checkbox") value = el.checked === Boolean(initial) ? null : (el.checked ? "1" : "0");
        else if (el.type === "range") value = Number(el.value) === Number(initial) ? null : el.value;
        else value = el.value === String(initial ?? "") ? null : el.value;
        if (value !== null) pairs.push(encodeURIComponent(el.name) + "=" + encodeURIComponent(value));
      }
      if (pairs.length) parts.push(widget.root.id + ":" + pairs.join(","));
    }
    const current = location.hash.slice(1);
    if (!parts.length && current && !SETTINGS.test(current)) return;   // leave a section link alone
    try {
      history.replaceState(history.state, "", location.pathname + location.search + (parts.length ? "#" + parts.join("&") : ""));
    } catch (err) { /* some file:// contexts refuse replaceState: settings just aren't shared */ }
  }

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

  const start = () => startWorker(false);
  if ("requestIdleCallback" in window) requestIdleCallback(start, { timeout: 1500 });
  else setTimeout(start, 200);
})();
