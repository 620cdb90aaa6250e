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
