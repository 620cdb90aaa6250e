/* ---------- live code cells ----------
 * Each <figure class="cell"> holds the author's code in a plain <textarea> and
 * its output computed at build time.  Run sends the code to the widgets' worker
 * ({id, cell, code, page}); every cell of the page runs there in one namespace,
 * in the order the reader runs them.  A fresh worker (the first run, or after
 * Stop restarted Python) has none of the names the cells above define, so
 * those cells run first, in page order, with the code their editors hold now.
 *
 * A textarea and ~300 lines of our own rather than CodeMirror: an editor with
 * highlighting would multiply the page's own JS; what readers need here is
 * LTR monospace text, Ctrl/Cmd+Enter, Tab to indent and Esc to leave. */
const CELL_URL_CODE = 3000;          // longest edited code kept in the shareable URL, in characters
const CELL_OUTPUT = 20000;           // the runner cuts output there too; this guards the page
const cellsRun = new Set();          // the cells the current worker has been sent
let restartedSince = false;          // Python restarted since the reader last ran a cell

function requestCell(cell, code) {
  return new Promise((resolve, reject) => {
    if (failed) return reject(new Error("runtime failed"));
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, cell, code, page: location.pathname });
  });
}

function outputBlock(tag, className, text, direction) {
  const el = document.createElement(tag);
  el.className = className;
  if (direction) el.dir = direction;
  el.textContent = text.length > CELL_OUTPUT ? text.slice(0, CELL_OUTPUT) : text;
  return el;
}

class Cell {
  constructor(root) {
    this.root = root;
    const init = JSON.parse(root.querySelector("script[data-cell-init]").textContent);
    this.index = init.index;
    this.original = init.code;
    this.editor = root.querySelector("[data-editor]");
    this.output = root.querySelector("[data-output]");
    this.status = root.querySelector("[data-status]");
    this.runButton = root.querySelector("button[data-action=run]");
    this.stopButton = root.querySelector("button[data-action=stop]");
    this.resetButton = root.querySelector("button[data-action=reset]");
    this.busy = false;
    this.queued = false;
    this.editor.readOnly = false;    // read-only without JavaScript: nothing could run it
    root.querySelector("[data-bar]").hidden = false;
    this.bind();
  }

  setState(state, message) {
    this.root.dataset.state = state;
    this.root.setAttribute("aria-busy", state === "running" ? "true" : "false");
    if (message !== undefined) {
      this.status.textContent = message;
      this.status.hidden = !message;
    }
  }

  bind() {
    this.runButton.addEventListener("click", () => this.run());
    this.stopButton.addEventListener("click", () => this.stop());
    this.resetButton.addEventListener("click", () => this.reset());
    this.editor.addEventListener("keydown", (event) => this.key(event));
    this.editor.addEventListener("input", () => this.fit());
    this.editor.addEventListener("change", () => writeSettings());
  }

