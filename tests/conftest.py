"""Test harness: offscreen Qt, a fresh database per test, a frozen clock, no real home.

The `db` and `services` fixtures give SQLite by default. With `--pg-url URL` (or the
IQCADENCE_TEST_PG environment variable) naming a PostgreSQL server, they give a fresh
PostgreSQL database per test instead (copied from a migrated template), and only the
tests that use them run: those are marked `db` automatically (`make test-postgres`).
A test that needs the SQLite file itself is marked `sqlite_only`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from iqcadence_desktop.models.db import Database, open_database  # noqa: E402
from iqcadence_desktop.services.container import Services, build_services  # noqa: E402
from iqcadence_desktop.services.system.clock import FixedClock  # noqa: E402
from iqcadence_desktop.services.system.secrets import InMemorySecretStore  # noqa: E402

TODAY = dt.date(2026, 11, 26)
PG_ENV = "IQCADENCE_TEST_PG"
# Per test session: two sessions on one server (a developer's and make's) must not share.
TEMPLATE = f"iq_test_template_{os.getpid()}"
_SERIAL = itertools.count()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--pg-url",
        default=os.environ.get(PG_ENV),
        help="run the database tests on this PostgreSQL server (a SQLAlchemy URL)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that uses the database fixtures; on PostgreSQL run only those."""
    on_pg = bool(config.getoption("--pg-url"))
    keep, drop = [], []
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & {"db", "services", "db_url", "pg_server"}:
            item.add_marker(pytest.mark.db)
        wanted = item.get_closest_marker("db") and not item.get_closest_marker("sqlite_only")
        (keep if wanted or not on_pg else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def backend_url(config: pytest.Config) -> str | None:
    """The PostgreSQL server the database tests run on, or None for SQLite."""
    url = config.getoption("--pg-url")
    return str(url) if url else None


def _admin_engine(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server(pytestconfig: pytest.Config) -> Iterator[str | None]:
    """The server URL with a migrated template database on it (PostgreSQL runs only)."""
    url = backend_url(pytestconfig)
    if url is None:
        yield None
        return
    admin = _admin_engine(url)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {TEMPLATE}")
    open_database(_with_database(url, TEMPLATE)).close()
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
    admin.dispose()


def new_pg_database(server: str) -> str:
    """A fresh, migrated PostgreSQL database (a copy of the template); returns its URL."""
    name = f"iq_test_{os.getpid()}_{next(_SERIAL)}"
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
    admin.dispose()
    return _with_database(server, name)


def drop_pg_database(server: str, url: str) -> None:
    admin = _admin_engine(server)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {make_url(url).database} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at its production cost takes ~0.3 s a hash; tests make many."""
    from iqcadence_desktop.services.team import passwords

    monkeypatch.setattr(passwords, "_HASHER", PasswordHasher(time_cost=1, memory_cost=64))


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
def db_url(db_path: Path, pg_server: str | None) -> Iterator[str]:
    """Where the test's database lives: a new SQLite file, or a new PostgreSQL database."""
    if pg_server is None:
        yield f"sqlite:///{db_path}"
        return
    url = new_pg_database(pg_server)
    yield url
    drop_pg_database(pg_server, url)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def services(db: Database, clock: FixedClock) -> Services:
    return build_services(db, clock, secrets=InMemorySecretStore())
