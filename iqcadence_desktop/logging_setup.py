"""Logging to a rotating file in the user's log folder (and stderr when there is one).

The log file is created readable by its owner only: tracebacks can quote customer data.
A log folder that cannot be written (read-only, full, missing) never stops the app: the
reason is said once on stderr in one sentence, and logging goes to stderr alone.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from io import TextIOWrapper
from pathlib import Path

from iqcadence_desktop.paths import log_dir
from iqcadence_desktop.services.system import (
    FileWriteError,
    create_private,
    explain_write_error,
)

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (also after a rollover) is created 0600."""

    def _open(self) -> TextIOWrapper:
        create_private(Path(self.baseFilename))
        return super()._open()


def _describe(exc: OSError, folder: Path | None) -> str:
    where = (folder or Path(".")) / "iqcadence.log"
    return str(explain_write_error(exc, where))


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Configure the root logger once; returns the log file path."""
    root = logging.getLogger()
    root.setLevel(level)
    path = Path(folder or ".") / "iqcadence.log"
    problem = ""
    try:
        path = (folder or log_dir()) / "iqcadence.log"
        handler = PrivateRotatingFileHandler(
            path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    except (OSError, FileWriteError) as exc:
        problem = str(exc) if isinstance(exc, FileWriteError) else _describe(exc, folder)
    # Windowed frozen builds have no stderr at all.
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
        if problem:
            print(f"iqcadence: no log file ({problem}) Messages go here only.", file=sys.stderr)
    return path


__all__ = ["PrivateRotatingFileHandler", "setup_logging"]
