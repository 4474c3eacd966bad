"""Trends: lines from the rollup, overlays, movers, ranges and the reading."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.analytics import METRICS, RANGES, TrendRequest, range_start
from iqcadence_desktop.services.container import Services
from tests.conftest import TODAY


@pytest.mark.parametrize(
    ("key", "end", "start"),
    [
        ("7d", dt.date(2026, 11, 26), dt.date(2026, 11, 20)),
        ("90d", dt.date(2026, 11, 26), dt.date(2026, 8, 29)),
        ("6mo", dt.date(2026, 8, 31), dt.date(2026, 3, 1)),  # Feb 28 + 1 day
        ("1yr", dt.date(2026, 11, 26), dt.date(2025, 11, 27)),
        ("2yr", dt.date(2026, 11, 26), dt.date(2024, 11, 27)),
        ("ytd", dt.date(2026, 11, 26), dt.date(2026, 1, 1)),
    ],
)
def test_ranges_include_both_ends(key: str, end: dt.date, start: dt.date) -> None:
    assert range_start(key, end) == start


def test_health_line_is_the_rollup_average(sample: Services) -> None:
    view = sample.trends.view(TrendRequest("health", range_key="30d"))
    assert len(view.days) == 30 and view.days[-1] == TODAY
    daily = {p.day: p.average_score for p in sample.portfolio.daily(30)}
    primary = next(s for s in view.series if s.role == "primary")
    assert [primary.values[i] for i in range(30)] == [daily.get(d) for d in view.days]
    assert view.analysis and "Average health score" in view.analysis[0]


def test_every_range_and_metric_loads(sample: Services) -> None:
    for key in RANGES:
        assert sample.trends.view(TrendRequest("logins", range_key=key)).has_data
    for metric in METRICS:
        assert sample.trends.view(TrendRequest(metric, range_key="30d")).has_data


def test_money_metrics_are_dollars_and_arr_is_twelve_times_mrr(sample: Services) -> None:
    mrr = sample.trends.view(TrendRequest("mrr", range_key="7d")).series[0].values[-1]
    arr = sample.trends.view(TrendRequest("arr", range_key="7d")).series[0].values[-1]
    # The trend lines count the portfolio the headlines count (churned accounts left it).
    total = sample.portfolio.headlines().total_mrr_cents
    assert mrr == pytest.approx(total / 100) and arr == pytest.approx(12 * total / 100)


def test_bands_give_five_lines_and_a_band_reading(sample: Services) -> None:
    view = sample.trends.view(TrendRequest("bands", range_key="30d"))
    assert [s.band for s in view.series] == ["critical", "at_risk", "watch", "healthy", "expansion"]
    assert view.analysis[0].startswith("Accounts per band from")


def test_secondary_metric_goes_on_the_right_axis_and_is_compared(sample: Services) -> None:
    view = sample.trends.view(TrendRequest("health", "logins", "30d"))
    assert [(s.role, s.axis) for s in view.series] == [("primary", "left"), ("secondary", "right")]
    assert any("average logins" in line for line in view.analysis)


def test_overlays_of_a_manager_and_a_customer(sample: Services) -> None:
    manager = sample.customers.managers()[0]
    customer = sample.customers.list_customers()[0]
    view = sample.trends.view(
        TrendRequest(
            "health", range_key="30d", overlay_managers=(manager,), overlay_customers=(customer.id,)
        )
    )
    overlays = [s for s in view.series if s.role == "overlay"]
    assert [s.label for s in overlays] == [manager, customer.name]
    history = {h.day: h.score for h in sample.customers.history(customer.id)}
    assert overlays[1].values[-1] == pytest.approx(history[TODAY])


def test_movers_are_the_biggest_changes_between_the_range_ends(sample: Services) -> None:
    view = sample.trends.view(TrendRequest("health", range_key="30d"))
    assert view.rises and view.falls
    assert all(m.change > 0 for m in view.rises) and all(m.change < 0 for m in view.falls)
    assert [m.change for m in view.rises] == sorted((m.change for m in view.rises), reverse=True)
    top = view.rises[0]
    history = {h.day: h.score for h in sample.customers.history(top.customer_id)}
    assert top.start == pytest.approx(history[view.days[0]])
    assert top.end == pytest.approx(history[TODAY])


def test_manager_filter_narrows_lines_and_movers(sample: Services) -> None:
    manager = sample.customers.managers()[0]
    view = sample.trends.view(TrendRequest("health", range_key="30d"), manager=manager)
    assert all(m.manager == manager for m in (*view.rises, *view.falls))
    daily = sample.portfolio.daily(1, manager)[-1].average_score
    assert view.series[0].values[-1] == pytest.approx(daily)


def test_empty_portfolio_says_there_is_no_history(services: Services) -> None:
    view = services.trends.view(TrendRequest())
    assert not view.has_data and view.history_start is None
    assert view.analysis == ("There is no history yet: each day's scores are kept from now on.",)


def test_history_shorter_than_the_range_is_mentioned(sample: Services) -> None:
    view = sample.trends.view(TrendRequest(range_key="1yr"))
    assert view.analysis[0].startswith("History starts on ")


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (TrendRequest("churn"), "not a metric"),
        (TrendRequest(range_key="5yr"), "not a range"),
        (TrendRequest(overlay_managers=("a", "b", "c"), overlay_customers=(1, 2, 3)), "at most 5"),
    ],
)
def test_bad_requests_are_refused(services: Services, request_: TrendRequest, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        services.trends.view(request_)


def test_customer_search_for_overlays(known: Services) -> None:
    assert [n for _, n in known.trends.customers_matching("a")] == ["A1", "A2"]
    assert [n for _, n in known.trends.customers_matching("", manager="Ben")] == ["B1", "B2", "B3"]
