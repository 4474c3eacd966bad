"""PostgreSQL bulk writes (one statement per chunk, columns as array literals) keep every
value exactly, awkward text included."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Table, select

from iqcadence_desktop.models import Customer, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import pg_update, pg_upsert
from iqcadence_desktop.services.system.pg_bulk import array_literal

AWKWARD = ['a "quoted", {braced} name', "back\\slash", "NULL", "", "ünïcødé 株式会社", "x y"]


def test_array_literal_quotes_what_needs_quoting() -> None:
    assert array_literal([1, None, 2.5, True, dt.date(2026, 1, 2)]) == "{1,NULL,2.5,t,2026-01-02}"
    assert array_literal(['a"b', "c\\d"]) == '{"a\\"b","c\\\\d"}'


def test_update_and_upsert_round_trip_on_postgresql(db: Database) -> None:
    if db.is_sqlite:
        pytest.skip("PostgreSQL only (make test-postgres)")
    customers: Table = Customer.__table__  # type: ignore[assignment]
    snaps: Table = ScoreSnapshot.__table__  # type: ignore[assignment]
    now = dt.datetime(2026, 11, 26, 9, 30)
    with db.session() as s:
        for i, _ in enumerate(AWKWARD):
            s.add(
                Customer(id=i + 1, name=f"c{i}", name_key=f"c{i}", created_at=now, updated_at=now)
            )
        s.flush()
        ids = list(range(1, len(AWKWARD) + 1))
        pg_update(s, customers, ["note", "score", "id"], [AWKWARD, [None, 1.5] * 3, ids], "id")
        rows = [ids, [7] * 6, [None, 3.25] * 3, ["watch"] * 6, [0.5] * 6, [5, None] * 3]
        names = ["customer_id", "day", "score", "status", "coverage", "logins_30d"]
        pg_upsert(s, snaps, names, rows, ["customer_id", "day"])
        pg_upsert(s, snaps, names, [*rows[:3], ["healthy"] * 6, *rows[4:]], ["customer_id", "day"])
    with db.session() as s:
        got = s.execute(select(Customer.note, Customer.score).order_by(Customer.id)).all()
        assert [tuple(r) for r in got] == list(zip(AWKWARD, [None, 1.5] * 3, strict=True))
        statuses = s.scalars(select(ScoreSnapshot.status)).all()
        assert statuses == ["healthy"] * 6
