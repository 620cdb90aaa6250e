"""Code cells: the runner (maamar_live.cells) and the build around it (maamar.cells)."""

import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest

from maamar.cells import CellExtension, CellUse, render_page_cells, run_cells
from maamar.errors import BuildError
from maamar.pipeline import Options, build
from maamar.project import THEME
from maamar_live import cells
from maamar_live.kit import line, show

from .conftest import ROOT
from .htmltext import prose_blocks


@pytest.fixture
def page(request):
    """A fresh page name per test, so namespaces never leak between tests."""
    yield request.node.name
    cells.forget(request.node.name)


def texts(result, kind=None):
    return [o.get("text") for o in result["outputs"] if kind is None or o["type"] == kind]


# ---------------------------------------------------------------------------
# The runner: the same function at build time and in Pyodide
# ---------------------------------------------------------------------------
def test_cells_of_a_page_share_one_namespace_in_the_order_they_run(page):
    assert cells.run("x = 6", 1, page)["ok"]
    assert texts(cells.run("print(x * 7)", 2, page)) == ["42\n"]
    cells.run("x = 7", 1, page)
    assert texts(cells.run("print(x * 7)", 2, page)) == ["49\n"]


def test_each_page_has_its_own_namespace(page):
    cells.run("secret = 1", 1, page)
    other = cells.run("secret", 1, page + "-other")
    cells.forget(page + "-other")
    assert not other["ok"] and other["outputs"][-1]["ename"] == "NameError"


def test_last_bare_expression_shows_its_repr_like_a_notebook(page):
    assert cells.run("'a' * 3", 1, page)["outputs"] == [{"type": "result", "text": "'aaa'"}]
    assert cells.run("y = 3", 2, page)["outputs"] == []
    assert cells.run("print('p')\nNone", 3, page)["outputs"] == [{"type": "stream", "name": "stdout", "text": "p\n"}]
    assert texts(cells.run("[y] * 2", 4, page), "result") == ["[3, 3]"]


def test_stdout_and_stderr_are_kept_in_the_order_written(page):
    result = cells.run("import sys\nprint('a')\nprint('b', file=sys.stderr)\nprint('c')", 1, page)
    assert [(o["name"], o["text"]) for o in result["outputs"]] == [("stdout", "a\n"), ("stderr", "b\n"), ("stdout", "c\n")]


def test_an_exception_shows_type_message_and_the_cells_own_line_numbers(page):
    result = cells.run("def f(a):\n    return 1 / a\n\nprint('before')\nf(0)", 3, page)
    assert not result["ok"]
    assert texts(result, "stream") == ["before\n"]
    error = result["outputs"][-1]
    assert (error["ename"], error["evalue"], error["line"]) == ("ZeroDivisionError", "division by zero", 2)
    assert "<cell 3>, line 5, in <module>" in error["traceback"]
    assert "<cell 3>, line 2, in f" in error["traceback"]
    assert "return 1 / a" in error["traceback"], "the cell's source line is shown, as for a file"
    assert "maamar_live" not in error["traceback"], "the runner's own frames are left out"


def test_a_syntax_error_points_at_the_cells_line(page):
    error = cells.run("x = 1\nif x\n    pass", 2, page)["outputs"][-1]
    assert error["ename"] == "SyntaxError" and error["line"] == 2
    assert "<cell 2>, line 2" in error["traceback"]


def test_exit_in_a_cell_is_an_error_not_the_end_of_python(page):
    result = cells.run("exit(3)", 1, page)
    assert not result["ok"] and result["outputs"][-1]["ename"] == "SystemExit"


def test_long_output_is_cut_at_the_limit_with_a_flag(page):
    result = cells.run("for i in range(5000): print('0123456789')", 1, page)
    assert result["truncated"]
    assert sum(len(t) for t in texts(result)) == cells.MAX_OUTPUT
    assert not cells.run("print('short')", 2, page)["truncated"]


