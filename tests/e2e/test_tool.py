"""maamar as a tool, the way a new author meets it: installed from a wheel (not editable)
into a fresh virtual environment, run in an empty folder far from this checkout.

`maamar new blog && cd blog && maamar build` gives a site whose widgets go live in
Chromium — the built-in one, the project's own, and a copy of it under another KIND —
with an English (LTR) and a Hebrew (RTL) article side by side on one site.  The
runtime files come from a fresh per-user cache that this first build fills (the
project has no node_modules), and a broken widget file stops the build with exit 2.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

from maamar.serve import make_server

from ..conftest import ROOT
from .conftest import Requests, wait_for_runtime, wait_idle

HEBREW_ARTICLE = """---
title: מאמר שני
lang: he
dir: rtl
description: מאמר בעברית לצד מאמר באנגלית באותו אתר.
date: 2026-12-01
---

## ניסוי

::: widget trial-error
:::
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A virtual environment with maamar installed from a wheel of this checkout."""
    tmp = tmp_path_factory.mktemp("tool")
    wheels = tmp / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        capture_output=True,
    )
    venv = tmp / "venv"
    # The dependencies (numpy, jinja2, markdown...) come from this interpreter; maamar itself
    # only from the wheel, which the venv's own site-packages puts before the editable checkout.
    # Without a pip of its own (ensurepip takes 5 s): this interpreter's pip installs into it (pip >= 22.3).
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", str(venv)], check=True)
    wheel = next(wheels.glob("maamar-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--no-deps", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import maamar, maamar_live; print(maamar.__file__); print(maamar_live.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp,
    ).stdout.split()
    assert all(str(venv) in path for path in where), f"not the installed copy: {where}"
    return venv, tmp


def run(venv, *args, cwd, env=None):
    return subprocess.run(
        [str(venv / "bin" / "maamar"), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


@pytest.fixture(scope="module")
def blog(installed):
    venv, tmp = installed
    cache = {"MAAMAR_CACHE": str(tmp / "user-cache")}
    assert run(venv, "new", "blog", cwd=tmp).returncode == 0
    blog = tmp / "blog"
    assert not (blog / "node_modules").exists() and not (blog / "package.json").exists()
    example = (blog / "widgets" / "coin_average.py").read_text(encoding="utf-8")
    (blog / "widgets" / "dice_average.py").write_text(example.replace('"coin-average', '"dice-average'), encoding="utf-8")
    article = blog / "content" / "first-article.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n::: widget dice-average\nflips: 50\n:::\n", encoding="utf-8")
    (blog / "content" / "second.md").write_text(HEBREW_ARTICLE, encoding="utf-8")
    result = run(venv, "build", cwd=blog, env=cache)
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr, result.stderr
    assert (tmp / "user-cache" / "pyodide-0.27.7" / "pyodide.asm.wasm").is_file(), "the first build fills the cache"
    return venv, blog, cache


@pytest.fixture(scope="module")
def blog_server(blog):
    _, folder, _ = blog
    server = make_server(folder / "site", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def open_live(browser, server, name):
    """A page of the blog's site, booted; any request that leaves that server fails the test."""
    requests = Requests(server)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", requests.check)
    page = context.new_page()
    page.requests = requests
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(server + name)
    assert wait_for_runtime(page) == "ready"
    return page


def test_the_scaffold_built_by_the_installed_tool_goes_live(blog, blog_server, browser):
    page = open_live(browser, blog_server, "first-article.html")
    assert page.eval_on_selector("[data-runtime]", "e => e.textContent").strip().startswith("The experiments are live")
    for kind in ("coin-average", "dice-average"):
        figure = page.locator(f"figure.widget[data-widget='{kind}']")
        before = figure.locator("[data-output]").inner_text()
        figure.get_by_role("button", name="Flip again").click()
        wait_idle(page, figure)
        assert figure.get_attribute("data-state") == "ready"
        after = figure.locator("[data-output]").inner_text()
        assert after != before and "After" in after, kind
    trial = page.locator("figure.widget[data-widget='trial-error']")
    trial.get_by_role("button", name="One try").click()
    wait_idle(page, trial)
    assert "Tries so far: 1." in trial.locator("[data-output]").inner_text()
    assert page.errors == [] and page.requests.foreign == []
    page.context.close()


def test_an_rtl_and_an_ltr_article_live_side_by_side_on_one_site(blog_server, browser):
    page = open_live(browser, blog_server, "second.html")
    assert page.eval_on_selector("html", "e => [e.lang, e.dir]") == ["he", "rtl"]
    assert page.eval_on_selector("[data-runtime]", "e => e.textContent").strip().startswith("הניסויים חיים")
    trial = page.locator("figure.widget[data-widget='trial-error']")
    trial.get_by_role("button", name="ניסיון אחד").click()
    wait_idle(page, trial)
    assert "אחרי 1 ניסיונות" in trial.locator("[data-output]").inner_text()
    index = page.context.new_page()
    index.goto(blog_server + "index.html")
    langs = index.eval_on_selector_all(".article-list li", "items => items.map(i => [i.lang, i.dir])")
    assert sorted(langs) == [["en", "ltr"], ["he", "rtl"]]
    assert page.errors == [] and page.requests.foreign == []
    page.context.close()


def test_a_broken_widget_file_gives_exit_2_with_its_file_and_line(blog):
    venv, folder, cache = blog
    broken = folder / "widgets" / "broken_widget.py"
    broken.write_text('KIND = "broken"\n\ndef run(params, action, state)\n    return {}\n', encoding="utf-8")
    try:
        result = run(venv, "build", "--no-file-bundle", cwd=folder, env=cache)
    finally:
        broken.unlink()
    assert result.returncode == 2
    assert result.stderr.startswith("widgets/broken_widget.py:3: syntax error"), result.stderr
    assert "Traceback" not in result.stderr
