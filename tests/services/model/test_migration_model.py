"""Migration 0010 (custom fields, churn model versions) goes down and up cleanly."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import _alembic_config, make_engine, open_database

TABLES = ("custom_fields", "custom_field_values", "churn_models")


def test_model_tables_downgrade_and_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    open_database(path).close()
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    assert not set(TABLES) & set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    assert set(TABLES) <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert [d for d in diff if any(t in str(d) for t in TABLES)] == []
