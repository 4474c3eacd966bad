"""Migration 0004 (external id): down and up again cleanly, data kept, matches the models."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import _alembic_config, make_engine, open_database


def test_external_id_downgrade_and_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "m.sqlite3"
    open_database(path).close()
    engine = make_engine(f"sqlite:///{path}", foreign_keys=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO customers (name, name_key, lifecycle, status, coverage, created_at,"
                " updated_at, external_id) VALUES ('A', 'a', 'active', 'unscored', 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 'crm-1')"
            )
        )
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0003")
    columns = {c["name"] for c in inspect(engine).get_columns("customers")}
    assert "external_id" not in columns
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, external_id FROM customers")).all() == [("A", None)]
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "external" in str(d)] == []
    with pytest.raises(IntegrityError), engine.begin() as conn:  # unique when present
        for name in ("b", "c"):
            conn.execute(
                text(
                    "INSERT INTO customers (name, name_key, lifecycle, status, coverage, "
                    f"created_at, updated_at, external_id) VALUES ('{name}', '{name}', 'active',"
                    " 'unscored', 0, '2026-01-01', '2026-01-01', 'same')"
                )
            )
    engine.dispose()
