"""Served scripts and stylesheets lose their comments and indentation, nothing else."""

import shutil
import subprocess

import pytest

from maamar import slim
from maamar.pipeline import LOADER_PARTS, concatenate_parts, static_files
from maamar.project import find_project

from .conftest import ROOT

NODE = shutil.which("node")


def test_js_loses_comments_and_indentation_only():
    source = (
        "/**\n * A doc comment\n * over lines.\n */\n"
        "function f(a) {\n"
        "    // a comment line\n"
        "    const re = /\\/\\/ not a comment/g;  // after a slash: kept\n"
        '    const url = "http://example.org/*x*/";\n'
        '    const s = "a // b";  // after an open quote: kept\n'
        "    let n = 'it\\'s';   // a trailing comment: goes\n"
        "\n"
        "    /* one line */\n"
        "    return a / 2;\n"
        "}\n"
    )
    assert slim.slim_js(source) == (
        "function f(a) {\n"
        "const re = /\\/\\/ not a comment/g;  // after a slash: kept\n"
        'const url = "http://example.org/*x*/";\n'
        'const s = "a // b";  // after an open quote: kept\n'
        "let n = 'it\\'s';\n"
        "return a / 2;\n"
        "}\n"
    )


def test_js_template_literals_keep_their_lines_exactly():
    source = "const t = `line one\n    // indented, inside the string\n\n  end`;\n    done();\n"
    assert slim.slim_js(source) == "const t = `line one\n    // indented, inside the string\n\n  end`;\ndone();\n"


def test_unterminated_comment_is_served_unchanged():
    assert slim.slim_js("a();\n/* never closed\nb();\n") == "a();\n/* never closed\nb();\n"
    assert slim.slim_css("a { b: c }\n/* never closed") == "a { b: c }\n/* never closed"


def test_css_loses_every_comment_but_not_strings():
    source = "/* head */\n.a {\n    color: red;   /* why */\n    content: \"/* kept */\";\n}\n\n.b { x: 'a\\'/*' }\n"
    assert slim.slim_css(source) == ".a {\ncolor: red;\ncontent: \"/* kept */\";\n}\n.b { x: 'a\\'/*' }\n"


@pytest.mark.parametrize("part", ["loader", "worker"])
def test_the_served_scripts_still_parse(part, tmp_path):
    if not NODE:
        pytest.fail("node not found: it comes with the npm install the README asks for")
    static = static_files(find_project(ROOT))
    if part == "loader":
        text = concatenate_parts(static, LOADER_PARTS)[0].decode("utf-8")
    else:
        text = static["js/worker.js"].read_text(encoding="utf-8")
    slimmed = slim.slim_js(text)
    assert len(slimmed) < 0.85 * len(text)  # the comments really went
    path = tmp_path / f"{part}.js"
    path.write_text(slimmed, encoding="utf-8")
    run = subprocess.run([NODE, "--check", str(path)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    code = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith(("//", "/*", "*"))]
    # every line of code is still there, up to a trailing comment
    assert [line for line in code if line.split("//")[0].rstrip() not in slimmed] == []
