"""Alembic environment: runs on the connection the app hands over (see models/db.py)."""

from __future__ import annotations

from alembic import context

from iqcadence_desktop.models import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("Migrations run through iqcadence_desktop.models.db.open_database")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables.
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