  key(event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      this.run();
    } else if (event.key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      this.indent(event.shiftKey);
    } else if (event.key === "Escape") {
      event.preventDefault();        // leave the editor: Tab indents inside it, so Esc is the way out
      this.runButton.focus();
    }
  }

  /* Tab: four spaces at the caret, or every selected line indented; Shift+Tab takes up to four off. */
  indent(outdent) {
    const el = this.editor;
    const { selectionStart: start, selectionEnd: end, value } = el;
    if (!outdent && start === end) return this.replace(start, end, "    ", start + 4, start + 4);
    const from = value.lastIndexOf("\n", start - 1) + 1;
    const lines = value.slice(from, end).split("\n");
    const changed = lines.map((line) => (outdent ? line.replace(/^ {1,4}/, "") : "    " + line)).join("\n");
    this.replace(from, end, changed, from, from + changed.length);
  }

  replace(from, to, text, caretStart, caretEnd) {
    const el = this.editor;
    el.setSelectionRange(from, to);
    // insertText keeps the browser's undo history; setRangeText is the fallback.
    if (!(document.execCommand && document.execCommand("insertText", false, text))) {
      el.setRangeText(text, from, to, "end");
      el.dispatchEvent(new Event("input"));
    }
    el.setSelectionRange(caretStart, caretEnd);
  }

  fit() {
    this.editor.rows = Math.min(Math.max(this.editor.value.split("\n").length, 3), 30);
  }

  code() {
    return this.editor.value;
  }

  async run() {
    if (failed) return this.setState("static", t("cell.failed"));
    if (!ready) {
      this.queued = true;
      return this.setState("loading", t("cell.loading"));
    }
    if (this.busy) return;
    writeSettings();
    const above = cells.filter((c) => c.index < this.index && !cellsRun.has(c));
    const restarted = restartedSince;
    restartedSince = false;
    this.busy = true;
    this.stopButton.hidden = false;
    this.setState("running", t("cell.running"));
    try {
      for (const cell of above) await cell.execute();
      const result = await this.execute();
      const ran = above.map((c) => numberFormat.format(c.index)).join(", ");
      const note = above.length ? t(restarted ? "cell.rerun" : "cell.ran_above", { cells: ran }) : "";
      this.setState(result.ok ? "ready" : "error", note);
    } catch (err) {
      if (err.cancelled) this.setState("loading", t("cell.stopped"));
      else {
        console.error(`maamar: cell ${this.index} could not run:`, err.message);
        this.setState(failed ? "static" : "error", t(failed ? "cell.failed" : "widget.error"));
      }
    } finally {
      this.busy = false;
      const hadFocus = document.activeElement === this.stopButton;
      this.stopButton.hidden = true;
      if (hadFocus) this.runButton.focus();   // the pressed Stop disappears: focus stays in the cell
    }
  }

  /* Send this cell's code to the worker and show what it printed; the caller handles the state. */
  async execute() {
    cellsRun.add(this);              // marked when sent: the worker runs requests in order
    if (!this.busy) this.setState("running");
    const result = await requestCell(this.index, this.code());
    this.show(result);
    if (!this.busy) this.setState(result.ok ? "ready" : "error", "");
    return result;
  }

  show(result) {
    const content = document.createDocumentFragment();
    for (const out of result.outputs || []) {
      if (out.type === "stream") {
        const el = outputBlock("pre", "cell-stream", out.text);
        el.dataset.stream = out.name;
        content.append(el);
      } else if (out.type === "result") content.append(outputBlock("pre", "cell-result", out.text, "ltr"));
      else if (out.type === "figure") {
        const figure = document.createElement("div");
        figure.className = "cell-figure";
        figure.append(sanitize(out.html));   // made by the kit's plots, checked by show(), sanitised again
        content.append(figure);
      } else if (out.type === "error") {
        const box = document.createElement("div");
        box.className = "cell-error";
        const heading = document.createElement("p");
        heading.className = "cell-error-title";
        heading.textContent = t("cell.error_heading", { name: out.ename });
        box.append(heading, outputBlock("pre", "", out.traceback, "ltr"));
        content.append(box);
      }
    }
    if (!content.childNodes.length) {
      const empty = document.createElement("p");
      empty.className = "cell-empty";
      empty.textContent = t("cell.no_output");
      content.append(empty);
    }
    if (result.truncated) {
      const cut = document.createElement("p");
      cut.className = "cell-truncated";
      cut.textContent = t("cell.truncated", { count: numberFormat.format(CELL_OUTPUT) });
      content.append(cut);
    }
    this.output.replaceChildren(content);
  }

  stop() {
    if (this.busy) restartWorker();
  }

  reset() {
    this.editor.value = this.original;
    this.fit();
    this.setState(this.root.dataset.state, t("cell.reset_done"));
    writeSettings();
  }

  /* The URL part for this cell ("cell-2:code=…"), or "" when the code is the author's or too long to share. */
  setting() {
    const code = this.code();
    if (code === this.original) return "";
    if (code.length > CELL_URL_CODE) {
      this.setState(this.root.dataset.state, t("cell.too_long_to_share", { count: numberFormat.format(CELL_URL_CODE) }));
      return "";
    }
    return this.root.id + ":code=" + encodeURIComponent(code);
  }

  /* Code from a shared link goes into the editor only; the reader decides to run it. */
  restore(values) {
    if (!values.has("code")) return false;
    const code = values.get("code").slice(0, Number(this.editor.getAttribute("maxlength")) || CELL_OUTPUT);
    if (code === this.code()) return false;
    this.editor.value = code;
    this.fit();
    this.setState(this.root.dataset.state, code === this.original ? "" : t("cell.from_link"));
    return true;
  }

  runtimeReady() {
    if (this.busy) return;
    this.setState("ready", this.root.dataset.state === "loading" && this.status.textContent === t("cell.loading") ? "" : undefined);
    if (this.queued) {
      this.queued = false;
      this.run();
    }
  }

  runtimeRestarting() {
    cellsRun.clear();
    restartedSince = true;
    if (!this.busy) this.setState("loading");
  }

  runtimeFailed() {
    this.queued = false;
    this.setState("static", t("cell.failed"));
  }
}

function restoreCells(hash) {
  for (const [id, values] of readSettings(hash)) {
    const cell = cells.find((c) => c.root.id === id);
    if (cell) cell.restore(values);
  }
}

function startCells() {
  for (const root of document.querySelectorAll("figure.cell[data-cell]")) cells.push(new Cell(root));
  for (const cell of cells) cell.setState("loading");
  restoreCells(location.hash.slice(1));
  window.addEventListener("hashchange", () => restoreCells(location.hash.slice(1)));
}
