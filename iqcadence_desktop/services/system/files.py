"""Writing files safely: whole or not at all, private, and with one plain sentence on failure.

Every file the app writes (backups, the safety copy before a restore, exports, report PDFs
and CSVs, screenshots) goes through here. The bytes go to a temporary name in the target's
own folder (so the final rename never crosses a file system), are flushed and fsync'ed,
and only then renamed over the target; the folder is fsync'ed too so the rename survives a
power cut. Any failure removes the temporary file, so a full disk, a read-only folder or
a crash never leaves half a file behind. Files are created readable by their owner only
(0600): they hold customer data or settings.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from iqcadence_desktop.errors import UserFacingError

PRIVATE_MODE = 0o600
T = TypeVar("T")


class FileWriteError(UserFacingError):
    """A file could not be written; nothing was left behind."""


_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def explain_write_error(exc: BaseException, target: Path) -> FileWriteError:
    """One sentence for an OSError met while writing `target`: what happened, what to do."""
    folder = target.parent
    code = getattr(exc, "errno", None)
    name = target.name
    if code in _FULL:
        text = (
            f"The disk holding {folder} is full, so {name} was not written; "
            "free some space and try again."
        )
    elif code == errno.EROFS:
        text = f"{folder} is on a read-only disk, so {name} was not written; choose another folder."
    elif code in _DENIED:
        text = (
            f"You cannot write into {folder} (it is read-only for you), so {name} was not "
            "written; choose another folder."
        )
    elif code == errno.EISDIR or target.is_dir():
        text = f"{target} is a folder, not a file; choose a file name inside it."
    elif code == errno.ENOENT or not folder.is_dir():
        text = (
            f"The folder {folder} does not exist; choose another place or create the folder first."
        )
    else:
        reason = getattr(exc, "strerror", None) or str(exc)
        text = f"{name} could not be written to {folder} ({reason}); nothing was saved."
    return FileWriteError(text)


def check_target(target: Path) -> None:
    """Refuse, before any work, a target that is a folder or whose folder is missing."""
    if target.is_dir():
        raise FileWriteError(f"{target} is a folder, not a file; choose a file name inside it.")
    if not target.parent.is_dir():
        raise FileWriteError(
            f"The folder {target.parent} does not exist; choose another place or create the "
            "folder first."
        )


def _temp_beside(target: Path) -> tuple[int, Path]:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise explain_write_error(exc, target) from exc
    os.fchmod(fd, PRIVATE_MODE)  # mkstemp already uses 0600; say so rather than rely on it
    return fd, Path(name)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable; not every platform can open a folder, which is fine."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _commit(tmp: Path, target: Path) -> None:
    os.replace(tmp, target)
    _fsync_folder(target.parent)


@contextlib.contextmanager
def atomic_write(
    path: Path | str,
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` for writing; it replaces `path` on success.

    `mode` is "wb" or "w" (text, with `encoding` and `newline`). On any error the
    temporary file is removed and an OSError becomes a `FileWriteError`.
    """
    target = Path(path)
    check_target(target)
    fd, tmp = _temp_beside(target)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _commit(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise explain_write_error(exc, target) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_via(path: Path | str, produce: Callable[[Path], T]) -> T:
    """For libraries that insist on a file name (reportlab, SQLite's backup API).

    `produce(tmp)` writes the whole file at `tmp`, a private path beside `path`; it is
    then fsync'ed and renamed into place. Side files the producer leaves (an SQLite
    `-journal`) are removed whatever happens.
    """
    target = Path(path)
    check_target(target)
    fd, tmp = _temp_beside(target)
    os.close(fd)
    try:
        result = produce(tmp)
        _fsync_file(tmp)
        os.chmod(tmp, PRIVATE_MODE)
        _commit(tmp, target)
        return result
    except OSError as exc:
        raise explain_write_error(exc, target) from exc
    finally:
        tmp.unlink(missing_ok=True)
        for side in ("-journal", "-wal", "-shm"):
            Path(f"{tmp}{side}").unlink(missing_ok=True)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def write_text(path: Path | str, text: str, encoding: str = "utf-8") -> None:
    with atomic_write(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def create_private(path: Path) -> None:
    """Create `path` empty with owner-only permissions if it does not exist yet.

    For files other code then opens itself (the database, the log), so they are born
    private instead of with the process umask's wider default.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_MODE))
