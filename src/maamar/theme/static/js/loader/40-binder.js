/* ---------- the widget binder ----------
 *
 * Each widget runs at most one request at a time.  What the reader asks for while
 * one is in flight waits in `pending` (a slider dragged across twenty values waits
 * as one entry: the params are read when the request is sent, so it carries the
 * latest value).  A play button is one more source of work: while `playing` is set
 * and nothing else waits, the widget sends the play action again.  Everything goes
 * through `pump()`, so a play pressed during a running step, or fifteen quick
 * toggles, leave the button and the loop agreeing: both are read from `playing`. */
const TYPING_PAUSE_MS = 150;        // text controls marked live redraw this long after the last key
const SLOW_MS = 700;                // after this long, say "computing" and offer to cancel
const NEAR_LIMIT = 0.2;             // the characters-left counter shows in the last fifth of the limit

class Widget {
  constructor(root) {
    this.root = root;
    this.kind = root.dataset.widget;
    const init = JSON.parse(root.querySelector("script[data-init]").textContent);
    this.params = init.params;
    this.state = init.state;
    this.output = root.querySelector("[data-output]");
    this.status = root.querySelector("[data-status]");
    this.status.id = this.status.id || root.id + "-status";
    this.busy = false;
    this.pending = [];               // actions waiting for the one in flight
    this.playing = null;             // the play button that is pressed, or null
    this.controls = Array.from(root.querySelectorAll(".controls button, .controls input, .controls select, .controls textarea"));
    this.cancelButton = document.createElement("button");
    this.cancelButton.type = "button";
    this.cancelButton.className = "cancel";
    this.cancelButton.textContent = t("widget.cancel");
    this.cancelButton.hidden = true;
    this.cancelButton.addEventListener("click", () => restartWorker());
    this.status.after(this.cancelButton);
    this.bind();
    this.showPlaying();
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
    for (const el of this.root.querySelectorAll(".controls button[data-action]")) {
      el.addEventListener("click", () => this.press(el));
    }
    // Buttons inside the output (a thumbnail, a bar) come and go with every answer:
    // one listener on the output serves them all (choose).
    this.output.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-action]");
      if (button && this.output.contains(button)) this.choose(button);
    });
    for (const el of this.root.querySelectorAll("input[type=range]")) {
      const out = el.parentElement.querySelector("output");
      // A live slider runs its action on every value it passes while dragged (and on
      // every arrow key, which fires `input` too); the others only once released.
      const live = el.hasAttribute("data-live");
      el.addEventListener("input", () => {
        if (out) out.textContent = numberFormat.format(Number(el.value));
        if (live && el.dataset.action) this.act(el.dataset.action);
      });
      el.addEventListener("change", () => !live && el.dataset.action && this.act(el.dataset.action));
    }
    for (const el of this.root.querySelectorAll("select, input[type=checkbox]")) {
      el.addEventListener("change", () => el.dataset.action && this.act(el.dataset.action));
    }
    for (const el of this.root.querySelectorAll("input[type=text], textarea")) {
      const counter = el.parentElement.querySelector("[data-counter]");
      const max = Number(el.getAttribute("maxlength")) || 200;
      let typing = null;
      const update = () => {
        if (el.value.length > max) el.value = el.value.slice(0, max);   // pasted text beyond the limit
        const left = max - el.value.length;
        if (counter) {
          counter.textContent = t("widget.chars_left", { count: numberFormat.format(left) });
          counter.hidden = left > max * NEAR_LIMIT;
        }
      };
      el.addEventListener("input", () => {
        update();
        if (el.hasAttribute("data-live") && el.dataset.action) {
          clearTimeout(typing);
          typing = setTimeout(() => this.act(el.dataset.action), TYPING_PAUSE_MS);
        }
      });
      update();
      if (el.tagName === "INPUT") {
        el.addEventListener("keydown", (event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          clearTimeout(typing);
          const primary = this.root.querySelector(".controls button.primary[data-action]") || this.root.querySelector(".controls button[data-action]");
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

  /* An output button jumps somewhere: its `name`/`value` set the control of that name
   * (context-window's slider moves to the window of the bar), or, with no such
   * control, go with the requests as a param (refine-steps' step); then its action runs. */
  choose(button) {
    if (failed) return;
    if (button.name) {
      const control = this.root.querySelector(`.controls [name="${CSS.escape(button.name)}"]`);
      if (control) {
        control.value = button.value;
        const out = control.parentElement.querySelector("output");
        if (out) out.textContent = numberFormat.format(Number(control.value));
      } else this.params[button.name] = button.value;
    }
    this.act(button.dataset.action);
  }

  press(button) {
    if (failed) return;
    if (button.hasAttribute("data-repeat")) return this.togglePlay(button);
    this.act(button.dataset.action);
  }

  /* ----- play / pause: one state, `playing`, shown on the button by showPlaying ----- */
  togglePlay(button) {
    this.playing = this.playing === button ? null : button;
    this.showPlaying();
    this.pump();
  }

  pause() {
    if (!this.playing) return;
    this.playing = null;
    this.showPlaying();
  }

  showPlaying() {
    for (const button of this.root.querySelectorAll("button[data-repeat]")) {
      const on = button === this.playing;
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? button.dataset.pauseLabel || button.dataset.label : button.dataset.label;
    }
    this.root.dataset.playing = this.playing ? "true" : "false";
  }

  /* ----- the queue ----- */
  act(action) {
    if (failed || !action) return;
    if (this.pending[this.pending.length - 1] !== action) this.pending.push(action);
    this.pump();
  }

  // Kept for 50-url-state.js, which queues "init" before Python is ready.
  set queued(action) { if (action) this.pending.push(action); }
  get queued() { return this.pending[0] || null; }

  waitForRuntime() {
    this.setState("loading", t("widget.waiting"));
  }

  async pump() {
    if (this.busy || failed) return;
    const fromPlay = this.pending.length ? null : this.playing;
    const action = fromPlay ? fromPlay.dataset.action : this.pending[0];
    if (!action) return;
    if (!ready) return this.waitForRuntime();     // runtimeReady() pumps again
    if (!fromPlay) this.pending.shift();
    this.busy = true;
    this.setState("running");
    const slow = setTimeout(() => {
      this.setState("running", t("widget.running"));
      this.cancelButton.hidden = false;
    }, SLOW_MS);
    let again = true;
    try {
      const output = await request(this.kind, action, this.currentParams(), this.state);
      this.show(output);
      this.setState("ready", "");
      if (output.done && fromPlay && this.playing === fromPlay) this.pause();
    } catch (err) {
      again = false;
      this.pause();
      this.pending = [];
      if (err.cancelled) this.setState("loading", t("widget.cancelled"));
      else if (!failed) {
        console.error(`maamar: widget ${this.kind} failed on "${action}":`, err.message);
        this.showError(action);
      }
    } finally {
      clearTimeout(slow);
      this.cancelButton.hidden = true;
      this.busy = false;
    }
    if (!again) return;
    // Between play frames, give the browser one frame to paint the new output.
    if (this.playing && !this.pending.length && !reducedMotion) await new Promise((r) => requestAnimationFrame(r));
    this.pump();
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
    // A disclosure the reader opened ("how it works") stays open across actions.
    const opened = Array.from(this.output.querySelectorAll("details"), (d) => d.open);
    content.querySelectorAll("details").forEach((d, i) => { if (opened[i]) d.open = true; });
    // A pressed output button is replaced by the answer: focus goes to its successor.
    const focused = this.output.contains(document.activeElement) && document.activeElement.closest("button[data-action]");
    const again = focused && `button[data-action="${CSS.escape(focused.dataset.action)}"][name="${CSS.escape(focused.name)}"][value="${CSS.escape(focused.value)}"]`;
    this.output.replaceChildren(content);
    if (again) {
      const successor = this.output.querySelector(again);
      if (successor) successor.focus();
    }
    this.root.dataset.done = output.done ? "true" : "false";
    fitPlots(this.output);
    // A log that scrolls (summarize-refresh's chat) opens where the action happened: the
    // marked element a third of the way down.  A jump, not an animation (reduced motion
    // holds either way, and a smooth scroll would race the next action's output).
    for (const el of this.output.querySelectorAll("[data-scroll-to]")) {
      const box = el.closest("ol, ul, div, blockquote");
      if (box && box.scrollHeight > box.clientHeight) {
        box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - box.clientHeight / 3;
      }
    }
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

  enable(on) {
    for (const el of this.controls) el.disabled = !on;
    if (on) {
      for (const el of this.controls) {
        if (el.dataset.describedBy !== undefined) {
          if (el.dataset.describedBy) el.setAttribute("aria-describedby", el.dataset.describedBy);
          else el.removeAttribute("aria-describedby");
          delete el.dataset.describedBy;
        }
      }
    } else {
      // Every disabled control points at the reason, so a screen reader says why.
      for (const el of this.controls) {
        if (el.dataset.describedBy === undefined) el.dataset.describedBy = el.getAttribute("aria-describedby") || "";
        el.setAttribute("aria-describedby", (el.dataset.describedBy + " " + this.status.id).trim());
      }
    }
  }

  runtimeReady() {
    this.enable(true);
    this.setState("ready", "");
    this.pump();
  }

  runtimeRestarting() {
    this.busy = false;
    this.setState("loading", t("widget.waiting"));
  }

  runtimeFailed() {
    this.pause();
    this.pending = [];
    this.busy = false;
    this.enable(false);
    this.setState("static", t("runtime.failed") + " " + t("widget.unavailable"));
    offerRetryBoot();
  }
}

/* When Python could not start, the page offers one button that tries again. */
let retryBootButton = null;
function offerRetryBoot() {
  if (retryBootButton || !runtimeEl) return;
  retryBootButton = document.createElement("button");
  retryBootButton.type = "button";
  retryBootButton.className = "retry";
  retryBootButton.textContent = t("runtime.try_again");
  retryBootButton.addEventListener("click", () => {
    retryBootButton.remove();
    retryBootButton = null;
    for (const widget of widgets) widget.setState("loading", t("widget.waiting"));
    retryBoot();
  });
  runtimeEl.append(retryBootButton);
}

/* Chart text at a readable size on every screen.  A plot's SVG is drawn in a fixed
 * viewBox and scaled to the column: on a phone, 560 units become ~300 px, and 13-unit
 * text would be 7 px.  `--plot-k` (viewBox units per CSS pixel) lets site.css size
 * the text in CSS pixels instead; the plots leave room for it (kit/plots.py). */
const plotSizer = "ResizeObserver" in window ? new ResizeObserver((entries) => {
  for (const entry of entries) fitPlot(entry.target);
}) : null;
function fitPlot(svg) {
  const box = svg.viewBox && svg.viewBox.baseVal;
  const width = svg.getBoundingClientRect().width;
  if (box && box.width && width) svg.style.setProperty("--plot-k", (box.width / width).toFixed(3));
}
function fitPlots(root) {
  for (const svg of root.querySelectorAll("svg.plot")) {
    fitPlot(svg);
    if (plotSizer) plotSizer.observe(svg);
  }
}
