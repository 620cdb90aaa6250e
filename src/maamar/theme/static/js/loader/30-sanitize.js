/* ---------- safe insertion of widget output ----------
 * An allowlist of exactly what our renderers emit (kit/markup.py, kit/plots.py and
 * the widgets; tests/test_sanitize_allowlist.py checks every widget's output against
 * these lists, so a renderer that starts emitting something new fails there first).
 * Anything else is removed: an unknown element with its content, an unknown
 * attribute, a URL that is not a fragment or an inline PNG/SVG image.  Hand-written
 * rather than DOMPurify (about 20 KB) because the lists are short and ours. */
const ALLOWED_ELEMENTS = new Set([
  "div", "p", "span", "bdi", "mark", "blockquote", "ul", "ol", "li", "figure", "figcaption", "img",
  "table", "caption", "thead", "tbody", "tr", "th", "td", "strong", "em", "small", "code", "br", "button",
  "details", "summary", "svg", "g", "title", "desc", "line", "polyline", "rect", "circle", "text", "tspan",
]);
const GLOBAL_ATTRIBUTES = new Set(["class", "dir", "lang", "title", "role", "tabindex"]);
const ALLOWED_ATTRIBUTES = {
  img: ["src", "alt", "width", "height", "loading", "decoding"],
  li: ["data-scroll-to"],
  button: ["type", "name", "value", "data-action"],   // a thumbnail or bar that jumps there (40-binder.js)
  th: ["scope", "colspan", "rowspan"],
  td: ["colspan", "rowspan"],
  svg: ["viewbox", "xmlns", "preserveaspectratio", "direction", "width", "height"],
  g: ["fill", "stroke", "stroke-width", "stroke-opacity", "shape-rendering"],
  line: ["x1", "x2", "y1", "y2", "stroke", "stroke-width"],
  polyline: ["points", "fill", "stroke", "stroke-width"],
  rect: ["x", "y", "width", "height", "fill", "fill-opacity"],
  circle: ["cx", "cy", "r", "fill"],
  text: ["x", "y", "dy", "text-anchor", "transform"],
  tspan: ["x", "dy"],
};
const ARIA = /^aria-[a-z]+$/;
const ALLOWED_URL = /^(#|data:image\/(png|svg\+xml);)/;

function attributeAllowed(tag, name, value) {
  if (name === "src") return tag === "img" && ALLOWED_URL.test(value);
  return GLOBAL_ATTRIBUTES.has(name) || ARIA.test(name) || (ALLOWED_ATTRIBUTES[tag] || []).includes(name);
}

function cleanTree(parent) {
  for (const el of Array.from(parent.children)) {
    const tag = el.localName.toLowerCase();
    if (!ALLOWED_ELEMENTS.has(tag)) { el.remove(); continue; }
    for (const attr of Array.from(el.attributes)) {
      if (!attributeAllowed(tag, attr.name.toLowerCase(), attr.value)) el.removeAttribute(attr.name);
    }
    cleanTree(el);
  }
}

function sanitize(html) {
  const template = document.createElement("template");
  template.innerHTML = html;
  cleanTree(template.content);
  return template.content;
}
