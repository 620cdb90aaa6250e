"""The loopback server: right MIME types, the site's own 404, rebuild on change."""
import threading
import urllib.error
import urllib.request

from maamar.serve import make_server, watch


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


def test_build_py_serve_serves_and_rebuilds_after_an_edit(tmp_path):
    import re
    import shutil
    import subprocess
    import sys
    import time

    from .conftest import ROOT

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "--serve", "--port", "0", "--no-file-bundle",
         "--content", str(content), "--out", str(tmp_path / "site")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        url = None
        while url is None:
            line = process.stdout.readline()
            assert line, "server exited early"
            found = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
            url = found and found.group(1)
        with urllib.request.urlopen(url + "article.html") as response:
            assert "מה זה אימון מודל?" in response.read().decode("utf-8")
        article = content / "article.md"
        article.write_text(article.read_text(encoding="utf-8").replace("title: מה זה אימון מודל?", "title: כותרת חדשה"), encoding="utf-8")
        deadline = time.time() + 30
        while time.time() < deadline:
            with urllib.request.urlopen(url + "article.html") as response:
                if "<title>כותרת חדשה</title>" in response.read().decode("utf-8"):
                    break
            time.sleep(0.3)
        else:
            raise AssertionError("the site was not rebuilt after the edit")
    finally:
        process.terminate()
        process.wait(10)
