"""The analytics queries use indexes: every statement they send is run through EXPLAIN
QUERY PLAN, and none may read a whole history table row by row."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.analytics import TrendRequest, group
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.conftest import TODAY

#: Big tables that must never be scanned whole.
HISTORY = ("score_snapshots", "portfolio_daily", "audit_entries", "customer_tags")


@pytest.fixture
def traced(db_path: Path) -> Iterator[tuple[Services, list[str]]]:
    """Services over a sample portfolio, recording every SQL statement (values inlined)."""
    db = open_database(db_path)
    services = build_services(db, FixedClock(TODAY), secrets=InMemorySecretStore())
    services.customers.load_sample(80, 40, seed=5)
    db.engine.dispose()  # new connections from here on, each one traced
    seen: list[str] = []
    event.listen(db.engine, "connect", lambda conn, _rec: conn.set_trace_callback(seen.append))
    yield services, seen
    db.close()


def plans(db_path: Path, statements: list[str]) -> dict[str, list[str]]:
    con = sqlite3.connect(db_path)
    try:
        return {
            sql: [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + sql)]
            for sql in statements
            if sql.lstrip().upper().startswith(("SELECT", "WITH"))
        }
    finally:
        con.close()


def full_scans(plan: list[str]) -> list[str]:
    """Plan lines that read a history table whole (an ordered index walk is fine)."""
    return [
        line
        for line in plan
        if re.match(r"SCAN (\w+)", line)
        and re.match(r"SCAN (\w+)", line).group(1) in HISTORY  # type: ignore[union-attr]
        and " INDEX " not in line
    ]


CALLS: dict[str, Callable[[Services], Any]] = {
    "segments": lambda s: group(s.segments.load(), "tag"),
    "segment comparison": lambda s: s.segments.compare(
        s.segments.load(trend=False), "tier", ["smb", "mid"], TODAY - dt.timedelta(days=30), TODAY
    ),
    "trends": lambda s: s.trends.view(
        TrendRequest(
            "nps",
            "mrr",
            "90d",
            overlay_managers=(s.customers.managers()[0],),
            overlay_customers=(1,),
        )
    ),
    "trends, one manager": lambda s: s.trends.view(
        TrendRequest("health", range_key="30d"), manager=s.customers.managers()[0]
    ),
    "leaderboard": lambda s: s.performance.leaderboard(),
    "activity": lambda s: s.performance.activity(s.customers.managers()[0]),
    "calendar": lambda s: s.calendar.month(TODAY.year, TODAY.month),
}


@pytest.mark.parametrize("name", CALLS)
def test_no_history_table_is_scanned_whole(
    traced: tuple[Services, list[str]], db_path: Path, name: str
) -> None:
    services, seen = traced
    CALLS[name](services)
    found = plans(db_path, seen)
    assert found, "nothing was traced"
    bad = {sql[:120]: full_scans(plan) for sql, plan in found.items() if full_scans(plan)}
    assert bad == {}


def test_calendar_month_reads_the_date_indexes(
    traced: tuple[Services, list[str]], db_path: Path
) -> None:
    services, seen = traced
    services.calendar.month(TODAY.year, TODAY.month)
    plan = next(p for sql, p in plans(db_path, seen).items() if "renewal_date" in sql)
    text = " ".join(plan)
    for index in (
        "ix_customers_renewal_date",
        "ix_customers_next_touch",
        "ix_customers_last_contact",
    ):
        assert index in text
    assert not any(line.startswith("SCAN customers") for line in plan)


def test_movers_and_trend_history_read_snapshots_by_key(
    traced: tuple[Services, list[str]], db_path: Path
) -> None:
    services, seen = traced
    services.trends.view(TrendRequest("health", range_key="30d", overlay_customers=(1,)))
    snapshot_lines = [
        line
        for sql, plan in plans(db_path, seen).items()
        if "score_snapshots" in sql
        for line in plan
        if "score_snapshots" in line
    ]
    assert snapshot_lines and all(line.startswith("SEARCH") for line in snapshot_lines)
