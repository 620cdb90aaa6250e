"""``maamar new``: a project that builds at once, and never over someone's files."""

import subprocess
import sys

from maamar.pipeline import Options, build


def maamar(*args, cwd):
    return subprocess.run([sys.executable, "-m", "maamar", *args], cwd=cwd, capture_output=True, text=True)


def test_new_makes_a_project_with_an_article_a_widget_a_readme_and_a_pages_workflow(tmp_path):
    result = maamar("new", "blog", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    blog = tmp_path / "blog"
    for name in (
        "maamar.yml",
        "content/first-article.md",
        "widgets/coin_average.py",
        "README.md",
        ".github/workflows/pages.yml",
        ".gitignore",
    ):
        assert (blog / name).is_file(), name
    readme = (blog / "README.md").read_text(encoding="utf-8")
    assert "maamar serve" in readme and "maamar build" in readme
    article = (blog / "content" / "first-article.md").read_text(encoding="utf-8")
    assert "lang: en" in article and "dir: ltr" in article
    assert "::: widget trial-error" in article and "::: widget coin-average" in article


def test_the_new_project_builds_without_warnings(tmp_path):
    assert maamar("new", "blog", cwd=tmp_path).returncode == 0
    result = build(Options(project=tmp_path / "blog", file_bundle=False))
    assert result.warnings == []
    assert [len(p.widgets) for p in result.pages] == [2]
    html = (tmp_path / "blog" / "site" / "first-article.html").read_text(encoding="utf-8")
    assert '<html lang="en" dir="ltr">' in html and "Many flips, one steady average" in html


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / "notes.txt").write_text("mine", encoding="utf-8")
    result = maamar("new", "blog", cwd=tmp_path)
    assert result.returncode == 1
    assert "is not empty" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "blog").iterdir()) == ["notes.txt"]


def test_build_outside_any_project_says_how_to_start_one(tmp_path):
    result = maamar("build", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "no maamar.yml" in result.stderr and "maamar new DIR" in result.stderr


def test_build_finds_the_project_from_a_folder_inside_it(tmp_path):
    assert maamar("new", "blog", cwd=tmp_path).returncode == 0
    result = maamar("build", "--no-file-bundle", cwd=tmp_path / "blog" / "content")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "blog" / "site" / "first-article.html").is_file()


def test_every_command_has_help():
    for command in ([], ["new"], ["build"], ["serve"]):
        result = subprocess.run([sys.executable, "-m", "maamar", *command, "--help"], capture_output=True, text=True)
        assert result.returncode == 0 and "usage: maamar" in result.stdout
