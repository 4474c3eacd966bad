"""Bulk rescore is set-based, snapshots every account and keeps the rollup right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select

from iqcadence_desktop.models import PortfolioDaily
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.portfolio import in_portfolio
from iqcadence_desktop.services.scoring import config as cfg
from iqcadence_desktop.services.scoring.rescore import Cancelled
from iqcadence_desktop.services.system.clock import FixedClock


@contextmanager
def counted_statements(services: Services) -> Iterator[list[int]]:
    """Counts round trips to the database (an executemany counts once)."""
    calls = [0]

    def on_execute(*_args: object) -> None:
        calls[0] += 1

    event.listen(services.db.engine, "before_cursor_execute", on_execute)
    try:
        yield calls
    finally:
        event.remove(services.db.engine, "before_cursor_execute", on_execute)


def test_rescore_of_1000_customers_is_set_based(services: Services, clock: FixedClock) -> None:
    services.customers.load_sample(customers=1000, days=1)
    clock.advance(1)
    with counted_statements(services) as calls:
        summary = services.customers.rescore_all()
    assert summary.customers == 1000
    assert calls[0] < 20, f"{calls[0]} statements for 1000 customers"


def test_weight_change_then_rescore_moves_bands(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", "logins": 30, "tickets": 5})
    assert dto.shown_score == 56
    weights = {**cfg.DEFAULT_WEIGHTS, "logins": 5, "tickets": 40}
    services.config.save(cfg.ScoringConfig(weights=weights))
    summary = services.customers.rescore_all(reason="weights changed")
    assert summary.band_changes == 1 and summary.lifecycle_changes == 1
    after = services.customers.get(dto.id)
    assert after.status == "critical" and after.lifecycle == "atrisk"
    assert services.customers.history(dto.id)[-1].status == "critical"
    assert "weights changed" in services.audit.entries()[0].summary


def test_cancelled_rescore_writes_nothing(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", "logins": 30, "tickets": 5})
    services.config.save(
        cfg.ScoringConfig(weights={**cfg.DEFAULT_WEIGHTS, "logins": 5, "tickets": 40})
    )
    with pytest.raises(Cancelled):
        services.customers.rescore_all(cancelled=lambda: True)
    with services.db.session() as s:
        from iqcadence_desktop.models import Customer

        assert s.scalar(select(Customer.status).where(Customer.id == dto.id)) == "watch"


def test_progress_is_reported(services: Services) -> None:
    services.customers.load_sample(customers=30, days=1)
    seen: list[tuple[int, int]] = []
    services.customers.rescore_all(progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (30, 30)


def test_rollup_matches_snapshots(services: Services) -> None:
    services.customers.load_sample(customers=60, days=10)
    points = services.portfolio.daily(10)
    # The rollup counts the portfolio the headlines count: churned accounts left it.
    live = [c for c in services.customers.list_customers() if in_portfolio(c)]
    assert len(points) == 10 and all(0 < p.customers <= 60 for p in points)
    last = points[-1]
    assert last.customers == len(live)
    assert last.mrr_cents == sum(c.mrr_cents or 0 for c in live)
    assert sum(last.band_counts.values()) == sum(1 for c in live if c.status != "unscored")
    with services.db.session() as s:
        managers = s.scalars(
            select(PortfolioDaily.manager).where(PortfolioDaily.day == last.day.toordinal())
        ).all()
    assert "" in managers and len(managers) > 2


def test_rollup_rows_per_manager_and_for_the_portfolio(services: Services) -> None:
    """Averages skip blanks; the portfolio row adds up its managers' rows."""
    services.customers.create(
        {"name": "A", "manager": "Ann", "mrr": "100", "logins": "10", "nps": "9"}
    )
    services.customers.create({"name": "B", "manager": "Ann", "mrr": "300", "logins": "20"})
    services.customers.create(
        {
            "name": "C",
            "mrr": "50",
            "logins": "0",
            "tickets": "9",
            "nps": "0",
            "csat": "1",
            "days": "200",
            "adoption": "0",
        }
    )
    day = services.clock.today().toordinal()
    with services.db.session() as s:
        rows = {
            r.manager: r for r in s.scalars(select(PortfolioDaily).where(PortfolioDaily.day == day))
        }
    assert set(rows) == {"", "Ann", "(unassigned)"}
    ann, portfolio = rows["Ann"], rows[""]
    assert (ann.customers, ann.mrr_cents, ann.avg_logins, ann.avg_nps) == (2, 40000, 15.0, 9.0)
    assert ann.avg_csat is None and rows["(unassigned)"].n_critical == 1
    assert (portfolio.customers, portfolio.mrr_cents) == (3, 45000)
    assert portfolio.avg_logins == pytest.approx(10.0) and portfolio.avg_nps == 4.5
    assert portfolio.at_risk_mrr_cents == 5000 and portfolio.n_critical == 1
    live = services.customers.list_customers()
    scores = [c.score for c in live if c.score is not None]
    assert portfolio.scored == len(scores)
    assert portfolio.avg_score == pytest.approx(sum(scores) / len(scores))


def test_rescore_as_of_a_later_day_decays(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", "days": 0, "logins": 30})
    later = services.clock.today() + dt.timedelta(days=180)
    services.customers.rescore_all(as_of=later)
    snap = services.customers.history(dto.id)[-1]
    assert snap.day == later and snap.days_since_contact == 180
    assert snap.score == pytest.approx(100 * 25 / 35)


def test_portfolio_summary_agrees_with_the_customer_list(services: Services) -> None:
    services.customers.load_sample(customers=80, days=1)
    later = services.clock.today() + dt.timedelta(days=40)  # decay moves some bands
    for manager in (None, "Sarah Chen"):
        rows = [
            c
            for c in services.customers.list_customers(CustomerFilter(manager=manager), later)
            if c.lifecycle != "churned"
        ]
        summary = services.portfolio.headlines(manager, later)
        assert summary.accounts == len(rows)
        assert summary.total_mrr_cents == sum(c.mrr_cents or 0 for c in rows)
        assert summary.mrr_at_risk_cents == sum(
            c.mrr_cents or 0
            for c in rows
            if c.status in ("at_risk", "critical") and c.lifecycle != "won"
        )
        assert summary.expansion_estimate_cents == sum(c.expansion_estimate_cents for c in rows)
        assert sum(summary.band_counts.values()) == len(rows)
        assert services.portfolio.band_counts(manager, later) == summary.band_counts