def test_show_puts_a_kit_plot_into_the_cells_output(page):
    code = (
        "from maamar_live.kit import line, show\nprint('drawn:')\n"
        "show(line({'y': [1, 4, 9]}, title='Squares', desc='three', xlabel='i', ylabel='y'))"
    )
    result = cells.run(code, 1, page)
    assert [o["type"] for o in result["outputs"]] == ["stream", "figure"]
    assert (
        result["outputs"][1]["html"].startswith('<svg class="plot"') and "<title>Squares</title>" in result["outputs"][1]["html"]
    )


@pytest.mark.parametrize(
    "figure",
    [
        "<b>bold</b>",
        '<svg class="plot" xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg class="plot" xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
        '<svg class="plot"',
        42,
    ],
)
def test_show_refuses_anything_but_a_kit_plot(page, figure):
    result = cells.run(f"from maamar_live.kit import show\nshow({figure!r})", 1, page)
    assert not result["ok"] and result["outputs"][-1]["ename"] in ("TypeError", "ValueError")
    assert not [o for o in result["outputs"] if o["type"] == "figure"]


def test_show_outside_a_cell_says_where_it_works():
    with pytest.raises(RuntimeError, match="inside a code cell"):
        show(line({"y": [1, 2]}, title="t", desc="d", xlabel="x", ylabel="y"))


def test_run_json_is_the_workers_entry():
    import json

    answer = json.loads(cells.run_json(json.dumps({"cell": 2, "code": "print(6*7)", "page": "/json.html"})))
    cells.forget("/json.html")
    assert answer == {"ok": True, "outputs": [{"type": "stream", "name": "stdout", "text": "42\n"}], "truncated": False}


# ---------------------------------------------------------------------------
# The build: ```python live fences, run in a child Python with a time budget
# ---------------------------------------------------------------------------
def convert(text, offset=0, **run):
    errors = []
    ext = CellExtension(
        "content/x.md",
        offset,
        lambda found: render_page_cells(
            "content/x.md", found, lambda c: f'<figure data-cell-index="{c.index}">{texts(c.result)}</figure>', errors, **run
        ),
    )
    html = markdown.markdown(text, extensions=[ext, "fenced_code"])
    return html, ext.cells, ext.errors + errors


def test_cells_run_in_page_order_in_one_namespace_and_embed_their_output():
    html, found, errors = convert(
        "Intro.\n\n```python live\nx = 6\nprint(x)\n```\n\nMiddle.\n\n```python live\nprint(x * 7)\nx\n```\n"
    )
    assert errors == []
    assert [(c.index, c.line) for c in found] == [(1, 3), (2, 10)]
    assert html == (
        "<p>Intro.</p>\n<figure data-cell-index=\"1\">['6\\n']</figure>\n<p>Middle.</p>\n"
        "<figure data-cell-index=\"2\">['42\\n', '6']</figure>"
    )


def test_cell_options_hidden_collapsed_with_a_title_and_error():
    _, found, errors = convert(
        "```python live hidden\nprint(1)\n```\n\n"
        '```python live collapsed="The code behind it"\npass\n```\n\n'
        "```python live collapsed\npass\n```\n\n"
        '```python live error\nraise KeyError("k")\n```\n'
    )
    assert errors == []
    assert [(c.hidden, c.collapsed, c.error) for c in found] == [
        (True, None, False),
        (False, "The code behind it", False),
        (False, "", False),
        (False, None, True),
    ]
    assert found[3].result["outputs"][-1]["ename"] == "KeyError"


def test_plain_python_fences_and_cells_inside_other_fences_stay_code():
    html, found, errors = convert("```python\nprint(1)\n```\n\n````markdown\n```python live\nprint(2)\n```\n````\n")
    assert found == [] and errors == []
    assert html.count("<pre><code") == 2 and "python live" in html


