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
