"""The metrics and date ranges the Trends page offers, with their units."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from iqcadence_desktop.services.analytics.narrative import Fmt
from iqcadence_desktop.services.scoring import BANDS

BAND_KEYS: tuple[str, ...] = BANDS


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _one(value: float) -> str:
    return f"{value:,.1f}"


def _two(value: float) -> str:
    return f"{value:,.2f}"


def _pct(value: float) -> str:
    return f"{value:,.1f} %"


def _count(value: float) -> str:
    return f"{value:,.0f}"


class Metric(NamedTuple):
    """A trend metric: where its daily value comes from, its unit and how it reads."""

    key: str
    label: str
    unit: str  # the axis label's unit
    rollup: str  # portfolio_daily column ("" for accounts per band)
    snapshot: str  # score_snapshots column, for overlays and movers
    scale: float  # stored value -> shown value (cents -> dollars, x12 for ARR)
    fmt: Fmt
    banded: bool = False


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("health", "Average health score", "points, 0–100", "avg_score", "score", 1, _one),
        Metric("logins", "Average logins (30 days)", "logins", "avg_logins", "logins_30d", 1, _one),
        Metric(
            "adoption",
            "Average feature adoption",
            "%",
            "avg_adoption",
            "feature_adoption_pct",
            1,
            _pct,
        ),
        Metric(
            "tickets", "Average open tickets", "tickets", "avg_tickets", "open_tickets", 1, _two
        ),
        Metric("nps", "Average NPS", "0–10", "avg_nps", "nps", 1, _two),
        Metric("csat", "Average CSAT", "1–5", "avg_csat", "csat", 1, _two),
        Metric("mrr", "Total MRR", "$ per month", "mrr_cents", "mrr_cents", 0.01, _money),
        Metric("arr", "Total ARR", "$ per year", "mrr_cents", "mrr_cents", 0.12, _money),
        Metric("bands", "Accounts per band", "accounts", "", "score", 1, _count, banded=True),
    )
}
RANGES: dict[str, str] = {
    "7d": "7 days",
    "30d": "30 days",
    "90d": "90 days",
    "6mo": "6 months",
    "1yr": "1 year",
    "2yr": "2 years",
    "ytd": "Year to date",
}
_DAYS = {"7d": 7, "30d": 30, "90d": 90}
_MONTHS = {"6mo": 6, "1yr": 12, "2yr": 24}


def months_back(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (clamped to the month's length)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def range_start(key: str, end: dt.date) -> dt.date:
    """The first day of a range ending on `end` (both days included)."""
    if key in _DAYS:
        return end - dt.timedelta(days=_DAYS[key] - 1)
    if key in _MONTHS:
        return months_back(end, _MONTHS[key]) + dt.timedelta(days=1)
    if key == "ytd":
        return dt.date(end.year, 1, 1)
    raise KeyError(key)
