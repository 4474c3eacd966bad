"""Opening databases: migrations, copy-aside, refusals and plain-words errors."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from iqcadence_desktop.errors import DatabaseError
from iqcadence_desktop.models import db as dbmod
from iqcadence_desktop.models.db import open_database, resolve_url, sqlite_path
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock

BROKEN_MIGRATION = """
from alembic import op
import sqlalchemy as sa

revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("half_done", sa.Column("id", sa.Integer, primary_key=True))
    raise RuntimeError("simulated failure in a migration")


def downgrade() -> None:
    pass
"""


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


@pytest.fixture
def filled(db_path: Path, clock: FixedClock) -> Iterator[Path]:
    database = open_database(db_path)
    build_services(database, clock).customers.create({"name": "Acme", "logins": 10})
    database.close()
    yield db_path


def test_new_database_is_migrated_to_head(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        names = set(inspect(database.engine).get_table_names())
        assert {
            "customers",
            "score_snapshots",
            "portfolio_daily",
            "config_versions",
            "scoring_profiles",
            "audit_entries",
            "customer_tags",
            "contacts",
            "notes",
            "sentiment_entries",
        } <= names
        with database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == dbmod.BUSY_TIMEOUT_MS
    finally:
        database.close()
    assert _revision(db_path) == dbmod.head_revision()


def test_database_from_a_newer_version_is_refused(filled: Path) -> None:
    with sqlite3.connect(filled) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseError, match="newer version of iQcadence"):
        open_database(filled)


def test_failed_upgrade_puts_the_copy_back(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0999_broken.py").write_text(
        BROKEN_MIGRATION.format(head=dbmod.head_revision())
    )
    monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", scripts)
    with pytest.raises(DatabaseError, match="put back as it was") as info:
        open_database(filled)
    assert "simulated failure" in str(info.value)
    copies = list(filled.parent.glob("test.before-upgrade-*.sqlite3"))
    assert len(copies) == 1 and str(copies[0]) in str(info.value)
    assert "half_done" not in _tables(filled)
    monkeypatch.undo()
    database = open_database(filled)  # still a good database with its data
    try:
        assert [c.name for c in build_services(database).customers.list_customers()] == ["Acme"]
    finally:
        database.close()


def test_not_an_sqlite_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_text("just some notes, not a database\n" * 20)
    with pytest.raises(DatabaseError, match="not an SQLite file"):
        open_database(path)
    assert path.read_text().startswith("just some notes")


def test_corrupt_sqlite_file(filled: Path) -> None:
    data = bytearray(filled.read_bytes())
    data[16:4096] = b"\xff" * (4096 - 16)  # header magic intact, page 1 destroyed
    filled.write_bytes(bytes(data))
    for wal in filled.parent.glob("test.sqlite3-*"):
        wal.unlink()
    with pytest.raises(DatabaseError, match="damaged or is not an iQcadence database"):
        open_database(filled)


def test_foreign_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(DatabaseError, match="tables that are not iQcadence's"):
        open_database(path)


def test_missing_folder_and_folder_path(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="does not exist"):
        open_database(tmp_path / "nowhere" / "x.sqlite3")
    with pytest.raises(DatabaseError, match="is a folder"):
        open_database(tmp_path)


def test_read_only_database_says_so(filled: Path, clock: FixedClock) -> None:
    database = open_database(f"sqlite:///file:{filled}?mode=ro&uri=true")
    try:
        services = build_services(database, clock)
        assert [c.name for c in services.customers.list_customers()] == ["Acme"]
        with pytest.raises(DatabaseError, match="is read-only"):
            services.customers.create({"name": "Globex"})
    finally:
        database.engine.dispose()


def test_locked_database_says_so(
    filled: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dbmod, "BUSY_TIMEOUT_MS", 50)
    database = open_database(filled)
    other = sqlite3.connect(filled, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        services = build_services(database, clock)
        with pytest.raises(DatabaseError, match="is busy: another program is writing"):
            services.customers.create({"name": "Globex"})
    finally:
        other.execute("ROLLBACK")
        other.close()
        database.close()


def test_bugs_are_not_disguised_as_environment_errors(db_path: Path) -> None:
    database = open_database(db_path)
    try:
        with pytest.raises(Exception) as info, database.session() as s:
            s.execute(text("SELEC nonsense"))
        assert not isinstance(info.value, DatabaseError)
    finally:
        database.close()


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
        ("postgresql://u:p@host/db", "postgresql://u:p@host/db"),
    ],
)
def test_urls_pass_through(target: str, expected: str) -> None:
    assert resolve_url(target) == expected


def test_paths_become_absolute_sqlite_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    url = resolve_url("data.sqlite3")
    assert url == f"sqlite:///{tmp_path / 'data.sqlite3'}"
    assert sqlite_path(url) == tmp_path / "data.sqlite3"
    assert sqlite_path("postgresql://u@h/db") is None
    assert sqlite_path("sqlite://") is None


def test_quick_head_agrees_with_alembic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert dbmod.quick_head() == dbmod.head_revision()
    scripts = tmp_path / "migrations"
    shutil.copytree(dbmod.MIGRATIONS_DIR, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("0998_a.py", "0999_b.py"):  # two heads: not clear-cut, so ask Alembic
        (scripts / "versions" / name).write_text(
            BROKEN_MIGRATION.format(head=dbmod.head_revision()).replace("0999", name[:4])
        )
    monkeypatch.setattr(dbmod, "MIGRATIONS_DIR", scripts)
    assert dbmod.quick_head() is None
