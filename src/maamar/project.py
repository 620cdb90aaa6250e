"""A maamar project: the folder holding ``maamar.yml``, and every path inside it.

Found as MkDocs finds ``mkdocs.yml``: in the working folder or the nearest
folder above it.  Every path of a build resolves against the project folder,
never against where maamar is installed.

    maamar.yml      site settings: title, description, lang, dir, base_url
    content/*.md    the articles
    widgets/*.py    the project's own widget kinds (optional)
    templates/      overrides of the built-in templates, file by file (optional)
    static/         overrides of, and additions to, the built-in assets (optional)
    site/           the output
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "maamar.yml"
THEME = Path(__file__).resolve().parent / "theme"


class ProjectNotFound(Exception):
    pass


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def settings(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def widgets(self) -> Path:
        return self.root / "widgets"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def static(self) -> Path:
        return self.root / "static"

    @property
    def out(self) -> Path:
        return self.root / "site"

    @property
    def node_modules(self) -> Path:
        return self.root / "node_modules"

    def shown(self, path: Path) -> str:
        """``path`` as messages show it: relative to the project when inside it."""
        try:
            return Path(path).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)


def find_project(start: Path | None = None) -> Project:
    """The project whose ``maamar.yml`` is in ``start`` or the nearest folder above it."""
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS_FILE).is_file():
            return Project(folder)
    raise ProjectNotFound(
        f"no {SETTINGS_FILE} in {here} or any folder above it: run maamar inside a project, or make one with 'maamar new DIR'"
    )
