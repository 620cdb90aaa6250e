"""The loopback server: right MIME types, the site's own 404, rebuild on change."""

import threading
import urllib.error
import urllib.request

from maamar.serve import make_server, watch

from .conftest import copy_project


def serve(folder):
    server = make_server(folder, 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def test_wasm_is_served_as_application_wasm_and_missing_pages_get_404_html(tmp_path):
    (tmp_path / "x.wasm").write_bytes(b"\0asm")
    (tmp_path / "404.html").write_text("<h1>הדף לא נמצא</h1>", encoding="utf-8")
    server, url = serve(tmp_path)
    try:
        with urllib.request.urlopen(url + "x.wasm") as response:
            assert response.headers["Content-Type"] == "application/wasm"
        try:
            urllib.request.urlopen(url + "nowhere")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            assert "הדף לא נמצא" in error.read().decode("utf-8")
        else:
            raise AssertionError("expected 404")
    finally:
        server.shutdown()


def test_watch_rebuilds_when_a_source_file_changes(tmp_path):
    source = tmp_path / "a.md"
    source.write_text("one")
    rebuilt = threading.Event()
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=([tmp_path], rebuilt.set, stop, 0.05), daemon=True)
    thread.start()
    try:
        assert not rebuilt.wait(0.3)
        source.write_text("two, and longer")
        assert rebuilt.wait(5)
    finally:
        stop.set()
        thread.join(2)


def start_serving(project, *extra):
    """``maamar serve`` in ``project``: the process and the address it prints."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, "-m", "maamar", "serve", "--port", "0", "--no-file-bundle", *extra],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines = []
    while True:
        line = process.stdout.readline()
        assert line, f"server exited early: {''.join(lines)}"
        lines.append(line)
        if "serving " in line:
            return process, line.split(" at ", 1)[1].split(" ", 1)[0]


def status(url):
    import json

    with urllib.request.urlopen(url + "__maamar/status") as response:
        return json.loads(response.read())


def wait_for(predicate, seconds=90):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out")


def test_serve_rebuilds_in_a_fresh_process_reloads_the_tab_and_keeps_the_last_good_site(tmp_path):
    project = copy_project(tmp_path)
    widgets = project / "widgets"
    widgets.mkdir()
    from maamar.project import THEME

    example = (THEME / "new" / "widgets" / "coin_average.py").read_text(encoding="utf-8")
    (widgets / "coin_average.py").write_text(example, encoding="utf-8")
    article = project / "content" / "article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n::: widget coin-average\n:::\n", encoding="utf-8")
    process, url = start_serving(project)
    try:
        page = urllib.request.urlopen(url + "article.html").read().decode("utf-8")
        assert '<script src="/__maamar/reload.js" defer></script>' in page, "the served page reloads itself"
        assert "__maamar" not in (project / "site" / "article.html").read_text(encoding="utf-8"), (
            "the reload script is never in a built file"
        )
        assert "Many flips, one steady average" in page
        first = status(url)
        assert first["ok"] and first["errors"] == []
        # An edit to the widget's strings must reach the pre-rendered page: a fresh process
        # per rebuild, not the modules the first build imported.
        (widgets / "coin_average.py").write_text(
            example.replace("Many flips, one steady average", "Flips, edited"), encoding="utf-8"
        )
        wait_for(lambda: status(url)["build"] > first["build"])
        page = urllib.request.urlopen(url + "article.html").read().decode("utf-8")
        assert "Flips, edited" in page and "Many flips, one steady average" not in page
        # A broken edit: errors in the status the overlay shows, the last good site still served.
        good = status(url)["build"]
        (widgets / "coin_average.py").write_text("KIND = 'coin-average'\ndef run(:\n", encoding="utf-8")
        broken = wait_for(lambda: (lambda s: s if not s["ok"] else None)(status(url)))
        assert broken["build"] == good
        assert any(line.startswith("widgets/coin_average.py:2: syntax error") for line in broken["errors"]), broken
        assert "Flips, edited" in urllib.request.urlopen(url + "article.html").read().decode("utf-8")
        script = urllib.request.urlopen(url + "__maamar/reload.js").read().decode("utf-8")
        assert "location.reload()" in script and "maamarErrors" in script
    finally:
        process.terminate()
        process.wait(10)
