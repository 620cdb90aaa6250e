"""A project's own widgets: discovered from widgets/*.py, checked like the built-in kinds,
and every broken file is one ``widgets/FILE.py:LINE: message`` with exit code 2."""

import subprocess
import sys

import pytest

from maamar import authors
from maamar.errors import BuildError
from maamar.pipeline import Options, build
from maamar.project import THEME, Project
from maamar_live.registry import BUILT_IN

EXAMPLE = (THEME / "new" / "widgets" / "coin_average.py").read_text(encoding="utf-8")
ARTICLE = "---\ntitle: T\nlang: en\ndir: ltr\ndescription: D\ndate: 2026-12-02\n---\n\n## A\n\nText.\n\n{widgets}\n"


def project_with(tmp_path, widgets: dict[str, str], uses=("coin-average",)) -> Project:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    (root / "widgets").mkdir()
    (root / "maamar.yml").write_text("title: T\nlang: en\ndir: ltr\n", encoding="utf-8")
    blocks = "\n\n".join(f"::: widget {kind}\n:::" for kind in uses)
    (root / "content" / "a.md").write_text(ARTICLE.format(widgets=blocks), encoding="utf-8")
    for name, source in widgets.items():
        (root / "widgets" / name).write_text(source, encoding="utf-8")
    return Project(root)


def errors_of(project: Project) -> list[str]:
    return [str(e) for e in authors.load(project).errors]


def test_the_example_widget_is_discovered_and_keeps_the_contract(tmp_path):
    found = authors.load(project_with(tmp_path, {"coin_average.py": EXAMPLE}))
    assert found.errors == []
    assert found.modules == {"coin-average": "maamar_project.coin_average"}
    registry = found.registry()
    assert set(BUILT_IN) < set(registry) and registry["coin-average"].KIND == "coin-average"


def test_a_copy_under_another_kind_is_a_second_widget(tmp_path):
    copy = EXAMPLE.replace('"coin-average', '"dice-average')
    found = authors.load(project_with(tmp_path, {"coin_average.py": EXAMPLE, "dice_average.py": copy}))
    assert found.errors == []
    assert set(found.modules) == {"coin-average", "dice-average"}


def test_a_syntax_error_names_file_and_line(tmp_path):
    broken = EXAMPLE.replace("def running_share(flips: np.ndarray) -> np.ndarray:", "def running_share(flips:")
    line = broken.splitlines().index("def running_share(flips:") + 1
    errors = errors_of(project_with(tmp_path, {"coin_average.py": broken}))
    assert len(errors) == 1 and errors[0].startswith(f"widgets/coin_average.py:{line}: syntax error")


def test_todays_relative_imports_say_exactly_what_to_write_instead(tmp_path):
    old = EXAMPLE.replace("import numpy as np\n", "import numpy as np\nfrom .i18n import t\n")
    line = old.splitlines().index("from .i18n import t") + 1
    errors = errors_of(project_with(tmp_path, {"coin_average.py": old}))
    assert errors == [
        f"widgets/coin_average.py:{line}: 'from .i18n import t' is the built-in widgets' old import; "
        "an author widget writes 'from maamar_live.kit import …' instead (see docs/widget-contract.md)"
    ]


def test_the_old_package_name_is_named(tmp_path):
    old = EXAMPLE.replace("from maamar_live.kit import", "from maamar_demos.spec import Param\nfrom maamar_live.kit import")
    line = old.splitlines().index("from maamar_demos.spec import Param") + 1
    errors = errors_of(project_with(tmp_path, {"coin_average.py": old}))
    assert len(errors) == 1 and errors[0].startswith(f"widgets/coin_average.py:{line}: 'from maamar_demos.spec import Param'")
    assert "maamar_live.kit" in errors[0]


def test_a_failing_import_names_its_line(tmp_path):
    broken = EXAMPLE.replace("import numpy as np\n", "import numpy as np\nimport scipy_not_installed\n")
    line = broken.splitlines().index("import scipy_not_installed") + 1
    errors = errors_of(project_with(tmp_path, {"coin_average.py": broken}))
    assert len(errors) == 1 and errors[0].startswith(f"widgets/coin_average.py:{line}: import failed")


def test_an_exception_in_init_names_the_line_that_raised(tmp_path):
    broken = EXAMPLE.replace(
        "    share = running_share(flips)\n", "    share = running_share(flips)\n    raise ValueError('boom')\n"
    )
    line = broken.splitlines().index("    raise ValueError('boom')") + 1
    errors = errors_of(project_with(tmp_path, {"coin_average.py": broken}))
    assert errors == [f"widgets/coin_average.py:{line}: init with the default params raised ValueError: boom"]


def test_a_missing_kind_and_a_built_in_kind_are_refused(tmp_path):
    no_kind = EXAMPLE.replace('KIND = "coin-average"\n', "")
    clash = EXAMPLE.replace('KIND = "coin-average"', 'KIND = "gym"')
    line = clash.splitlines().index('KIND = "gym"') + 1
    errors = errors_of(project_with(tmp_path, {"a_no_kind.py": no_kind, "b_clash.py": clash}))
    assert errors[0].startswith('widgets/a_no_kind.py:1: no KIND: add a line like KIND = "my-widget"')
    assert errors[1] == f"widgets/b_clash.py:{line}: KIND 'gym' is a built-in widget's name: choose another, e.g. 'gym-2'"


def test_a_label_that_is_not_a_string_key_says_how_to_fix_it(tmp_path):
    broken = EXAMPLE.replace(
        'button("reflip", "coin-average.reflip", primary=True)', 'button("reflip", "Flip again", primary=True)'
    )
    errors = errors_of(project_with(tmp_path, {"coin_average.py": broken}))
    assert len(errors) == 1 and "control 'reflip': no string 'Flip again'" in errors[0] and "string keys" in errors[0]


def test_a_broken_widget_stops_the_build_with_exit_2_and_no_traceback(tmp_path):
    broken = EXAMPLE.replace("def run(params", "def run(params,,")
    project = project_with(tmp_path, {"coin_average.py": broken})
    result = subprocess.run(
        [sys.executable, "-m", "maamar", "build", "--no-file-bundle"], cwd=project.root, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("widgets/coin_average.py:")
    assert not (project.root / "site").exists()


def test_the_author_widget_is_pre_rendered_and_shipped_in_the_site_wheel(tmp_path):
    import json
    import zipfile

    project = project_with(tmp_path, {"coin_average.py": EXAMPLE})
    result = build(Options(project=project.root, file_bundle=False))
    assert result.warnings == []
    html = (project.root / "site" / "a.html").read_text(encoding="utf-8")
    assert 'data-widget="coin-average"' in html and "Many flips, one steady average" in html
    lock = json.loads((project.root / "site" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    wheel = project.root / "site" / "pyodide" / lock["packages"]["maamar-live"]["file_name"]
    names = zipfile.ZipFile(wheel).namelist()
    assert "maamar_project/coin_average.py" in names
    init = zipfile.ZipFile(wheel).read("maamar_project/__init__.py").decode()
    assert '"coin-average": "maamar_project.coin_average"' in init


def test_a_directive_for_a_kind_nobody_defines_still_suggests_close_ones(tmp_path):
    project = project_with(tmp_path, {"coin_average.py": EXAMPLE}, uses=("coin-averag",))
    with pytest.raises(BuildError) as caught:
        build(Options(project=project.root, file_bundle=False))
    assert "unknown widget 'coin-averag' (did you mean 'coin-average'?)" in str(caught.value)
