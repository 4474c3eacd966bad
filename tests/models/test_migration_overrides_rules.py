"""Migration 0005 (override reason and expiry, profile rules): keeps data, goes down and
up again, and matches the models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import _alembic_config, make_engine, open_database


def _run(path: Path, verb: str, revision: str) -> None:
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        getattr(command, verb)(cfg, revision)
    engine.dispose()


def test_an_older_database_upgrades_with_its_customers(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    open_database(path).close()
    _run(path, "downgrade", "0003")
    with sqlite3.connect(path) as con:
        con.execute(
            "INSERT INTO customers (name, name_key, lifecycle, status, coverage, score_override,"
            " created_at, updated_at) VALUES ('Acme', 'acme', 'active', 'unscored', 0, 70,"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
        )
    _run(path, "upgrade", "head")
    with sqlite3.connect(path) as con:
        row = con.execute(
            "SELECT name, score_override, score_override_reason, score_override_until,"
            " scoring_profile_manual FROM customers"
        ).fetchone()
    assert row == ("Acme", 70.0, None, None, 0)
    engine = make_engine(f"sqlite:///{path}")
    try:
        assert "profile_rules" in inspect(engine).get_table_names()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert [d for d in diff if "profile" in str(d) or "override" in str(d)] == []
