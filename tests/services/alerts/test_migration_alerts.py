"""Migration 0003 (alert actions) goes down and up again cleanly, and matches the models."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import _alembic_config, make_engine, open_database


def test_alert_tables_downgrade_and_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    open_database(path).close()
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    assert "alert_states" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert [d for d in diff if "alert" in str(d)] == []
