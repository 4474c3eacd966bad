"""The raw `sqlite3` floor for a bulk rescore: standard library only, so that run as its
own process (bench/cli.py) it pays for nothing but the interpreter, sqlite3 and the work.

    python -m bench.raw_rescore DB YYYY-MM-DD
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

WEIGHTS = {"logins": 25, "adoption": 25, "tickets": 20, "nps": 15, "days": 10, "growth": 5}
GROWTH = {"strong": 100.0, "mild": 60.0, "none": 20.0}
BANDS = ((80, "expansion"), (65, "healthy"), (50, "watch"), (25, "at_risk"))


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
  coalesce(sum(CASE WHEN s.status IN ('at_risk','critical') AND c.lifecycle != 'won'
    THEN s.mrr_cents ELSE 0 END), 0),
  sum(s.status='critical'), sum(s.status='at_risk'), sum(s.status='watch'),
  sum(s.status='healthy'), sum(s.status='expansion'), avg(s.logins_30d),
  avg(s.feature_adoption_pct), avg(s.open_tickets), avg(s.nps), avg(s.csat)
FROM score_snapshots s JOIN customers c ON s.customer_id = c.id AND c.deleted_at IS NULL
  AND c.lifecycle != 'churned'
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


def raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "foreign_keys=ON",
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "busy_timeout=5000",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def main(argv: list[str]) -> int:
    conn = raw_connect(Path(argv[0]))
    n = raw_rescore(conn, dt.date.fromisoformat(argv[1]))
    conn.close()
    print(n)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
