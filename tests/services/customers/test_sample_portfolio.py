"""The sample portfolio: deterministic, varied, with smooth, readable history."""

from __future__ import annotations

import statistics
from pathlib import Path

from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.system.clock import FixedClock


def _portfolio(path: Path, clock: FixedClock, seed: int) -> list[tuple[object, ...]]:
    database = open_database(path)
    try:
        services = build_services(database, clock)
        services.customers.load_sample(customers=80, days=30, seed=seed)
        rows = []
        for c in services.customers.list_customers():
            history = tuple(round(s.score or -1, 6) for s in services.customers.history(c.id))
            rows.append(
                (
                    c.name,
                    c.manager,
                    c.mrr_cents,
                    c.tier,
                    c.lifecycle,
                    c.tags,
                    c.renewal_date,
                    c.score,
                    history,
                )
            )
        return rows
    finally:
        database.close()


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path, clock: FixedClock) -> None:
    first = _portfolio(tmp_path / "a.sqlite3", clock, seed=7)
    again = _portfolio(tmp_path / "b.sqlite3", clock, seed=7)
    other = _portfolio(tmp_path / "c.sqlite3", clock, seed=8)
    assert first == again
    assert first != other


def test_portfolio_is_varied(services: Services) -> None:
    services.customers.load_sample(customers=250, days=1)
    rows = services.customers.list_customers()
    assert len(rows) == 250
    assert {"Müller GmbH", "株式会社サンプル"} <= {c.name for c in rows}
    assert {c.tier for c in rows} == {"enterprise", "mid", "smb"}
    assert len({c.manager for c in rows}) >= 4
    assert {"churned", "won", "atrisk", "active"} <= {c.lifecycle for c in rows}
    assert {"critical", "at_risk", "watch", "healthy", "expansion"} <= {c.status for c in rows}
    mrr = sorted(c.mrr_cents or 0 for c in rows)
    assert statistics.mean(mrr) > 1.5 * statistics.median(mrr)  # skewed: a few big accounts
    months = {c.renewal_date.month for c in rows if c.renewal_date}
    assert len(months) == 12
    assert any(c.tags for c in rows) and any(not c.tags for c in rows)


def test_history_is_smooth_and_shows_trends(services: Services) -> None:
    services.customers.load_sample(customers=120, days=90)
    moved, jumps = [], []
    for c in services.customers.list_customers():
        scores = [s.score for s in services.customers.history(c.id) if s.score is not None]
        assert len(scores) == 90
        moved.append(statistics.mean(scores[-10:]) - statistics.mean(scores[:10]))
        jumps.extend(abs(b - a) for a, b in zip(scores, scores[1:], strict=False))
    assert sum(m > 8 for m in moved) >= 15  # clearly improving accounts
    assert sum(m < -8 for m in moved) >= 15  # clearly declining ones
    assert sum(abs(m) < 3 for m in moved) >= 15  # and flat ones
    assert statistics.median(jumps) < 1.5  # day to day, scores drift; they do not jump


def test_rollup_covers_every_day(services: Services) -> None:
    services.customers.load_sample(customers=50, days=30)
    # The rollup counts the portfolio as the headlines do: churned accounts left it.
    in_portfolio = services.portfolio.headlines().accounts
    assert 40 <= in_portfolio < 50
    assert [p.customers for p in services.portfolio.daily(30)] == [in_portfolio] * 30


def test_a_second_sample_adds_accounts_with_new_names(services: Services) -> None:
    services.customers.create({"name": "Müller GmbH", "logins": 3})
    services.customers.load_sample(customers=20, days=2)
    services.customers.load_sample(customers=20, days=2)
    names = [c.name for c in services.customers.list_customers()]
    assert len(names) == 41 and len({n.casefold() for n in names}) == 41


def test_demo_names_carry_no_numbers(services: Services) -> None:
    services.customers.load_sample(customers=900, days=1)
    names = [c.name for c in services.customers.list_customers()]
    assert len(names) == 900 and len({n.casefold() for n in names}) == 900
    assert [n for n in names if any(ch.isdigit() for ch in n)] == []


def test_the_sentiment_log_agrees_with_the_sentiment_field(services: Services) -> None:
    services.customers.load_sample(customers=120, days=60)
    with_log = 0
    for c in services.customers.list_customers():
        log = services.records.sentiment_log(c.id)
        if c.sentiment is None:
            assert log == []
            continue
        newest = max(log, key=lambda e: (e.day, e.id))
        assert newest.sentiment == c.sentiment, c.name
        with_log += 1
    assert with_log > 80
