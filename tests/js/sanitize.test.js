"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const { loadParts } = require("./load.js");

// A minimal element: what cleanTree touches (localName, attributes, children, remove, removeAttribute).
function el(localName, attributes = {}, children = []) {
  const node = {
    localName,
    attributes: Object.entries(attributes).map(([name, value]) => ({ name, value })),
    children,
    parent: null,
    remove() { this.parent.children.splice(this.parent.children.indexOf(this), 1); },
    removeAttribute(name) { this.attributes = this.attributes.filter((a) => a.name !== name); },
  };
  for (const child of children) child.parent = node;
  return node;
}
const attrs = (node) => Object.fromEntries(node.attributes.map((a) => [a.name, a.value]));

const { run } = loadParts(["30-sanitize.js"]);
const cleanTree = run("cleanTree");

test("elements our renderers emit stay, with their attributes", () => {
  const root = el("#fragment", {}, [
    el("figure", { class: "plot" }, [
      el("svg", { viewBox: "0 0 10 10", role: "img", "aria-label": "plot" }, [el("polyline", { points: "0,0 1,1", stroke: "#000" })]),
      el("img", { src: "data:image/png;base64,AAAA", alt: "", width: "64", height: "64" }),
    ]),
  ]);
  cleanTree(root);
  const [figure] = root.children;
  assert.equal(figure.children.length, 2);
  assert.deepEqual(attrs(figure.children[0]), { viewBox: "0 0 10 10", role: "img", "aria-label": "plot" });
  assert.deepEqual(attrs(figure.children[1]), { src: "data:image/png;base64,AAAA", alt: "", width: "64", height: "64" });
});

test("unknown and dangerous elements are removed with their content", () => {
  for (const tag of ["script", "iframe", "object", "embed", "style", "link", "meta", "base", "form", "foreignObject", "a", "video", "math"]) {
    const root = el("#fragment", {}, [el("p", {}, [el(tag, {}, [el("span")])]), el(tag)]);
    cleanTree(root);
    assert.equal(root.children.length, 1, tag);
    assert.equal(root.children[0].children.length, 0, tag);
  }
});

test("handlers, styles and unknown attributes are removed", () => {
  const root = el("#fragment", {}, [el("div", { onclick: "x()", ONLOAD: "x()", style: "color:red", class: "ok", "data-x": "1", href: "#a" })]);
  cleanTree(root);
  assert.deepEqual(attrs(root.children[0]), { class: "ok" });
});

test("an image keeps only an inline PNG or SVG source", () => {
  for (const [src, kept] of [["data:image/png;base64,AA", true], ["data:image/svg+xml;base64,AA", true],
                             ["https://elsewhere.example/x.png", false], ["javascript:alert(1)", false],
                             ["data:text/html;base64,AA", false], ["x.png", false]]) {
    const root = el("#fragment", {}, [el("img", { src, alt: "" })]);
    cleanTree(root);
    assert.equal("src" in attrs(root.children[0]), kept, src);
  }
  const root = el("#fragment", {}, [el("span", { src: "data:image/png;base64,AA" })]);
  cleanTree(root);
  assert.deepEqual(attrs(root.children[0]), {});
});

test("the allowlist can be read as data (tests/test_sanitize_allowlist.py compares it with the renderers)", () => {
  const lists = JSON.parse(run("JSON.stringify({ elements: [...ALLOWED_ELEMENTS], global: [...GLOBAL_ATTRIBUTES], attributes: ALLOWED_ATTRIBUTES })"));
  assert.ok(lists.elements.includes("svg") && !lists.elements.includes("script"));
});
