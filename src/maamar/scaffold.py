"""``maamar new DIR``: a project that builds at once.

The files are package data (``theme/new/``): the settings, one short English
article using one built-in widget and one of the project's own, that widget in
``widgets/``, a README with the two commands, and a GitHub Pages workflow.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .project import THEME

TEMPLATE = THEME / "new"


class ScaffoldError(Exception):
    pass


def create(target: Path) -> Path:
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} is a file: give a folder that is empty or does not exist yet")
    if target.is_dir() and any(target.iterdir()):
        raise ScaffoldError(
            f"{target} is not empty: maamar new only writes into an empty or new folder, so nothing of yours is overwritten"
        )
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(TEMPLATE.rglob("*")):
        if "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        dest = target / path.relative_to(TEMPLATE)
        if path.is_dir():
            dest.mkdir(exist_ok=True)
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target.resolve()