@pytest.mark.parametrize(
    "info, expected",
    [
        ("python live colapsed", "content/x.md:4: unknown cell option 'colapsed' (did you mean 'collapsed'?)"),
        ("python live error=yes", "content/x.md:4: cell option 'error' takes no value: write just 'error'"),
        ('python live collapsed="unclosed', "content/x.md:4: cell options can't be read"),
        ("python live hidden collapsed", "content/x.md:4: a cell can't be both 'hidden' and 'collapsed'"),
    ],
)
def test_bad_cell_options_name_the_file_and_line(info, expected):
    _, _, errors = convert(f"Text.\n\n\n```{info}\npass\n```\n")
    assert len(errors) == 1 and str(errors[0]).startswith(expected)


def test_unclosed_cell_is_reported_at_its_fence():
    _, _, errors = convert("Text.\n\n```python live\nprint(1)\n", offset=6)
    assert [str(e) for e in errors] == ["content/x.md:9: code cell is not closed: add a line with ``` after its code"]


def test_a_cell_that_raises_names_file_and_line_and_later_cells_do_not_run():
    _, found, errors = convert(
        "One.\n\n```python live\nx = 1\n```\n\n```python live\nraise ValueError('boom')\n```\n\n"
        "```python live\nprint('never')\n```\n",
        offset=6,
    )
    assert [str(e) for e in errors] == ["content/x.md:13: cell raised ValueError: boom"]
    assert found[2].result == {}


def test_a_cell_marked_error_must_raise():
    _, _, errors = convert("```python live error\nprint('fine')\n```\n")
    assert [str(e) for e in errors] == [
        "content/x.md:1: cell is marked 'error' but raised nothing: remove 'error' from its ```python live line, or make it raise"
    ]


def test_a_cell_over_the_time_budget_is_stopped_and_named():
    cells_ = [CellUse(1, 8, "x = 1"), CellUse(2, 14, "while True:\n    pass")]
    with pytest.raises(Exception) as caught:
        run_cells(cells_, "content/x.md", budget=1.0)
    assert caught.value.cell is cells_[1]
    assert str(caught.value).startswith("cell did not finish within 1 s")
    assert cells_[0].result["ok"], "the cell before it ran"


def test_a_cell_that_ends_python_itself_is_named():
    use = CellUse(1, 3, "import os\nos._exit(0)")
    with pytest.raises(Exception) as caught:
        run_cells([use], "content/x.md")
    assert "cell ended Python itself" in str(caught.value)


def test_cells_may_import_the_projects_widget_modules():
    use = CellUse(1, 3, "from maamar_project import coin_average\nprint(coin_average.KIND)")
    run_cells([use], "content/x.md", project_widgets=THEME / "new" / "widgets")
    assert texts(use.result) == ["coin-average\n"]


def test_writing_to_the_real_stdout_does_not_break_the_build():
    use = CellUse(1, 3, "import os\nos.write(1, b'noise\\n')\nprint('kept')")
    run_cells([use], "content/x.md")
    assert texts(use.result) == ["kept\n"]


# ---------------------------------------------------------------------------
# Whole builds
# ---------------------------------------------------------------------------
def small_project(tmp_path: Path, body: str) -> Path:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "maamar.yml").write_text("title: Cells\nlang: en\n", encoding="utf-8")
    (project / "content" / "cells.md").write_text(
        "---\ntitle: Cells\nlang: en\ndir: ltr\ndescription: Two cells\ndate: 2026-01-01\n---\n\n" + textwrap.dedent(body),
        encoding="utf-8",
    )
    return project


