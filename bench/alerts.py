"""Alert derivation for a large portfolio, against a bare loop of the same comparisons.

Targets (issue 5): deriving all alerts for 100k customers ≤ 1.0 s and ≤ 3× a bare loop
that applies the same comparisons to the same in-memory rows and collects (id, rule,
severity). Both start from already-loaded CustomerDTOs; loading them from SQLite is
reported separately (not part of the target).
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import Report, measure, parser
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.alerts.config import AlertConfig
from iqcadence_desktop.services.alerts.rules import Thresholds, derive, thresholds
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.scoring.config import ScoringConfig
from iqcadence_desktop.services.system.clock import FixedClock

DAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 12)
STATUSES = ((25, "critical"), (50, "at_risk"), (65, "watch"), (80, "healthy"), (101, "expansion"))


def synthetic(n: int, seed: int = 1) -> list[CustomerDTO]:
    """n customers with a realistic spread of signals (about a third raise something)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        score = rng.randint(5, 98)
        status = next(s for edge, s in STATUSES if score < edge)
        days = rng.randint(0, 60)
        renewal = rng.randint(-10, 400)
        out.append(
            CustomerDTO(
                i + 1,
                f"Customer {i}",
                None,  # external id
                f"CSM {i % 9}",
                rng.randint(10_000, 5_000_000),
                rng.randint(0, 40),
                float(rng.randint(5, 95)),
                rng.randint(0, 7),
                rng.randint(0, 10),
                None,
                DAY - dt.timedelta(days=days),
                days,
                None,
                renewal,
                renewal // 30,
                rng.choice(("strong", "mild", "none", None)),
                rng.choice(("enterprise", "mid", "smb")),
                (),
                "active",
                None,
                None,
                None,
                None,
                None,
                rng.choice(("positive", "neutral", "negative", None)),
                float(score),
                score,
                status,
                1.0,
                False,
                rng.uniform(-15, 15),
                "ok",
                "none",
                100_000 if status == "expansion" else 0,
                40.0,
                NOW,
                NOW,
                None,
            )
        )
    return out


def bare_loop(rows: list[CustomerDTO], t: Thresholds) -> list[tuple[int, str, str]]:
    """The same comparisons written inline, collecting only (id, rule, severity)."""
    out: list[tuple[int, str, str]] = []
    add = out.append
    for c in rows:
        if c.lifecycle == "churned":
            continue
        if c.shown_score is not None and c.shown_score < t.watch_edge:
            add((c.id, "unhealthy", "critical" if c.shown_score < t.at_risk_edge else "warning"))
        if c.open_tickets is not None and c.open_tickets >= t.tickets_attention:
            add(
                (
                    c.id,
                    "open_tickets",
                    "warning" if c.open_tickets >= t.tickets_warning else "attention",
                )
            )
        if c.logins_30d is not None and c.logins_30d < t.logins_warning:
            add((c.id, "low_logins", "warning"))
        if c.feature_adoption_pct is not None and c.feature_adoption_pct < t.adoption_attention:
            add((c.id, "low_adoption", "attention"))
        _bare_rest(c, t, add)
    return out


def _bare_rest(c: CustomerDTO, t: Thresholds, add: Any) -> None:
    d = c.days_until_renewal
    if d is not None and 0 <= d <= t.renewal_upcoming:
        bad = c.status in ("at_risk", "critical")
        add((c.id, "renewal_due", "critical" if d <= t.renewal_critical and bad else "warning"))
    q = c.days_since_contact
    if q is not None:
        over = q >= t.overdue_after.get(c.tier, 30)
        if over or q >= t.quiet_after:
            add((c.id, "quiet", "warning" if over else "attention"))
    m = c.momentum
    if m is not None and abs(m) >= t.momentum:
        add((c.id, "score_drop" if m < 0 else "score_rise", "warning"))
    if c.nps is not None and c.nps <= t.nps_max:
        add((c.id, "nps_detractor", "warning"))
    if c.sentiment == "negative":
        add((c.id, "negative_sentiment", "warning"))
    if c.status == "expansion" and c.growth_signal in ("strong", "mild"):
        add((c.id, "expansion_ready", "opportunity"))


def interleaved(
    ours: Callable[[], object], base: Callable[[], object], runs: int
) -> tuple[list[float], list[float]]:
    """Alternate the two so a busy moment on a shared machine hits both alike."""
    a: list[float] = []
    b: list[float] = []
    ours()  # warm-up, untimed
    base()
    for _ in range(runs):
        a += measure(ours, 1, warmup=False)
        b += measure(base, 1, warmup=False)
    return a, b


def load_time(n: int) -> tuple[float, float]:
    """(seconds to load n customers as DTOs, seconds for AlertService.current())."""
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "bench.sqlite3")
        services = build_services(db, FixedClock(DAY))
        services.customers.load_sample(n, 2)
        start = time.perf_counter()
        services.customers.list_customers()
        loaded = time.perf_counter() - start
        services.alerts.current()  # first call records the episodes
        start = time.perf_counter()
        services.alerts.current()
        whole = time.perf_counter() - start
        db.close()
    return loaded, whole


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    n = 2_000 if args.smoke else 100_000
    runs = 1 if args.smoke else args.runs
    rows = synthetic(n)
    t = thresholds(ScoringConfig(), AlertConfig())
    report = Report(f"Alerts: derive for {n:,} customers")
    ours, base = interleaved(lambda: derive(rows, t, DAY), lambda: bare_loop(rows, t), runs)
    report.add("derive (alerts_rules.derive)", ours)
    report.add("baseline: bare loop, same comparisons", base)
    report.ratio("derive (alerts_rules.derive)", "baseline: bare loop, same comparisons", 3.0)
    report.limit("derive (alerts_rules.derive)", 1.0)
    print(
        f"  alerts derived: {len(derive(rows, t, DAY)):,}; bare loop hits: "
        f"{len(bare_loop(rows, t)):,}"
    )
    loaded, whole = load_time(300 if args.smoke else n)
    report.add("load customers as DTOs (SQLite, not in target)", [loaded])
    report.add("AlertService.current() incl. load (not in target)", [whole])
    report.print(args.json)
    if args.smoke and not args.json:
        print("  (smoke mode: sizes are too small for the targets to mean anything)")


if __name__ == "__main__":
    main()
