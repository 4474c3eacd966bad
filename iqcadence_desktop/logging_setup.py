"""Logging to a rotating file in the user's log folder (and stderr when there is one)."""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path

from iqcadence_desktop.paths import log_dir

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(level: int = logging.INFO, folder: Path | None = None) -> Path:
    """Configure the root logger once; returns the log file path."""
    path = (folder or log_dir()) / "iqcadence.log"
    root = logging.getLogger()
    root.setLevel(level)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter(FORMAT))
    root.addHandler(handler)
    # Windowed frozen builds have no stderr at all.
    if sys.stderr is not None:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.WARNING)
        console.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(console)
    return path
