"""A runtime file changed after the build fails the boot at once, with the notice, before its
code is imported or unpacked: the worker checks every Pyodide core file and every wheel against
the sha256 maamar pinned."""

from __future__ import annotations

import shutil
import threading

import pytest

from maamar.serve import make_server

from .conftest import Requests, wait_for_runtime


@pytest.mark.parametrize(
    "name, extra",
    [("pyodide.asm.js", b";self.__tampered=1"), ("pyodide.asm.wasm", b"\0"), ("numpy-*.whl", b"\0")],
    ids=["injected-js", "one-byte-more-wasm", "one-byte-more-wheel"],
)
def test_a_tampered_runtime_file_fails_the_boot_at_once(site_dir, tmp_path, browser, name, extra):
    site = tmp_path / "site"
    shutil.copytree(site_dir, site, ignore=shutil.ignore_patterns("file-bundle*"))
    (target,) = (site / "pyodide").glob(name)
    with target.open("ab") as fh:
        fh.write(extra)
    server = make_server(site, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        requests = Requests(url)
        context = browser.new_context()
        context.route("**/*", requests.check)
        page = context.new_page()
        messages = []
        page.on("console", lambda m: messages.append(m.text))
        page.goto(url + "article.html")
        # Far below the loader's 120 s boot timeout: the hash check, not the watchdog, ends the boot.
        assert wait_for_runtime(page, timeout=30_000) == "failed"
        assert any("integrity check failed" in m for m in messages), messages
        figure = page.locator("figure.widget").first
        assert figure.locator("[data-output]").inner_text().strip(), "the pre-rendered output stays"
        assert requests.foreign == []
        context.close()
    finally:
        server.shutdown()
