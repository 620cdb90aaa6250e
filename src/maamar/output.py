"""Stage 6, write: the whole site into a fresh folder beside the output, then one swap.

* The swap is an atomic exchange where the OS has one (Linux
  ``renameat2(RENAME_EXCHANGE)``, macOS ``renamex_np(RENAME_SWAP)``), so there is
  no moment without an output folder; elsewhere it falls back to two renames.
* Files are copied, never hard-linked: a built site must not share bytes with
  ``node_modules`` or the cache (editing one would change the other).
* The folder gets the mode a plain ``mkdir`` would (``mkdtemp`` makes it 0700,
  and a web server running as another user would answer 403).
* Staging and old folders that a killed build left behind (ours only: our name
  pattern) are removed at the start of each write.  Writers beside one output
  take turns under an ``flock`` on the output's parent folder, which the kernel
  releases when a writer dies (even by ``kill -9``): so whoever holds it knows
  every staging folder there is a dead build's and removes it at once.  Where
  there is no ``flock`` (Windows) only folders untouched for a while go.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

STALE_AFTER_S = 120  # a live build touches its staging folder far more often than this


def leftovers(out: Path) -> list[Path]:
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(new|old)-[A-Za-z0-9_]+$")
    if not out.parent.is_dir():
        return []
    return [p for p in out.parent.iterdir() if pattern.match(p.name) and p.is_dir()]


@contextmanager
def writer_turn(folder: Path):
    """Wait for our turn to write in ``folder``; yields whether we hold a lock there."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the age rule in remove_leftovers applies
        yield False
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            locked = True
        except OSError:  # a file system without locks (some network mounts)
            locked = False
        yield locked
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(out: Path, now: float | None = None, sole_writer: bool = False) -> list[Path]:
    """Remove dead builds' folders: all of them when we are the only writer, else the stale ones."""
    now = time.time() if now is None else now
    removed = []
    for path in leftovers(out):
        try:
            if sole_writer or now - path.stat().st_mtime > STALE_AFTER_S:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
        except FileNotFoundError:
            pass
    return removed


def default_dir_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


@functools.cache
def load_libc():
    return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False where the OS offers no such call."""
    try:
        libc = load_libc()
        if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
            at_fdcwd, rename_exchange = -100, 2
            return libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0
        if sys.platform == "darwin" and hasattr(libc, "renamex_np"):
            rename_swap = 2
            return libc.renamex_np(os.fsencode(a), os.fsencode(b), rename_swap) == 0
    except OSError:
        pass
    return False


def swap_in(staging: Path, out: Path, exchange=exchange) -> None:
    """Make ``staging`` the output folder; the old one (if any) is removed after."""
    if out.exists() and exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)


def write_atomically(out: Path, documents: dict[str, str], files: dict[str, Path | bytes], exchange=exchange) -> None:
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    with writer_turn(out.parent) as sole_writer:
        remove_leftovers(out, sole_writer=sole_writer)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        try:
            os.chmod(staging, default_dir_mode())
            for rel, data in list(files.items()) + [(k, v.encode("utf-8")) for k, v in documents.items()]:
                target = staging / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                if isinstance(data, bytes):
                    target.write_bytes(data)
                else:
                    shutil.copyfile(data, target)
            (staging / ".nojekyll").write_text("")
            swap_in(staging, out, exchange)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
