"""Home Base figures and alert insights from a small, known portfolio."""

from __future__ import annotations

import datetime as dt

from iqcadence_desktop.services.alerts.insights import compact_money, exposure, overview
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock

GOOD = {
    "logins": 30,
    "adoption": 90,
    "tickets": 0,
    "nps": 10,
    "days": 1,
    "growth": "strong",
    "sentiment": "positive",
}
BAD = {
    "logins": 1,
    "adoption": 10,
    "tickets": 6,
    "nps": 2,
    "days": 100,
    "growth": "none",
    "sentiment": "negative",
}


def portfolio(services: Services, clock: FixedClock) -> dict[str, int]:
    renew = (clock.today() + dt.timedelta(days=20)).isoformat()
    make = services.customers.create
    return {
        "good": make(
            {"name": "Good Co", "manager": "Ann", "tier": "enterprise", "mrr": "10000", **GOOD}
        ).id,
        "bad": make(
            {
                "name": "Bad Co",
                "manager": "Ann",
                "tier": "smb",
                "mrr": "4000",
                "renewal_date": renew,
                **BAD,
            }
        ).id,
        "other": make(
            {
                "name": "Other Co",
                "manager": "Ben",
                "tier": "smb",
                "mrr": "2000",
                "renewal_date": renew,
                **GOOD,
            }
        ).id,
    }


def test_empty_portfolio(services: Services) -> None:
    s = services.home.summary()
    assert s.portfolio_empty and s.customers == 0 and s.kpis[0].value is None


def test_summary_figures(services: Services, clock: FixedClock) -> None:
    portfolio(services, clock)
    s = services.home.summary()
    assert not s.portfolio_empty and s.customers == 3
    assert s.band_counts["expansion"] == 2 and s.band_counts["critical"] == 1
    assert s.healthy_pct is not None and round(s.healthy_pct) == 67 and s.at_risk == 1
    kpi = {k.key: k for k in s.kpis}
    assert kpi["risk"].value == 400_000 and kpi["risk"].target == {
        "statuses": ["at_risk", "critical"]
    }
    assert kpi["mrr"].value == 1_600_000 and kpi["renewals"].value == 2
    assert kpi["renewals"].target == {"renewal_within_days": 90}
    assert kpi["expansion"].value == 240_000 and kpi["expansion"].target == {"status": "expansion"}
    assert [b.customers for b in s.pipeline] == [2, 0, 0] and s.pipeline[0].unhealthy == 1
    assert s.pipeline[0].label == "0–30 days"
    assert s.priority_accounts[0].name == "Bad Co"
    assert s.heatmap_tier.rows == ("Enterprise", "SMB")
    assert s.heatmap_tier.counts[1] == (1, 0, 0, 0, 1)
    assert s.heatmap_manager.rows == ("Ann", "Ben")
    assert [t.customers for t in s.tiers] == [1, 0, 2]
    assert s.action_items[0].customer == "Bad Co" and s.action_items[0].severity == "critical"


def test_manager_filter_narrows_everything(services: Services, clock: FixedClock) -> None:
    portfolio(services, clock)
    s = services.home.summary("Ben")
    assert s.customers == 1 and not s.portfolio_empty and s.at_risk == 0
    assert all(a.manager == "Ben" for a in s.action_items)
    assert services.home.summary("Nobody").customers == 0
    assert not services.home.summary("Nobody").portfolio_empty


def test_biggest_drops_use_seven_day_momentum(services: Services, clock: FixedClock) -> None:
    ids = portfolio(services, clock)
    clock.advance(7)
    services.customers.update(ids["good"], {"logins": 5, "adoption": 40})
    s = services.home.summary()
    assert [d.name for d in s.biggest_drops] == ["Good Co"]
    assert s.declining == 1 and (s.biggest_drops[0].momentum or 0) < -10


def test_exposure_counts_each_account_once(services: Services, clock: FixedClock) -> None:
    portfolio(services, clock)
    alerts = services.alerts.current()
    by = {e.severity: e for e in exposure(alerts)}
    assert by["critical"].customers == 1 and by["critical"].mrr_cents == 400_000
    # Other Co renews within 30 days (warning), so only Good Co counts as upside.
    assert by["warning"].customers == 1 and by["warning"].mrr_cents == 200_000
    assert by["opportunity"].customers == 1 and by["opportunity"].mrr_cents == 1_000_000


def test_insights_are_computed_from_the_data(services: Services, clock: FixedClock) -> None:
    portfolio(services, clock)
    view = overview(services.alerts.current(), services.customers.list_customers(), 30)
    assert view.insights[0] == "1 of 2 renewals in the next 30 days are unhealthy, $4.0k MRR."
    assert "1 account has a critical alert, $4.0k MRR together." in view.insights
    assert any(text.startswith("2 healthy, growing accounts could add") for text in view.insights)
    # Bad Co's open tickets are a reason for its health alert, not an alert of their own.
    assert view.by_category["tickets"] == 0 and view.active == sum(view.by_category.values())


def test_compact_money() -> None:
    assert [compact_money(c) for c in (95_000, 420_000, 4_200_000, 123_000_000)] == [
        "$950",
        "$4.2k",
        "$42k",
        "$1.2M",
    ]
