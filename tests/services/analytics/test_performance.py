"""CSM Performance: leaderboard, team medians, one manager's detail and activity."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.scoring import BANDS


def test_leaderboard_ranks_books_by_average_health(known: Services) -> None:
    board = known.performance.leaderboard()
    assert [r.label for r in board.rows] == ["Ben", "Ann"] or [r.label for r in board.rows] == [
        "Ann",
        "Ben",
    ]
    scores = [r.average_score for r in board.rows]
    assert scores == sorted(scores, reverse=True)
    ann = next(r for r in board.rows if r.manager == "Ann")
    assert (ann.customers, ann.mrr_cents, ann.at_risk) == (2, 400_000, 1)
    assert sum(ann.band_counts) == 2 and len(ann.band_counts) == len(BANDS) + 1
    ben = next(r for r in board.rows if r.manager == "Ben")
    assert ben.customers == 2  # the churned account is not part of the book
    assert board.median_customers == 2 and board.median_mrr_cents == (400_000 + 30_000) / 2


def test_manager_filter_keeps_team_medians(known: Services) -> None:
    board = known.performance.leaderboard("Ben")
    assert [r.label for r in board.rows] == ["Ben"]
    assert board.median_mrr_cents == (400_000 + 30_000) / 2


def test_movement_compares_the_same_accounts_a_week_apart(sample: Services) -> None:
    board = sample.performance.leaderboard()
    today = sample.clock.today()
    for row in board.rows:
        book = [
            c
            for c in sample.customers.list_customers()
            if c.manager == row.manager and c.lifecycle != "churned" and c.score is not None
        ]
        week = {
            c.id: next(
                (
                    h.score
                    for h in sample.customers.history(c.id)
                    if h.day == today - dt.timedelta(days=7)
                ),
                None,
            )
            for c in book
        }
        both = [c for c in book if week[c.id] is not None]
        expected = sum(c.score for c in both) / len(both) - sum(week[c.id] for c in both) / len(
            both
        )
        assert row.movement == pytest.approx(expected)


def test_detail_orders_accounts_by_urgency_with_focus_areas(sample: Services) -> None:
    manager = sample.customers.managers()[0]
    detail = sample.performance.detail(manager)
    priorities = [c.priority for c in detail.accounts]
    assert priorities == sorted(priorities, reverse=True)
    assert all(c.manager == manager for c in detail.accounts)
    alerts = [
        a for a in sample.alerts.current(manager=manager, record=False) if a.state == "active"
    ]
    assert {f.category for f in detail.focus} == {a.category for a in alerts}
    health = next(f for f in detail.focus if f.category == "health")
    assert health.severity == "critical" and health.advice.startswith("Stabilise")
    assert set(health.customer_ids) == {a.customer_id for a in alerts if a.category == "health"}


def test_activity_lists_changes_to_the_managers_accounts(known: Services) -> None:
    a1 = known.customers.find_id("A1")
    assert a1 is not None
    known.customers.update(a1, {"note": "Called about the renewal"})
    ann = known.performance.activity("Ann")
    assert ann[0].customer_name == "A1" and "Updated" in ann[0].summary
    assert {a.customer_name for a in ann} == {"A1", "A2"}
    assert all(a.customer_name in {"B1", "B2", "B3"} for a in known.performance.activity("Ben"))


def test_unassigned_accounts_have_their_own_row(known: Services) -> None:
    known.customers.create({"name": "Nobody's", "logins": 10})
    board = known.performance.leaderboard()
    row = next(r for r in board.rows if r.manager is None)
    assert row.label == "Unassigned" and row.customers == 1
    detail = known.performance.detail(None)
    assert [c.name for c in detail.accounts] == ["Nobody's"]
    assert [a.customer_name for a in detail.activity] == ["Nobody's"]


def test_empty_portfolio_has_an_empty_leaderboard(services: Services) -> None:
    board = services.performance.leaderboard()
    assert board.empty and board.median_customers == 0
