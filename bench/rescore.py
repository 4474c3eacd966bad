"""Bulk rescore of N customers: our service vs a raw `sqlite3` script doing the same work.

Both sides start from copies of the same database file (built once, untimed) and, as of
the next day: read the signal columns of every live customer, compute the health score,
update the customer rows (score, status, coverage, scored day, lifecycle), upsert one
snapshot per customer and rebuild that day's portfolio rollup, in one transaction.
The portfolio has a month of history, so the signal-model factors (which read the
snapshots of a week and a month earlier and the sentiment log) have something to read;
ours is measured with the factors off (the default) and with every factor on.
Target for both: ours / raw ≤ 2.0.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

from bench.common import Report, measure, parser
from bench.raw_rescore import raw_connect, raw_rescore
from iqcadence_desktop.models.db import Database, open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock

TODAY = dt.date(2026, 11, 26)
HISTORY_DAYS = 31


def build_template(path: Path, customers: int, days: int = 1) -> None:
    """A portfolio of `customers` accounts with `days` days of history (untimed)."""
    database = open_database(path)
    build_services(database, FixedClock(TODAY)).customers.load_sample(customers, days=days)
    database.close()


def switch_factors_on(database: Database) -> None:
    """Every signal-model factor on (stored like a user's Settings change; untimed)."""
    config = build_services(database, FixedClock(TODAY)).config
    current = config.current()
    config.save(dataclasses.replace(current, factors=dict.fromkeys(current.factors, True)))


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    n, runs = (300, 1) if args.smoke else (100_000, args.runs)
    work = Path(tempfile.mkdtemp(prefix="bench-rescore-"))
    template, copy = work / "template.sqlite3", work / "run.sqlite3"
    build_template(template, n, HISTORY_DAYS)
    as_of = TODAY + dt.timedelta(days=1)
    state: dict[str, Any] = {}

    def fresh_copy() -> None:
        for old in work.glob("run.sqlite3*"):
            old.unlink()
        shutil.copyfile(template, copy)

    def setup_ours() -> None:
        fresh_copy()
        state["db"] = open_database(copy)

    def run_ours() -> None:
        database: Database = state.pop("db")
        build_services(database, FixedClock(as_of)).customers.rescore_all()
        database.close()

    def setup_factors() -> None:
        setup_ours()
        switch_factors_on(state["db"])

    def setup_raw() -> None:
        fresh_copy()
        state["conn"] = raw_connect(copy)

    def run_raw() -> None:
        conn: sqlite3.Connection = state.pop("conn")
        assert raw_rescore(conn, as_of) == n
        conn.close()

    report = Report(f"Bulk rescore of {n:,} customers (same DB file, same writes)")
    report.add(
        f"ours: CustomerService.rescore_all ({n:,})", measure(run_ours, runs, setup=setup_ours)
    )
    report.add(f"ours, every factor on ({n:,})", measure(run_ours, runs, setup=setup_factors))
    report.add(f"raw sqlite3 script ({n:,})", measure(run_raw, runs, setup=setup_raw))
    names = list(report.cases)
    report.ratio(names[0], names[2], 2.0)
    report.ratio(names[1], names[2], 2.0)
    report.print(args.json)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
