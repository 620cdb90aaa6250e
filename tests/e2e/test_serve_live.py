"""``maamar serve`` in a browser: the open tab reloads after a good rebuild, shows the
``file:line`` errors over the page after a failed one, and recovers when they are fixed."""

from __future__ import annotations

import subprocess
import sys

from .conftest import Requests


def test_the_tab_reloads_after_an_edit_and_shows_build_errors_over_the_last_good_site(tmp_path, browser):
    assert subprocess.run([sys.executable, "-m", "maamar", "new", "blog"], cwd=tmp_path).returncode == 0
    blog = tmp_path / "blog"
    process = subprocess.Popen(
        [sys.executable, "-m", "maamar", "serve", "--port", "0", "--no-file-bundle"],
        cwd=blog,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        while True:
            line = process.stdout.readline()
            assert line, "maamar serve exited early"
            if "serving " in line:
                url = line.split(" at ", 1)[1].split(" ", 1)[0]
                break
        requests = Requests(url)
        context = browser.new_context()
        context.route("**/*", requests.check)
        # Reloading and the error overlay are the dev server's, not Python's: without the worker
        # no page load boots Pyodide, whose CPU the three rebuilds below would otherwise wait for.
        context.route("**/assets/js/worker.js", lambda route: route.abort())
        page = context.new_page()
        page.goto(url + "first-article.html")
        title = page.locator("figure.widget[data-widget='coin-average'] .widget-title")
        assert title.inner_text() == "Many flips, one steady average"

        widget = blog / "widgets" / "coin_average.py"
        source = widget.read_text(encoding="utf-8")
        widget.write_text(source.replace("Many flips, one steady average", "Flips, edited while serving"), encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector(\"figure[data-widget='coin-average'] .widget-title\")?.textContent === 'Flips, edited while serving'",
            timeout=90_000,
        )

        widget.write_text("KIND = 'coin-average'\ndef run(:\n", encoding="utf-8")
        overlay = page.locator("[data-maamar-errors]")
        overlay.wait_for(state="visible", timeout=90_000)
        assert "widgets/coin_average.py:2: syntax error" in overlay.inner_text()
        assert title.inner_text() == "Flips, edited while serving", "the last good page stays"

        widget.write_text(source, encoding="utf-8")
        page.wait_for_function(
            "() => document.querySelector(\"figure[data-widget='coin-average'] .widget-title\")?.textContent === 'Many flips, one steady average'",
            timeout=90_000,
        )
        assert page.locator("[data-maamar-errors]").count() == 0
        assert requests.foreign == []
        context.close()
    finally:
        process.terminate()
        process.wait(10)
    assert "__maamar" not in (blog / "site" / "first-article.html").read_text(encoding="utf-8")
