"""A big portfolio for the analytics benchmark, built fast.

The customers (names, managers, tiers, tags, renewals, next touches) and today's
snapshot come from the app's own sample generator; the other days of history are
written with raw `sqlite3` inserts from numpy (a year for 10,000 accounts is 3.65 M
rows: the generator's per-row Python would take minutes). Each account drifts from a
start score to today's score with a little daily noise, and its signals follow the
score, so trends, movers and segment comparisons have something real to show. The
per-day rollup is then rebuilt by the app's own function.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.scoring import rebuild_portfolio_days
from iqcadence_desktop.services.system.clock import FixedClock

TODAY = dt.date(2026, 11, 26)
#: Tier -> average drift per year of the score (points), so segments differ.
TIER_DRIFT = {"enterprise": 6.0, "mid": 0.0, "smb": -8.0, None: 0.0}
BAND_EDGES = (25, 50, 65, 80)
BAND_NAMES = np.array(["critical", "at_risk", "watch", "healthy", "expansion"])
INSERT = (
    "INSERT INTO score_snapshots (customer_id, day, score, status, coverage, logins_30d, "
    "feature_adoption_pct, open_tickets, nps, csat, days_since_contact, growth_signal, "
    "mrr_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)"
)


def build(path: Path, customers: int, days: int, seed: int = 11) -> Services:
    """Create the database at `path` and return services over it (clock fixed to TODAY)."""
    clock = FixedClock(TODAY)
    db = open_database(path)
    services = build_services(db, clock)
    services.customers.load_sample(customers, 1, seed=seed)
    db.close()
    _history(path, days, seed)
    db = open_database(path)
    with db.session() as s:
        rebuild_portfolio_days(s, TODAY.toordinal() - days + 1, TODAY.toordinal())
    return build_services(db, clock)


def _history(path: Path, days: int, seed: int) -> None:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT c.id, c.tier, c.mrr_cents, s.score, s.nps IS NULL, s.csat IS NULL, "
            "s.growth_signal FROM customers c JOIN score_snapshots s "
            "ON s.customer_id = c.id AND s.day = ? ORDER BY c.id",
            (TODAY.toordinal(),),
        ).fetchall()
        con.execute("DROP INDEX IF EXISTS ix_score_snapshots_day_score")
        with con:
            con.executemany(INSERT, _rows(rows, days, np.random.default_rng(seed)))
        con.execute("CREATE INDEX ix_score_snapshots_day_score ON score_snapshots (day, score)")
        con.execute("ANALYZE")
    finally:
        con.close()


def _rows(customers: list[tuple], days: int, rng: np.random.Generator) -> Iterator[tuple]:
    first = TODAY.toordinal() - days + 1
    ordinals = np.arange(first, TODAY.toordinal())  # today's snapshot exists already
    frac = (ordinals - first) / max(days - 1, 1)
    for cid, tier, mrr, end, no_nps, no_csat, growth in customers:
        if end is None:
            continue
        drift = TIER_DRIFT.get(tier, 0.0) * days / 365 + rng.normal(0, 10)
        noise = np.cumsum(rng.normal(0, 0.6, len(ordinals)))
        score = np.clip(end - drift * (1 - frac) + noise - noise[-1], 1, 99)
        yield from _customer_rows(cid, ordinals, score, mrr, no_nps, no_csat, growth, rng)


def _customer_rows(
    cid: int,
    ordinals: np.ndarray,
    score: np.ndarray,
    mrr: int | None,
    no_nps: bool,
    no_csat: bool,
    growth: str | None,
    rng: np.random.Generator,
) -> Iterator[tuple]:
    n = len(ordinals)
    level = score / 100
    logins = np.clip(np.rint(level * 38 + rng.normal(0, 2, n)), 0, None).astype(int)
    adoption = np.round(np.clip(score + rng.normal(0, 4, n), 0, 100), 1)
    tickets = np.clip(np.rint((1 - level) * 6 + rng.normal(0, 0.5, n)), 0, None).astype(int)
    nps = np.clip(np.rint(level * 10 + rng.normal(0, 0.7, n)), 0, 10).astype(int)
    csat = np.clip(np.rint(1 + level * 4), 1, 5).astype(int)
    contact = (ordinals + cid) % (8 + np.rint((1 - level) * 50)).astype(int)
    status = BAND_NAMES[np.searchsorted(BAND_EDGES, np.floor(score + 0.5), side="right")]
    for i in range(n):
        yield (
            cid,
            int(ordinals[i]),
            float(score[i]),
            str(status[i]),
            1.0,
            int(logins[i]),
            float(adoption[i]),
            int(tickets[i]),
            None if no_nps else int(nps[i]),
            None if no_csat else int(csat[i]),
            int(contact[i]),
            growth,
            mrr,
        )
