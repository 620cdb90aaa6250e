// Loads loader parts (src/maamar/theme/static/js/loader/NN-*.js) into one vm context, as the
// build concatenates them, with the globals they need stubbed; top-level const/let/function
// declarations are then reachable from context.run("name").
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const PARTS = path.join(__dirname, "..", "..", "src", "maamar", "theme", "static", "js", "loader");

function loadParts(names, globals = {}) {
  const context = vm.createContext({ console, setTimeout, clearTimeout, Promise, URL, Error, Map, Set, Object, Array, ...globals });
  for (const name of names) {
    vm.runInContext(fs.readFileSync(path.join(PARTS, name), "utf8"), context, { filename: name });
  }
  return { context, run: (code) => vm.runInContext(code, context) };
}

module.exports = { loadParts, PARTS };
