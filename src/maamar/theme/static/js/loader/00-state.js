/* The page side of the live runtime, and the widget binder: shared state.
 *
 * Pre-rendered widgets are already on the page.  When the browser is idle this
 * script starts one Web Worker that boots Pyodide (see worker.js), shows one
 * progress indicator, and binds every widget's controls to the worker.  If
 * anything fails, the pre-rendered outputs stay and a notice says why.
 *
 * The build concatenates these parts, in name order, into one classic script
 * (assets/js/loader.js) inside one function scope: pages opened from file://
 * refuse module scripts.  Each part is one concern; this one holds what they share.
 */

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

const lang = document.documentElement.lang || "en";   // sent with every request: widgets answer in it
const numberFormat = new Intl.NumberFormat(lang);
const widgets = [];                  // every Widget of the page (filled by 90-main.js)
const cells = [];                    // every code Cell of the page (filled by startCells, 45-cells.js)
