import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The seed text of the Hebrew article, kept outside the repository (only in CI and on
# the developers' machines); the word-for-word tests skip when it isn't there.
SEED = ROOT.parent / "shared" / "seed" / "article-he.txt"


def require_seed() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed text {SEED} is not here (it lives beside the repository only in CI)")
    return SEED


def copy_project(tmp_path: Path) -> Path:
    """This repository's project (settings and content), copied where a test may change it."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy2(ROOT / "maamar.yml", project / "maamar.yml")
    return project
