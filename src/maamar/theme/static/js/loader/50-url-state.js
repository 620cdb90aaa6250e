/* ---------- shareable settings in the URL hash ----------
 * Like TensorFlow Playground: every control a reader changed is kept in the
 * address, e.g. #training-loop:examples=80,epochs=20&instant-answer:prompt=%D7%97
 * (only values that differ from the pre-rendered ones).  A widget's id is its
 * kind (kind-2 for the second of a kind) or the directive's id:, so a link stays
 * right when the article gains a widget above it; links from before, with
 * numbered ids (#widget-5:...), still reach the 5th widget.  Opening such a link sets
 * the controls and, once Python is ready, starts that widget afresh ("init")
 * with them.  Values only ever reach .value/.checked, never markup; anything
 * malformed, unknown or out of range is ignored or clamped by the browser. */
const SETTINGS = /^([A-Za-z][A-Za-z0-9_-]{0,63}):(.*)$/;   // the ids directives.py allows; cells are #cell-N:code=… (45-cells.js)
const NUMBERED = /^widget-(\d{1,4})$/;

function widgetById(id) {
  const named = widgets.find((w) => w.root.id === id);
  if (named) return named;
  const numbered = NUMBERED.exec(id);
  return numbered ? widgets[Number(numbered[1]) - 1] : undefined;
}

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
    const widget = widgetById(id);
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
  for (const cell of cells) {
    const part = cell.setting();
    if (part) parts.push(part);
  }
  const current = location.hash.slice(1);
  if (!parts.length && current && !SETTINGS.test(current)) return;   // leave a section link alone
  try {
    history.replaceState(history.state, "", location.pathname + location.search + (parts.length ? "#" + parts.join("&") : ""));
  } catch (err) { /* some file:// contexts refuse replaceState: settings just aren't shared */ }
}
