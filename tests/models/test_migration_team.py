"""Migration 0009 (team mode) on SQLite and PostgreSQL: existing data lands in the
"Default" client, config versions are numbered, down and up again match the models."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from iqcadence_desktop.models import Base
from iqcadence_desktop.models.db import _alembic_config, make_engine, open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.scoring import BandThresholds, ScoringConfig
from iqcadence_desktop.services.system import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.conftest import TODAY


def _to(url: str, revision: str, down: bool = False) -> None:
    engine = make_engine(url, foreign_keys=False)
    cfg = _alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def test_team_migration_down_and_up_keeps_the_data(db_url: str) -> None:
    db = open_database(db_url)
    services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
    services.customers.create({"name": "Acme", "logins": 10})
    services.config.save(ScoringConfig(bands=BandThresholds(watch=55)))
    services.config.save(ScoringConfig(bands=BandThresholds(watch=56)))
    db.close()
    _to(db_url, "0003", down=True)
    engine = make_engine(db_url)
    assert "clients" not in inspect(engine).get_table_names()
    engine.dispose()
    _to(db_url, "head")
    engine = make_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, client_id, version FROM customers")).all() == [
            ("Acme", 1, 1)
        ]
        assert conn.execute(text("SELECT id, name FROM clients")).all() == [(1, "Default")]
        versions = conn.execute(
            text("SELECT version FROM config_versions WHERE kind = 'scoring' ORDER BY id")
        ).scalars()
        assert list(versions) == [1, 2]
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()
    db = open_database(db_url)
    services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
    assert services.team.add_client("Globex").id == 2  # the id sequence moved past 1
    assert services.config.current().bands.watch == 56
    db.close()
