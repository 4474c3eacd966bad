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
from iqcadence_desktop.models.db import Database, open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock

TODAY = dt.date(2026, 11, 26)
WEIGHTS = {"logins": 25, "adoption": 25, "tickets": 20, "nps": 15, "days": 10, "growth": 5}
GROWTH = {"strong": 100.0, "mild": 60.0, "none": 20.0}
BANDS = ((80, "expansion"), (65, "healthy"), (50, "watch"), (25, "at_risk"))


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


# -- the baseline: what a careful hand-written sqlite3 script would do -----------------
def _points(
    logins: Any, adoption: Any, tickets: Any, nps: Any, days: Any, growth: Any
) -> dict[str, float | None]:
    return {
        "logins": None if logins is None else min(logins / 30, 1.0) * 100,
        "adoption": None if adoption is None else min(max(adoption, 0.0), 100.0),
        "tickets": None if tickets is None else max(0.0, 1 - tickets / 5) * 100,
        "nps": None if nps is None else 100.0 if nps >= 9 else 50.0 if nps >= 7 else 0.0,
        "days": None if days is None else max(0.0, 1 - days / 180) * 100,
        "growth": GROWTH.get(growth),
    }


def _score(points: dict[str, float | None]) -> tuple[float | None, float]:
    present = sum(WEIGHTS[s] for s, p in points.items() if p is not None)
    if not present:
        return None, 0.0
    total = sum(p * WEIGHTS[s] for s, p in points.items() if p is not None)
    return total / present, present / 100


def _band(score: float | None) -> str:
    if score is None:
        return "unscored"
    shown = int(score + 0.5)
    return next((name for edge, name in BANDS if shown >= edge), "critical")


def _lifecycle(lifecycle: str, status: str) -> str:
    if lifecycle == "active" and status in ("at_risk", "critical"):
        return "atrisk"
    if lifecycle == "atrisk" and status in ("watch", "healthy", "expansion"):
        return "active"
    return lifecycle


ROLLUP = """
INSERT INTO portfolio_daily
SELECT s.day, {key}, count(*), count(s.score), avg(s.score), coalesce(sum(s.mrr_cents), 0),
  coalesce(sum(CASE WHEN s.status IN ('at_risk','critical') THEN s.mrr_cents ELSE 0 END), 0),
  sum(s.status='critical'), sum(s.status='at_risk'), sum(s.status='watch'),
  sum(s.status='healthy'), sum(s.status='expansion'), avg(s.logins_30d),
  avg(s.feature_adoption_pct), avg(s.open_tickets), avg(s.nps), avg(s.csat)
FROM score_snapshots s JOIN customers c ON s.customer_id = c.id AND c.deleted_at IS NULL
WHERE s.day = ? GROUP BY s.day{group}
"""


def raw_rescore(conn: sqlite3.Connection, as_of: dt.date) -> int:
    day = as_of.toordinal()
    rows = conn.execute(
        "SELECT id, lifecycle, mrr_cents, logins_30d, feature_adoption_pct, open_tickets, nps,"
        " csat, last_contact_date, growth_signal FROM customers WHERE deleted_at IS NULL"
    ).fetchall()
    updates, snaps = [], []
    for cid, lifecycle, mrr, logins, adoption, tickets, nps, csat, contact, growth in rows:
        days = None if contact is None else max(0, day - dt.date.fromisoformat(contact).toordinal())
        score, coverage = _score(_points(logins, adoption, tickets, nps, days, growth))
        status = _band(score)
        updates.append((score, status, coverage, day, _lifecycle(lifecycle, status), cid))
        snaps.append(
            (
                cid,
                day,
                score,
                status,
                coverage,
                logins,
                adoption,
                tickets,
                nps,
                csat,
                days,
                growth,
                mrr,
            )
        )
    conn.execute("BEGIN")
    conn.executemany(
        "UPDATE customers SET score=?, status=?, coverage=?, scored_day=?, lifecycle=? WHERE id=?",
        updates,
    )
    conn.executemany(
        "INSERT INTO score_snapshots (customer_id, day, score, status, coverage, logins_30d,"
        " feature_adoption_pct, open_tickets, nps, csat, days_since_contact, growth_signal,"
        " mrr_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (customer_id, day) DO UPDATE"
        " SET score=excluded.score, status=excluded.status, coverage=excluded.coverage,"
        " logins_30d=excluded.logins_30d, feature_adoption_pct=excluded.feature_adoption_pct,"
        " open_tickets=excluded.open_tickets, nps=excluded.nps, csat=excluded.csat,"
        " days_since_contact=excluded.days_since_contact,"
        " growth_signal=excluded.growth_signal, mrr_cents=excluded.mrr_cents",
        snaps,
    )
    conn.execute("DELETE FROM portfolio_daily WHERE day = ?", (day,))
    conn.execute(ROLLUP.format(key="''", group=""), (day,))
    conn.execute(
        ROLLUP.format(
            key="coalesce(c.manager, '(unassigned)')", group=", coalesce(c.manager, '(unassigned)')"
        ),
        (day,),
    )
    conn.execute("COMMIT")
    return len(rows)


def _raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=5000",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


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
        state["conn"] = _raw_connect(copy)

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
