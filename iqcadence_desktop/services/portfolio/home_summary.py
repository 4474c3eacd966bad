"""Home Base figures (S5) for one manager's book or the whole portfolio, as of a day.

Everything the Home page shows is computed here from CustomerDTOs and alerts, so the page
only renders. Navigation targets for the KPI cards are part of the summary, so the rule
"which list does this number open" lives next to the number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from iqcadence_desktop.services.alerts import Alert, AlertService
from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter, CustomerService
from iqcadence_desktop.services.portfolio.headlines import (
    Headlines,
    at_stake,
    in_portfolio,
    portfolio_headlines,
)
from iqcadence_desktop.services.scoring import (
    BANDS,
    TIER_LABELS,
    TIERS,
    ConfigService,
    RenewalWindows,
    ScoringConfig,
    is_at_risk,
)
from iqcadence_desktop.services.system import Clock

#: A score change of at least this many points over 7 days counts as improving/declining.
MOVE_POINTS = 1.0
TOP = 5


class Kpi(NamedTuple):
    """One KPI card: its value and the filtered Customers list it opens."""

    key: str
    title: str
    value: float | int | None
    is_money: bool
    detail: str
    target: dict[str, object]


class RenewalBucket(NamedTuple):
    label: str
    customers: int
    mrr_cents: int
    unhealthy: int


class AccountLine(NamedTuple):
    """A short line about one account (priority accounts, biggest drops)."""

    customer_id: int
    name: str
    shown_score: int | None
    status: str
    mrr_cents: int | None
    momentum: float | None
    priority: float


class Heatmap(NamedTuple):
    """Accounts per row (tier or manager) and health band."""

    rows: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]


class TierCard(NamedTuple):
    tier: str
    label: str
    customers: int
    average_score: float | None
    mrr_cents: int
    at_risk: int


@dataclass(frozen=True)
class HomeSummary:
    """Everything Home Base shows."""

    as_of: dt.date
    portfolio_empty: bool
    customers: int
    average_score: float | None
    band_counts: dict[str, int]
    healthy_pct: float | None
    at_risk: int
    improving: int
    declining: int
    kpis: tuple[Kpi, ...]
    pipeline: tuple[RenewalBucket, ...]
    priority_accounts: tuple[AccountLine, ...]
    biggest_drops: tuple[AccountLine, ...]
    heatmap_tier: Heatmap
    heatmap_manager: Heatmap
    tiers: tuple[TierCard, ...]
    action_items: tuple[Alert, ...]


class HomeSummaryService:
    """Builds the Home Base summary for the manager filter in force."""

    def __init__(
        self, clock: Clock, customers: CustomerService, config: ConfigService, alerts: AlertService
    ) -> None:
        self._clock, self._customers, self._config, self._alerts = (
            clock,
            customers,
            config,
            alerts,
        )

    def summary(self, manager: str | None = None, as_of: dt.date | None = None) -> HomeSummary:
        day = as_of or self._clock.today()
        alerts, book = self._alerts.evaluate(day, manager)  # one load serves both
        empty = not book and (
            manager is None or not self._customers.list_customers(CustomerFilter(), day)
        )
        return build(book, alerts, self._config.current(), day, empty, manager)


def build(
    book: Sequence[CustomerDTO],
    alerts: Sequence[Alert],
    config: ScoringConfig,
    day: dt.date,
    empty: bool,
    manager: str | None = None,
) -> HomeSummary:
    """The summary from already-loaded customers and alerts (pure; tested directly).
    Every figure a report also shows comes from the headlines (services/portfolio)."""
    h = portfolio_headlines(book, config, day, manager)
    live = [c for c in book if in_portfolio(c)]
    scored = [c for c in live if c.score is not None]
    healthy = sum(1 for c in scored if c.status in ("healthy", "expansion"))
    moves = [c.momentum for c in live if c.momentum is not None]
    windows = config.renewal
    return HomeSummary(
        day,
        empty,
        h.accounts,
        h.average_score,
        {b: h.band_counts.get(b, 0) for b in (*BANDS, "unscored")},
        None if not scored else 100.0 * healthy / len(scored),
        h.at_risk_accounts,
        sum(1 for m in moves if m >= MOVE_POINTS),
        sum(1 for m in moves if m <= -MOVE_POINTS),
        _kpis(h),
        _pipeline([c for c in live if at_stake(c)], windows),
        _priority(live),
        _drops(live),
        _heatmap(
            live,
            lambda c: TIER_LABELS.get(c.tier or "", "No tier"),
            [TIER_LABELS[t] for t in TIERS] + ["No tier"],
        ),
        _heatmap(live, lambda c: c.manager or "Unassigned", None),
        _tiers(live),
        _action_items(alerts),
    )


def _windows(windows: RenewalWindows) -> tuple[int, int, int]:
    return windows.critical, windows.warning, windows.upcoming


def _kpis(h: Headlines) -> tuple[Kpi, ...]:
    return (
        Kpi(
            "health",
            "Portfolio health",
            h.shown_average,
            False,
            f"{h.scored:,} accounts scored",
            {},
        ),
        Kpi(
            "risk",
            "Revenue at risk",
            h.mrr_at_risk_cents,
            True,
            f"{h.at_risk_accounts:,} accounts At Risk or Critical",
            {"statuses": ["at_risk", "critical"]},
        ),
        Kpi(
            "renewals",
            "Upcoming renewals",
            h.renewals_due,
            False,
            f"next {h.renewal_days} days"
            + (f" · {h.renewals_past_due:,} past due" if h.renewals_past_due else ""),
            {"renewal_within_days": h.renewal_days},
        ),
        Kpi(
            "expansion",
            "Expansion opportunity",
            h.expansion_estimate_cents,
            True,
            f"{h.expansion_accounts:,} accounts in Expansion",
            {"status": "expansion"},
        ),
        Kpi("mrr", "Total MRR", h.total_mrr_cents, True, f"{h.accounts:,} accounts", {}),
    )


def _pipeline(live: Sequence[CustomerDTO], windows: RenewalWindows) -> tuple[RenewalBucket, ...]:
    out, low = [], 0
    for high in _windows(windows):
        rows = [
            c
            for c in live
            if c.days_until_renewal is not None and low <= c.days_until_renewal <= high
        ]
        out.append(
            RenewalBucket(
                f"{low}–{high} days",
                len(rows),
                sum(c.mrr_cents or 0 for c in rows),
                sum(1 for c in rows if is_at_risk(c.status)),
            )
        )
        low = high + 1
    return tuple(out)


def _line(c: CustomerDTO) -> AccountLine:
    return AccountLine(c.id, c.name, c.shown_score, c.status, c.mrr_cents, c.momentum, c.priority)


def _priority(live: Sequence[CustomerDTO]) -> tuple[AccountLine, ...]:
    ranked = sorted(live, key=lambda c: (-c.priority, c.name.lower()))
    return tuple(_line(c) for c in ranked[:TOP])


def _drops(live: Sequence[CustomerDTO]) -> tuple[AccountLine, ...]:
    falling = [c for c in live if c.momentum is not None and c.momentum <= -MOVE_POINTS]
    falling.sort(key=lambda c: (c.momentum or 0.0, c.name.lower()))
    return tuple(_line(c) for c in falling[:TOP])


def _heatmap(
    live: Sequence[CustomerDTO], key: Callable[[CustomerDTO], str], order: list[str] | None
) -> Heatmap:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for c in live:
        if c.status in BANDS:
            counts[key(c)][c.status] += 1
    rows = [r for r in order if r in counts] if order else sorted(counts, key=str.lower)
    return Heatmap(tuple(rows), tuple(tuple(counts[r][b] for b in BANDS) for r in rows))


def _tiers(live: Sequence[CustomerDTO]) -> tuple[TierCard, ...]:
    out = []
    for tier in TIERS:
        rows = [c for c in live if c.tier == tier]
        scores = [c.score for c in rows if c.score is not None]
        out.append(
            TierCard(
                tier,
                TIER_LABELS[tier],
                len(rows),
                sum(scores) / len(scores) if scores else None,
                sum(c.mrr_cents or 0 for c in rows),
                sum(1 for c in rows if is_at_risk(c.status)),
            )
        )
    return tuple(out)


def _action_items(alerts: Sequence[Alert]) -> tuple[Alert, ...]:
    """The most serious active alert of each of the accounts that need it most."""
    seen: set[int] = set()
    out: list[Alert] = []
    for a in alerts:
        if a.state == "active" and a.customer_id not in seen:
            seen.add(a.customer_id)
            out.append(a)
            if len(out) > TOP:
                break
    return tuple(out)
