"""What the alert list adds up to: MRR exposure, counts and short written insights.

Pure functions over Alert and CustomerDTO lists, so the Alerts page, reports and the CLI
can share them. Every sentence is computed from the data and says nothing when the data
has nothing to say.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from iqcadence_desktop.services.alerts.rules import (
    CATEGORIES,
    CATEGORY_LABELS,
    SEVERITIES,
    SEVERITY_RANK,
    Alert,
)
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import is_at_risk


@dataclass(frozen=True)
class Exposure:
    """Accounts whose worst active alert has this severity, and their MRR."""

    severity: str
    customers: int
    mrr_cents: int


@dataclass(frozen=True)
class AlertOverview:
    """Counts, exposure by severity, active alerts per category and the insights."""

    active: int
    snoozed: int
    dismissed: int
    exposure: tuple[Exposure, ...]
    by_category: dict[str, int]
    insights: tuple[str, ...]


def compact_money(cents: int) -> str:
    """'$950', '$42k', '$1.2M' for sentences (tables use the full locale format)."""
    units = cents / 100
    if abs(units) >= 1_000_000:
        return f"${units / 1_000_000:.1f}M"
    if abs(units) >= 10_000:
        return f"${units / 1000:.0f}k"
    if abs(units) >= 1000:
        return f"${units / 1000:.1f}k"
    return f"${units:,.0f}"


def exposure(alerts: Sequence[Alert]) -> tuple[Exposure, ...]:
    """Each account counted once, under its most serious active alert."""
    worst: dict[int, Alert] = {}
    for a in alerts:
        if a.state == "active":
            seen = worst.get(a.customer_id)
            if seen is None or SEVERITY_RANK[a.severity] < SEVERITY_RANK[seen.severity]:
                worst[a.customer_id] = a
    count: Counter[str] = Counter()
    mrr: Counter[str] = Counter()
    for a in worst.values():
        count[a.severity] += 1
        mrr[a.severity] += a.mrr_cents or 0
    return tuple(Exposure(s, count[s], mrr[s]) for s in SEVERITIES)


def overview(
    alerts: Sequence[Alert], customers: Sequence[CustomerDTO], renewal_days: int
) -> AlertOverview:
    states = Counter(a.state for a in alerts)
    active = [a for a in alerts if a.state == "active"]
    by_category = Counter(a.category for a in active)
    return AlertOverview(
        states["active"],
        states["snoozed"],
        states["dismissed"],
        exposure(alerts),
        {c: by_category[c] for c in CATEGORIES},
        tuple(insights(active, customers, renewal_days)),
    )


def insights(
    active: Sequence[Alert], customers: Sequence[CustomerDTO], renewal_days: int
) -> list[str]:
    """A few sentences a CSM can act on, most useful first."""
    found = [
        _renewals(customers, renewal_days),
        _critical(active),
        _top_category(active),
        _hotspot(active),
        _momentum(active),
        _expansion(active),
    ]
    return [text for text in found if text]


def _renewals(customers: Sequence[CustomerDTO], days: int) -> str:
    soon = [
        c
        for c in customers
        if c.days_until_renewal is not None
        and 0 <= c.days_until_renewal <= days
        and c.lifecycle != "churned"
    ]
    if not soon:
        return ""
    bad = [c for c in soon if is_at_risk(c.status)]
    if not bad:
        return f"All {len(soon)} renewals in the next {days} days look healthy enough."
    mrr = sum(c.mrr_cents or 0 for c in bad)
    return (
        f"{len(bad)} of {len(soon)} renewals in the next {days} days are unhealthy, "
        f"{compact_money(mrr)} MRR."
    )


def _critical(active: Sequence[Alert]) -> str:
    accounts = {a.customer_id: a.mrr_cents or 0 for a in active if a.severity == "critical"}
    if not accounts:
        return ""
    n = len(accounts)
    return (
        f"{n} account{'s' * (n != 1)} {'have' if n != 1 else 'has'} a critical alert, "
        f"{compact_money(sum(accounts.values()))} MRR together."
    )


def _top_category(active: Sequence[Alert]) -> str:
    risky = Counter(a.category for a in active if a.severity != "opportunity")
    if not risky:
        return ""
    category, n = risky.most_common(1)[0]
    total = sum(risky.values())
    return (
        f"{CATEGORY_LABELS[category]} raises the most warnings: {n:,} of {total:,} active "
        "risk alerts."
    )


def _hotspot(active: Sequence[Alert]) -> str:
    per: dict[str, set[int]] = defaultdict(set)
    for a in active:
        if a.severity == "critical" and a.manager:
            per[a.manager].add(a.customer_id)
    if len(per) < 2:
        return ""
    manager, ids = max(per.items(), key=lambda kv: (len(kv[1]), kv[0]))
    return f"{manager} has the most accounts with critical alerts ({len(ids):,})."


def _momentum(active: Sequence[Alert]) -> str:
    drops = sum(1 for a in active if a.rule == "score_drop")
    rises = sum(1 for a in active if a.rule == "score_rise")
    if not drops and not rises:
        return ""
    return (
        f"This week {drops} account{'s' * (drops != 1)} fell sharply and {rises} climbed sharply."
    )


def _expansion(active: Sequence[Alert]) -> str:
    ready = [a for a in active if a.rule == "expansion_ready"]
    if not ready:
        return ""
    upside = sum(a.account.expansion_estimate_cents for a in ready)
    n = len(ready)
    return (
        f"{n} healthy, growing account{'s' * (n != 1)} could add about {compact_money(upside)} MRR."
    )