def test_a_page_of_cells_shows_code_and_outputs_and_loads_the_runtime(tmp_path):
    project = small_project(
        tmp_path,
        """\
        ## Cells

        ```python live
        x = 6
        print(x * 7)
        ```

        ```python live collapsed="Behind the curve"
        from maamar_live.kit import line, show
        show(line({"y": [x, x * 2]}, title="Doubling", desc="two points", xlabel="i", ylabel="y"))
        ```
        """,
    )
    out = tmp_path / "site"
    built = build(Options(project=project, out=out, file_bundle=False))
    html = (out / "cells.html").read_text(encoding="utf-8")
    assert [c.line for c in built.pages[0].cells] == [11, 16]
    assert '<figure class="cell" id="cell-1" data-cell data-state="static"' in html
    assert '<pre class="cell-stream" data-stream="stdout">42\n</pre>' in html
    assert 'data-editor dir="ltr"' in html and "readonly" in html, "LTR code, read-only until JavaScript can run it"
    assert '<details class="cell-details">\n  <summary>Behind the curve</summary>' in html
    assert "<title>Doubling</title>" in html
    assert 'data-output aria-live="polite"' in html and 'data-action="run"' in html and 'data-action="reset"' in html
    assert "assets/js/loader.js" in html, "a page with cells but no widgets still loads the runtime"
    assert prose_blocks(html) == ["Cells"], "cells are not prose"


def test_cli_stops_with_exit_2_and_file_line_and_keeps_the_last_good_site(tmp_path):
    good = small_project(tmp_path, "```python live\nprint('fine')\n```\n")
    out = tmp_path / "site"
    build(Options(project=good, out=out, file_bundle=False))
    before = (out / "cells.html").read_bytes()
    (good / "content" / "cells.md").write_text(
        (good / "content" / "cells.md").read_text(encoding="utf-8") + '\n```python live\nraise ValueError("boom")\n```\n',
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "maamar", "build", "--out", str(out), "--no-file-bundle"], capture_output=True, text=True, cwd=good
    )
    assert result.returncode == 2
    assert "content/cells.md:13: cell raised ValueError: boom" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "cells.html").read_bytes() == before


def test_the_article_has_one_collapsed_cell_right_after_the_training_loop():
    text = (ROOT / "content" / "article.md").read_text(encoding="utf-8")
    after = text.split("::: widget training-loop", 1)[1].split(":::", 1)[1].lstrip()
    assert after.startswith('```python live collapsed="הקוד מאחורי הניסוי"\n')
    assert text.count("```python live") == 1
    code = after.split("\n", 1)[1].split("\n```", 1)[0]
    assert "learning_rate =" in code and "steps =" in code and "default_rng(" in code
    result = cells.run(code, 1, "article-test")
    cells.forget("article-test")
    assert result["ok"] and [o["type"] for o in result["outputs"]] == ["stream", "figure"]


def test_build_errors_are_build_errors_not_tracebacks(tmp_path):
    project = small_project(tmp_path, "```python live\nimport no_such_module\n```\n")
    with pytest.raises(BuildError) as caught:
        build(Options(project=project, out=tmp_path / "site", file_bundle=False))
    assert str(caught.value) == "content/cells.md:9: cell raised ModuleNotFoundError: No module named 'no_such_module'"


def test_the_new_projects_article_has_a_cell_that_builds(tmp_path):
    from maamar.scaffold import create

    project = create(tmp_path / "fresh")
    built = build(Options(project=project, out=tmp_path / "site", file_bundle=False))
    [page] = built.pages
    assert len(page.cells) == 1 and page.cells[0].collapsed == "The code behind the average"
    assert [o["type"] for o in page.cells[0].result["outputs"]] == ["stream", "figure"]


def test_the_docs_example_runs_as_written(tmp_path):
    docs = (ROOT / "docs" / "cells.md").read_text(encoding="utf-8")
    example = docs.split("````markdown\n", 1)[1].split("\n````", 1)[0]
    project = small_project(tmp_path, example)
    [page] = build(Options(project=project, out=tmp_path / "site", file_bundle=False)).pages
    assert [c.collapsed for c in page.cells] == [None, "How often each face came up"]
    assert [o["type"] for o in page.cells[1].result["outputs"]] == ["figure", "result"]
