"""Test harness: offscreen Qt, a fresh SQLite file per test, a frozen clock, no real home."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from iqcadence_desktop.models.db import Database, open_database  # noqa: E402
from iqcadence_desktop.services.container import Services, build_services  # noqa: E402
from iqcadence_desktop.services.system.clock import FixedClock  # noqa: E402
from iqcadence_desktop.services.system.secrets import InMemorySecretStore  # noqa: E402

TODAY = dt.date(2026, 11, 26)


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test may touch the user's real data folder, settings or keyring."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("IQCADENCE_DATA_DIR", str(home / "iqcadence"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("IQCADENCE_DB", raising=False)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_database(db_path)
    yield database
    database.close()


@pytest.fixture
def services(db: Database, clock: FixedClock) -> Services:
    return build_services(db, clock, secrets=InMemorySecretStore())
