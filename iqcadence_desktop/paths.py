"""Where the app keeps its files, and how bundled resources are found.

Everything goes through here so a frozen build, an installed package and a source
checkout behave alike.
"""

from __future__ import annotations

import os
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import platformdirs

from iqcadence_desktop import APP_NAME

DB_ENV = "IQCADENCE_DB"
DATA_DIR_ENV = "IQCADENCE_DATA_DIR"


def data_dir() -> Path:
    """The per-user data folder (not roaming, so sync tools do not touch SQLite)."""
    override = os.environ.get(DATA_DIR_ENV)
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    base.mkdir(parents=True, exist_ok=True)
    return base


def log_dir() -> Path:
    path = data_dir() / "logs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_db_path() -> Path:
    return data_dir() / "iqcadence.sqlite3"


def resource(*parts: str) -> Traversable:
    """A file or folder under `iqcadence_desktop/resources`."""
    node = resources.files("iqcadence_desktop").joinpath("resources")
    for part in parts:
        node = node.joinpath(part)
    return node


def resource_path(*parts: str) -> Path:
    """A real filesystem path to a resource (the package is never zipped)."""
    return Path(str(resource(*parts)))
