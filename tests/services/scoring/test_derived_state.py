"""Derived account state (S3): cadence, renewal windows, months, expansion, priority."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.services.scoring import derived as D
from iqcadence_desktop.services.scoring.config import ScoringConfig

CONFIG = ScoringConfig()
DAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("tier", "days", "state"),
    [
        ("enterprise", 13, "ok"),
        ("enterprise", 14, "due_soon"),
        ("enterprise", 21, "overdue"),
        ("mid", 20, "ok"),
        ("mid", 21, "due_soon"),
        ("mid", 30, "overdue"),
        ("smb", 29, "ok"),
        ("smb", 30, "due_soon"),
        ("smb", 45, "overdue"),
        (None, 25, "due_soon"),
        ("smb", None, "unknown"),
    ],
)
def test_cadence_per_tier(tier: str | None, days: int | None, state: str) -> None:
    assert D.cadence_status(tier, days, CONFIG) == state


@pytest.mark.parametrize(
    ("days", "window"),
    [
        (-1, "lapsed"),
        (0, "critical"),
        (30, "critical"),
        (31, "warning"),
        (60, "warning"),
        (61, "upcoming"),
        (90, "upcoming"),
        (91, "later"),
        (None, "none"),
    ],
)
def test_renewal_windows(days: int | None, window: str) -> None:
    assert D.renewal_window(days, CONFIG) == window


@pytest.mark.parametrize(
    ("renewal", "months"),
    [
        (dt.date(2026, 12, 26), 1),
        (dt.date(2026, 12, 25), 0),
        (dt.date(2027, 11, 26), 12),
        (dt.date(2026, 11, 26), 0),
        (dt.date(2026, 10, 26), -1),
        (dt.date(2026, 10, 27), 0),
        (None, None),
    ],
)
def test_months_to_renewal(renewal: dt.date | None, months: int | None) -> None:
    assert D.months_to_renewal(renewal, DAY) == months


def test_days_since_never_negative() -> None:
    assert D.days_since(DAY + dt.timedelta(days=3), DAY) == 0
    assert D.days_since(DAY - dt.timedelta(days=3), DAY) == 3


def test_expansion_estimate_percent_and_flat() -> None:
    assert D.expansion_estimate_cents("expansion", 123_455, CONFIG) == 24_691  # 20 %, half up
    assert D.expansion_estimate_cents("healthy", 123_455, CONFIG) == 0
    flat = ScoringConfig(expansion_method="flat", expansion_flat_cents=50_000)
    assert D.expansion_estimate_cents("expansion", 1, flat) == 50_000


def test_priority_formula_as_documented() -> None:
    # risk (100-40)/100 = .6; revenue log10(1+10000)/5 = .8; renewal 1-45/180 = .75;
    # decline 10/20 = .5  →  100 × (.4·.6 + .25·.8 + .2·.75 + .15·.5) = 66.5
    assert D.priority_score(40.0, 1_000_000, 45, -10.0, "active") == pytest.approx(66.5, abs=0.05)
    assert D.priority_score(40.0, 1_000_000, 45, -10.0, "churned") == 0.0


def test_priority_orders_by_need() -> None:
    calm = D.priority_score(90.0, 50_000, 300, 5.0, "active")
    worried = D.priority_score(20.0, 50_000, 20, -15.0, "active")
    assert worried > calm
    assert D.priority_score(None, None, None, None, "active") == 20.0  # unknown health = .5
    assert D.priority_score(50.0, 0, -5, None, "active") > D.priority_score(
        50.0, 0, 5, None, "active"
    )
