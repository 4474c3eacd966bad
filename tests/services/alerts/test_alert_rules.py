"""Each alert rule at and around its thresholds (pure derivation, no database)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from iqcadence_desktop.services.alerts.config import AlertConfig
from iqcadence_desktop.services.alerts.rules import Alert, derive, parse_alert_id, thresholds
from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.scoring.config import ScoringConfig

DAY = dt.date(2026, 11, 26)
NOW = dt.datetime(2026, 11, 26, 12)


def customer(**over: Any) -> CustomerDTO:
    """A calm, healthy account that raises nothing; override what a test needs."""
    base: dict[str, Any] = dict(
        id=7,
        name="Acme",
        external_id=None,
        manager="Dana",
        mrr_cents=500_000,
        logins_30d=20,
        feature_adoption_pct=60.0,
        open_tickets=0,
        nps=9,
        csat=None,
        last_contact_date=DAY,
        days_since_contact=2,
        renewal_date=None,
        days_until_renewal=None,
        months_to_renewal=None,
        growth_signal="none",
        tier="mid",
        tags=(),
        lifecycle="active",
        customer_since=None,
        next_touch=None,
        scoring_profile_id=None,
        scoring_profile=None,
        note=None,
        sentiment="neutral",
        score=70.0,
        shown_score=70,
        status="healthy",
        coverage=1.0,
        manual_score=False,
        momentum=0.0,
        cadence_status="ok",
        renewal_window="none",
        expansion_estimate_cents=0,
        priority=10.0,
        created_at=NOW,
        updated_at=NOW,
        deleted_at=None,
    )
    base.update(over)
    return CustomerDTO(**base)


def alerts(
    cleared: set[tuple[int, str]] | None = None, cfg: AlertConfig = AlertConfig(), **over: Any
) -> dict[str, Alert]:
    t = thresholds(ScoringConfig(), cfg)
    return {a.rule: a for a in derive([customer(**over)], t, DAY, cleared or set())}


def severity(rule: str, cleared: set[tuple[int, str]] | None = None, **over: Any) -> str | None:
    found = alerts(cleared, **over).get(rule)
    return None if found is None else found.severity


def test_calm_account_raises_nothing() -> None:
    assert alerts() == {}


@pytest.mark.parametrize(
    ("score", "status", "expected"),
    [
        (24, "critical", "critical"),
        (25, "at_risk", "warning"),
        (49, "at_risk", "warning"),
        (50, "watch", None),
        (0, "critical", "critical"),
    ],
)
def test_health_band(score: int, status: str, expected: str | None) -> None:
    assert severity("unhealthy", shown_score=score, score=float(score), status=status) == expected


@pytest.mark.parametrize(
    ("tickets", "expected"),
    [(2, None), (3, "attention"), (4, "attention"), (5, "warning"), (9, "warning")],
)
def test_open_tickets(tickets: int, expected: str | None) -> None:
    assert severity("open_tickets", open_tickets=tickets) == expected


@pytest.mark.parametrize(("logins", "expected"), [(4, "warning"), (5, None), (0, "warning")])
def test_low_logins(logins: int, expected: str | None) -> None:
    assert severity("low_logins", logins_30d=logins) == expected


@pytest.mark.parametrize(("pct", "expected"), [(24.9, "attention"), (25.0, None), (30, None)])
def test_low_adoption(pct: float, expected: str | None) -> None:
    assert severity("low_adoption", feature_adoption_pct=pct) == expected


@pytest.mark.parametrize(
    ("days", "status", "expected"),
    [
        (30, "at_risk", "critical"),
        (30, "critical", "critical"),
        (30, "healthy", "warning"),
        (31, "at_risk", "warning"),
        (60, "critical", "warning"),
        (31, "watch", "attention"),
        (60, "healthy", None),  # a healthy account's renewal waits for the last 30 days
        (61, "at_risk", "attention"),
        (90, "healthy", None),
        (90, "watch", "attention"),
        (91, "critical", None),
        (0, "healthy", "warning"),
        (-1, "critical", None),
    ],
)
def test_renewal_windows(days: int, status: str, expected: str | None) -> None:
    assert severity("renewal_due", days_until_renewal=days, status=status) == expected


def test_a_wider_window_for_healthy_renewals_is_a_setting() -> None:
    cfg = AlertConfig(renewal_healthy_days=90)
    found = alerts(cfg=cfg, days_until_renewal=75, status="healthy")
    assert found["renewal_due"].severity == "attention"


def test_weak_signals_of_an_unhealthy_account_fold_into_its_health_alert() -> None:
    weak = {
        "shown_score": 20,
        "score": 20.0,
        "status": "critical",
        "open_tickets": 9,
        "logins_30d": 1,
        "feature_adoption_pct": 5.0,
        "nps": 2,
        "sentiment": "negative",
    }
    assert set(alerts(**weak)) == {"unhealthy"}
    unfolded = alerts(cfg=AlertConfig(fold_into_health=False), **weak)
    assert set(unfolded) == {
        "unhealthy",
        "open_tickets",
        "low_logins",
        "low_adoption",
        "nps_detractor",
        "negative_sentiment",
    }


@pytest.mark.parametrize(
    ("tier", "days", "expected"),
    [
        ("enterprise", 20, None),
        ("enterprise", 21, "warning"),
        ("mid", 29, None),
        ("mid", 30, "warning"),
        ("smb", 29, None),
        ("smb", 30, "attention"),
        ("smb", 44, "attention"),
        ("smb", 45, "warning"),
    ],
)
def test_quiet_and_cadence(tier: str, days: int, expected: str | None) -> None:
    assert severity("quiet", tier=tier, days_since_contact=days) == expected


@pytest.mark.parametrize(
    ("momentum", "drop", "rise"),
    [
        (-9.9, None, None),
        (-10.0, "warning", None),
        (-25.0, "warning", None),
        (9.9, None, None),
        (10.0, None, "opportunity"),
        (0.0, None, None),
    ],
)
def test_momentum(momentum: float, drop: str | None, rise: str | None) -> None:
    assert severity("score_drop", momentum=momentum) == drop
    assert severity("score_rise", momentum=momentum) == rise


@pytest.mark.parametrize(("nps", "expected"), [(6, "warning"), (7, None), (0, "warning")])
def test_nps_detractor(nps: int, expected: str | None) -> None:
    assert severity("nps_detractor", nps=nps) == expected


@pytest.mark.parametrize(
    ("sentiment", "expected"),
    [("negative", "warning"), ("neutral", None), ("positive", None), (None, None)],
)
def test_negative_sentiment(sentiment: str | None, expected: str | None) -> None:
    assert severity("negative_sentiment", sentiment=sentiment) == expected


@pytest.mark.parametrize(
    ("status", "growth", "expected"),
    [
        ("expansion", "strong", "opportunity"),
        ("expansion", "mild", "opportunity"),
        ("expansion", "none", None),
        ("expansion", None, None),
        ("healthy", "strong", None),
    ],
)
def test_expansion(status: str, growth: str | None, expected: str | None) -> None:
    found = alerts(
        status=status,
        growth_signal=growth,
        shown_score=85,
        score=85.0,
        expansion_estimate_cents=100_000,
    ).get("expansion_ready")
    assert (None if found is None else found.severity) == expected
    if found is not None:
        assert "$1,000 a month" in found.message


def test_hysteresis_needs_the_margin_after_a_clear() -> None:
    cleared = {
        (7, "unhealthy"),
        (7, "open_tickets"),
        (7, "low_logins"),
        (7, "nps_detractor"),
        (7, "score_drop"),
        (7, "quiet"),
        (7, "low_adoption"),
    }
    assert severity("unhealthy", cleared, shown_score=48, status="at_risk") is None
    assert severity("unhealthy", cleared, shown_score=47, status="at_risk") == "warning"
    assert severity("open_tickets", cleared, open_tickets=3) is None
    assert severity("open_tickets", cleared, open_tickets=4) == "attention"
    assert severity("low_logins", cleared, logins_30d=4) is None
    assert severity("low_logins", cleared, logins_30d=3) == "warning"
    assert severity("low_adoption", cleared, feature_adoption_pct=23.5) is None
    assert severity("low_adoption", cleared, feature_adoption_pct=22.9) == "attention"
    assert severity("nps_detractor", cleared, nps=6) is None
    assert severity("nps_detractor", cleared, nps=5) == "warning"
    assert severity("score_drop", cleared, momentum=-11.0) is None
    assert severity("score_drop", cleared, momentum=-12.0) == "warning"
    assert severity("quiet", cleared, tier="smb", days_since_contact=30) is None
    assert severity("quiet", cleared, tier="smb", days_since_contact=31) == "attention"


def test_settings_move_thresholds_and_switch_rules_off() -> None:
    cfg = AlertConfig(tickets_attention=1, tickets_warning=2, disabled_rules=("nps_detractor",))
    found = alerts(cfg=cfg, open_tickets=2, nps=0)
    assert found["open_tickets"].severity == "warning"
    assert "nps_detractor" not in found


def test_churned_and_unscored_accounts() -> None:
    assert alerts(lifecycle="churned", open_tickets=9) == {}
    assert "unhealthy" not in alerts(shown_score=None, score=None, status="unscored")


def test_alert_carries_id_values_message_and_since() -> None:
    a = alerts(open_tickets=6)["open_tickets"]
    assert a.id == "7:tickets:open_tickets" and parse_alert_id(a.id) == (7, "open_tickets")
    assert a.values == {"open_tickets": 6, "threshold": 5}
    assert a.since == DAY and a.state == "active"
    assert a.message == "6 support tickets are open."
    assert a.to_json()["customer"] == "Acme"


@pytest.mark.parametrize("text", ["7:tickets:low_logins", "x:tickets:open_tickets", "7:tickets"])
def test_malformed_ids_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_alert_id(text)
