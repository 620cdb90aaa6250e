"""Stage 6, the write: a site folder that is always there, complete, and readable by a web server."""

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from maamar import output

from .conftest import ROOT

KILLS = 5
# One widget, not the whole article: the write under test is the same, and each of the
# seven builds below pre-renders one widget instead of every one (3.2 s a build, not 4.9 s).
ARTICLE = """---
title: ניסוי
lang: he
dir: rtl
description: מאמר קטן לבנייה שנקטעת.
date: 2026-11-29
---

## ניסוי

::: widget trial-error
:::
"""


def copy_project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    (project / "content" / "article.md").write_text(ARTICLE, encoding="utf-8")
    shutil.copy2(ROOT / "maamar.yml", project / "maamar.yml")
    return project


def build_command(project: Path) -> list[str]:
    return [sys.executable, "-m", "maamar", "build", "--project", str(project), "--no-file-bundle"]


def orphans(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith(".site."))


def test_builds_killed_at_random_moments_never_leave_the_site_missing_nor_orphans(tmp_path):
    project = copy_project(tmp_path)
    site = project / "site"
    subprocess.run(build_command(project), check=True, capture_output=True, timeout=120)
    assert (site / "article.html").is_file()
    rng = random.Random(14)
    killed_while_writing = 0
    for attempt in range(KILLS):
        build = subprocess.Popen(build_command(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Half the kills land while the staging folder is being filled (the moment
        # that used to leave it behind), the others anywhere in the build.
        wait_for_staging = attempt % 2 == 0
        deadline = time.monotonic() + (60 if wait_for_staging else rng.uniform(0.2, 3.0))
        while time.monotonic() < deadline and build.poll() is None:
            assert site.is_dir(), f"kill {attempt}: the site folder went missing during a build"
            if wait_for_staging and any(n.startswith(".site.new-") for n in orphans(project)):
                time.sleep(rng.uniform(0, 0.05))
                killed_while_writing += 1
                break
            time.sleep(0.005)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
        assert site.is_dir(), f"kill {attempt}: no site folder after kill -9"
        assert (site / "article.html").is_file(), f"kill {attempt}: the site lost its article"
    assert killed_while_writing, "no kill landed while the site was being written"
    subprocess.run(build_command(project), check=True, capture_output=True, timeout=120)
    assert orphans(project) == []
    assert (site / "article.html").is_file() and (site / ".nojekyll").is_file()


def test_a_dead_builds_staging_folder_is_removed_by_the_next_write_however_young(tmp_path):
    out = tmp_path / "site"
    fresh = tmp_path / ".site.new-abc123"
    (fresh / "assets").mkdir(parents=True)
    other = tmp_path / ".website.new-abc123"  # not ours: another output's name
    other.mkdir()
    output.write_atomically(out, {"index.html": "<p>hi</p>"}, {})
    assert not fresh.exists()
    assert other.is_dir()
    assert (out / "index.html").read_text() == "<p>hi</p>"


def test_without_a_lock_only_stale_leftovers_are_removed(tmp_path):
    out = tmp_path / "site"
    young, old = tmp_path / ".site.new-young", tmp_path / ".site.old-0ld"
    young.mkdir(), old.mkdir()
    now = time.time()
    os.utime(old, (now - output.STALE_AFTER_S - 1,) * 2)
    assert output.remove_leftovers(out, now=now) == [old]
    assert young.is_dir() and not old.exists()


def site_with(folder: Path, text: str) -> Path:
    folder.mkdir()
    (folder / "index.html").write_text(text)
    return folder


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_exchange_swaps_two_folders_in_one_call_on_linux(tmp_path):
    a, b = site_with(tmp_path / "a", "new"), site_with(tmp_path / "b", "old")
    assert output.exchange(a, b) is True
    assert (a / "index.html").read_text() == "old" and (b / "index.html").read_text() == "new"


def test_exchange_reports_failure_instead_of_raising(tmp_path):
    assert output.exchange(tmp_path / "missing", site_with(tmp_path / "b", "old")) is False


@pytest.mark.parametrize("exchange", [output.exchange, lambda a, b: False], ids=["atomic-exchange", "two-renames"])
def test_swap_in_replaces_the_site_and_removes_the_old_one(tmp_path, exchange):
    out = site_with(tmp_path / "site", "old")
    staging = site_with(tmp_path / ".site.new-x", "new")
    output.swap_in(staging, out, exchange)
    assert (out / "index.html").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_swap_in_uses_the_exchange_when_there_is_a_site_to_replace(tmp_path):
    calls = []

    def recording(a, b):
        calls.append((a, b))
        return output.exchange(a, b)

    staging = site_with(tmp_path / ".site.new-1", "first")
    output.swap_in(staging, tmp_path / "site", recording)
    assert calls == []  # nothing to exchange with: a plain rename
    staging = site_with(tmp_path / ".site.new-2", "second")
    output.swap_in(staging, tmp_path / "site", recording)
    assert calls == [(staging, tmp_path / "site")]
    assert (tmp_path / "site" / "index.html").read_text() == "second"


@pytest.mark.parametrize("umask, mode", [(0o022, 0o755), (0o027, 0o750), (0o002, 0o775)])
def test_the_site_folder_gets_the_mode_mkdir_gives_under_the_umask(tmp_path, umask, mode):
    previous = os.umask(umask)
    try:
        output.write_atomically(tmp_path / "site", {"index.html": "x", "a/b.html": "y"}, {"assets/x.bin": b"z"})
    finally:
        os.umask(previous)
    for folder in (tmp_path / "site", tmp_path / "site" / "a", tmp_path / "site" / "assets"):
        assert stat.S_IMODE(folder.stat().st_mode) == mode, folder
    assert stat.S_IMODE((tmp_path / "site" / "index.html").stat().st_mode) == mode & 0o666
