"""Small real file systems for write-failure tests: a full disk and a read-only folder.

As root the tests mount a tiny tmpfs (full: 64 KiB filled to the brim; read-only: a
tmpfs mounted `ro`), so the kernel itself refuses the writes, SQLite's included. Without
root a read-only folder is a chmod 0500 folder (which root would ignore) and a full disk
cannot be made, so those tests skip.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def _mount(target: Path, options: str) -> bool:
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def _fill(folder: Path) -> None:
    """Write until the disk says it is full (then nothing more fits)."""
    with contextlib.suppress(OSError), (folder / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()


@contextlib.contextmanager
def full_disk(base: Path) -> Iterator[Path]:
    folder = base / "full"
    folder.mkdir()
    if not _mount(folder, "size=64k,mode=0777"):
        pytest.skip("a full disk needs a tmpfs mount (root)")
    try:
        _fill(folder)
        yield folder
    finally:
        _umount(folder)


@contextlib.contextmanager
def read_only_folder(base: Path) -> Iterator[Path]:
    folder = base / "readonly"
    folder.mkdir()
    if _mount(folder, "ro,size=64k"):
        try:
            yield folder
        finally:
            _umount(folder)
        return
    if os.geteuid() == 0:
        pytest.skip("root ignores folder permissions and the tmpfs mount failed")
    folder.chmod(0o500)
    try:
        yield folder
    finally:
        folder.chmod(0o700)


def leftovers(folder: Path, expected: frozenset[str] = frozenset({"filler"})) -> list[str]:
    """Names in `folder` beyond the expected ones (a partial file, a temp, a journal)."""
    return sorted(p.name for p in folder.iterdir() if p.name not in expected)
