/* maamar serve only (never in a built site): reload the tab after a good rebuild,
 * and show the build's file:line errors over the page after a failed one. */
(function () {
  "use strict";
  let seen = null;
  let overlay = null;

  function showErrors(lines) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.dataset.maamarErrors = "";
      overlay.dir = "ltr";
      overlay.lang = "en";
      Object.assign(overlay.style, {
        position: "fixed", insetInline: "0", bottom: "0", zIndex: "2147483647", maxHeight: "60vh", overflow: "auto",
        margin: "0", padding: "1rem 1.25rem", background: "#2b0d0d", color: "#ffe9e9", font: "14px/1.5 ui-monospace, monospace",
        borderTop: "4px solid #e5484d", textAlign: "left",
      });
      const close = document.createElement("button");
      close.type = "button";
      close.textContent = "Close";
      Object.assign(close.style, { float: "right", font: "inherit" });
      close.addEventListener("click", () => { overlay.hidden = true; });
      const title = document.createElement("strong");
      title.textContent = "The build failed; the last good site is still served.";
      const pre = document.createElement("pre");
      Object.assign(pre.style, { whiteSpace: "pre-wrap", margin: ".5rem 0 0" });
      overlay.append(close, title, pre);
      document.body.append(overlay);
    }
    overlay.hidden = false;
    overlay.querySelector("pre").textContent = lines.join("\n");
  }

  async function poll() {
    try {
      const response = await fetch("/__maamar/status", { cache: "no-store" });
      const status = await response.json();
      if (seen === null) seen = status.build;
      if (status.build !== seen) return location.reload();
      if (!status.ok) showErrors(status.errors);
      else if (overlay) overlay.hidden = true;
    } catch (err) { /* the server is restarting: try again */ }
    setTimeout(poll, 700);
  }
  poll();
})();
