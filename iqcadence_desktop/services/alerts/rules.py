"""Alert rules (S4): pure derivation of alerts from customers as of a day.

`derive()` is one pass over the customers with precomputed thresholds, so deriving the
alerts of 100k customers stays close to a bare loop of the same comparisons. Messages
are built lazily (`Alert.message`), only for the alerts someone looks at.

Hysteresis: `cleared` holds the (customer id, rule) pairs whose condition held before and
has since cleared; such a condition re-raises only once it is crossed by the margin
(points for scores/percentages, units for counts/days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from enum import StrEnum
from functools import partial
from typing import Any, NamedTuple

from iqcadence_desktop.services.alerts.config import AlertConfig
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import BAND_LABELS, TIER_LABELS, ScoringConfig
from iqcadence_desktop.services.system import gc_paused


class Category(StrEnum):
    """What an alert is about (S4)."""

    HEALTH = "health"
    TICKETS = "tickets"
    ENGAGEMENT = "engagement"
    RENEWAL = "renewal"
    QUIET_ACCOUNTS = "quiet_accounts"
    MOMENTUM = "momentum"
    SENTIMENT = "sentiment"
    EXPANSION = "expansion"


class Severity(StrEnum):
    """How urgent an alert is (S4), most urgent first."""

    CRITICAL = "critical"
    WARNING = "warning"
    ATTENTION = "attention"
    OPPORTUNITY = "opportunity"


CATEGORIES: tuple[Category, ...] = tuple(Category)
CATEGORY_LABELS: dict[str, str] = {
    Category.HEALTH: "Health",
    Category.TICKETS: "Tickets",
    Category.ENGAGEMENT: "Engagement",
    Category.RENEWAL: "Renewal",
    Category.QUIET_ACCOUNTS: "Quiet accounts",
    Category.MOMENTUM: "Momentum",
    Category.SENTIMENT: "Sentiment",
    Category.EXPANSION: "Expansion",
}
SEVERITIES: tuple[Severity, ...] = tuple(Severity)
SEVERITY_LABELS: dict[str, str] = {
    Severity.CRITICAL: "Critical",
    Severity.WARNING: "Warning",
    Severity.ATTENTION: "Attention",
    Severity.OPPORTUNITY: "Opportunity",
}
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
#: Every rule id with its category (rule ids are unique across categories).
RULES: dict[str, str] = {
    "unhealthy": "health",
    "open_tickets": "tickets",
    "low_logins": "engagement",
    "low_adoption": "engagement",
    "renewal_due": "renewal",
    "quiet": "quiet_accounts",
    "score_drop": "momentum",
    "score_rise": "momentum",
    "nps_detractor": "sentiment",
    "negative_sentiment": "sentiment",
    "expansion_ready": "expansion",
}
RULE_LABELS: dict[str, str] = {
    "unhealthy": "Health in At Risk or Critical",
    "open_tickets": "Many open tickets",
    "low_logins": "Few logins",
    "low_adoption": "Low feature adoption",
    "renewal_due": "Renewal approaching",
    "quiet": "No recent contact",
    "score_drop": "Score dropping",
    "score_rise": "Score rising",
    "nps_detractor": "NPS detractor",
    "negative_sentiment": "Negative sentiment",
    "expansion_ready": "Ready to expand",
}
STATES: tuple[str, ...] = ("active", "snoozed", "dismissed")
STATE_LABELS: dict[str, str] = {"active": "Active", "snoozed": "Snoozed", "dismissed": "Dismissed"}


class Alert(NamedTuple):
    """One alert: whose, which rule, how serious, the limit crossed, and its state.

    Built in bulk, so it keeps a reference to the customer's DTO and computes its id,
    values and message on demand.
    """

    account: CustomerDTO
    rule: str
    severity: str
    since: dt.date
    state: str = "active"
    snoozed_until: dt.date | None = None
    limit: float = 0

    @property
    def id(self) -> str:
        return f"{self.account.id}:{RULES[self.rule]}:{self.rule}"

    @property
    def category(self) -> str:
        return RULES[self.rule]

    @property
    def customer(self) -> str:
        return self.account.name

    @property
    def customer_id(self) -> int:
        return self.account.id

    @property
    def manager(self) -> str | None:
        return self.account.manager

    @property
    def mrr_cents(self) -> int | None:
        return self.account.mrr_cents

    @property
    def priority(self) -> float:
        return self.account.priority

    @property
    def values(self) -> dict[str, Any]:
        """The values that raised the alert, with the threshold they crossed."""
        return VALUES[self.rule](self.account, self)

    @property
    def message(self) -> str:
        """One line in plain words."""
        return MESSAGES[self.rule](self.values)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "customer": self.customer,
            "customer_id": self.customer_id,
            "manager": self.manager,
            "category": self.category,
            "severity": self.severity,
            "rule": self.rule,
            "message": self.message,
            "values": self.values,
            "state": self.state,
            "since": self.since.isoformat(),
            "snoozed_until": None if self.snoozed_until is None else self.snoozed_until.isoformat(),
        }


def _limit(a: Alert) -> float | int:
    return int(a.limit) if float(a.limit).is_integer() else a.limit


VALUES: dict[str, Callable[[CustomerDTO, Alert], dict[str, Any]]] = {
    "unhealthy": lambda c, a: {"score": c.shown_score, "status": c.status, "threshold": _limit(a)},
    "open_tickets": lambda c, a: {"open_tickets": c.open_tickets, "threshold": _limit(a)},
    "low_logins": lambda c, a: {"logins_30d": c.logins_30d, "threshold": _limit(a)},
    "low_adoption": lambda c, a: {
        "feature_adoption_pct": c.feature_adoption_pct,
        "threshold": _limit(a),
    },
    "renewal_due": lambda c, a: {
        "days_until_renewal": c.days_until_renewal,
        "score": c.shown_score,
        "status": c.status,
        "window_days": _limit(a),
    },
    "quiet": lambda c, a: {
        "days_since_contact": c.days_since_contact,
        "tier": c.tier,
        "overdue": a.severity == "warning",
        "threshold": _limit(a),
    },
    "score_drop": lambda c, a: {"momentum": round(c.momentum or 0.0, 1), "threshold": -_limit(a)},
    "score_rise": lambda c, a: {"momentum": round(c.momentum or 0.0, 1), "threshold": _limit(a)},
    "nps_detractor": lambda c, a: {"nps": c.nps, "threshold": _limit(a)},
    "negative_sentiment": lambda c, a: {"sentiment": c.sentiment},
    "expansion_ready": lambda c, a: {
        "score": c.shown_score,
        "growth_signal": c.growth_signal,
        "expansion_estimate_cents": c.expansion_estimate_cents,
    },
}


def alert_id(customer_id: int, rule: str) -> str:
    """Stable id: '<customer_id>:<category>:<rule>'."""
    return f"{customer_id}:{RULES[rule]}:{rule}"


def parse_alert_id(text: str) -> tuple[int, str]:
    """(customer id, rule) of a well-formed id; ValueError otherwise."""
    parts = text.strip().split(":")
    if len(parts) != 3 or not parts[0].isdigit() or RULES.get(parts[2]) != parts[1]:
        raise ValueError(text)
    return int(parts[0]), parts[2]


def _money(cents: int) -> str:
    return f"${cents / 100:,.0f}"


def _renewal_text(v: dict[str, Any]) -> str:
    days = v["days_until_renewal"]
    when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
    if v["score"] is not None and v["status"] in ("at_risk", "critical"):
        return f"Renews {when} with a health score of {v['score']} ({BAND_LABELS[v['status']]})."
    return f"Renews {when}."


def _quiet_text(v: dict[str, Any]) -> str:
    if v["overdue"]:
        tier = TIER_LABELS.get(v["tier"] or "mid", "Mid-Market")
        return (
            f"No contact for {v['days_since_contact']} days ({tier}: overdue after "
            f"{v['threshold']})."
        )
    return f"No contact for {v['days_since_contact']} days."


MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "unhealthy": lambda v: (
        f"Health score {v['score']} puts the account in {BAND_LABELS[v['status']]}."
    ),
    "open_tickets": lambda v: f"{v['open_tickets']} support tickets are open.",
    "low_logins": lambda v: f"Only {v['logins_30d']} logins in the last 30 days.",
    "low_adoption": lambda v: f"Uses {v['feature_adoption_pct']:g} % of the product's features.",
    "renewal_due": _renewal_text,
    "quiet": _quiet_text,
    "score_drop": lambda v: f"Score fell {abs(v['momentum']):.0f} points in 7 days.",
    "score_rise": lambda v: f"Score rose {v['momentum']:.0f} points in 7 days.",
    "nps_detractor": lambda v: f"Gave an NPS of {v['nps']} (a detractor).",
    "negative_sentiment": lambda v: "The latest recorded sentiment is negative.",
    "expansion_ready": lambda v: (
        f"Strong health and {v['growth_signal']} growth: about "
        f"{_money(v['expansion_estimate_cents'])} a month to expand."
    ),
}


class Thresholds(NamedTuple):
    """Every number the rules compare against, read once per derivation."""

    at_risk_edge: int
    watch_edge: int
    expansion_edge: int
    tickets_warning: int
    tickets_attention: int
    logins_warning: int
    adoption_attention: float
    nps_max: int
    renewal_critical: int
    renewal_warning: int
    renewal_upcoming: int
    quiet_after: int
    overdue_after: dict[str | None, int]
    momentum: float
    mp: float
    mu: int
    enabled: frozenset[str]
    fold: bool = True
    renewal_healthy: int = 30


def thresholds(scoring: ScoringConfig, cfg: AlertConfig) -> Thresholds:
    overdue: dict[str | None, int] = {t: c.overdue for t, c in scoring.cadence.items()}
    overdue[None] = scoring.cadence_for(None).overdue
    b, r = scoring.bands, scoring.renewal
    return Thresholds(
        b.at_risk,
        b.watch,
        b.expansion,
        cfg.tickets_warning,
        cfg.tickets_attention,
        cfg.logins_warning,
        cfg.adoption_attention,
        cfg.nps_detractor_max,
        r.critical,
        r.warning,
        r.upcoming,
        scoring.quiet_after_days,
        overdue,
        scoring.momentum_points,
        cfg.margin_points,
        cfg.margin_units,
        frozenset(RULES) - frozenset(cfg.disabled_rules),
        cfg.fold_into_health,
        cfg.renewal_healthy_days,
    )


Hit = tuple[CustomerDTO, str, str, dt.date, str, None, float]
#: Builds an Alert from a tuple in field order, in C (NamedTuple's __new__ and _make are
#: Python functions, and hundreds of thousands of alerts are built at once).
_alert: Callable[[Hit], Alert] = partial(tuple.__new__, Alert)
Cleared = frozenset[tuple[int, str]] | set[tuple[int, str]]


def derive(
    customers: Iterable[CustomerDTO], t: Thresholds, as_of: dt.date, cleared: Cleared = frozenset()
) -> list[Alert]:
    """Every alert the customers raise as of a day (all in state 'active')."""
    with gc_paused():
        return _scan(customers, t, as_of, cleared)


_GROWING = frozenset(("strong", "mild"))
#: Bands whose renewals are worth an alert from the "upcoming" window on; the others only
#: from `renewal_healthy_days`.
_EARLY_RENEWAL = frozenset(("at_risk", "critical", "watch"))


def _scan(
    customers: Iterable[CustomerDTO], t: Thresholds, day: dt.date, cleared: Cleared
) -> list[Alert]:
    """Every rule inline, for each customer, with thresholds in local variables.

    Deliberately one long loop: a function call per rule and customer costs more than
    the comparisons themselves (bench/alerts.py holds this to a bare loop). Each rule
    checks its switch, its threshold, and only then the hysteresis set: after a clear, a
    value must also be past the threshold by the margin.
    """
    out: list[Alert] = []
    add, new, on = out.append, _alert, t.enabled
    watch, risk, grow_edge = t.watch_edge, t.at_risk_edge, t.expansion_edge
    tw, ta, lw, aa, nmax = (
        t.tickets_warning,
        t.tickets_attention,
        t.logins_warning,
        t.adoption_attention,
        t.nps_max,
    )
    up, mom, quiet, mp, mu = t.renewal_upcoming, t.momentum, t.quiet_after, t.mp, t.mu
    overdue_after, default_overdue = t.overdue_after, t.overdue_after[None]
    fold, healthy_window = t.fold, t.renewal_healthy
    for c in customers:
        if c.lifecycle == "churned" or c.deleted_at is not None:
            continue
        cid = c.id
        v = c.shown_score
        sick = False  # the account has a health alert: its weak signals fold into it
        if (
            v is not None
            and v < watch
            and "unhealthy" in on
            and (v < watch - mp or (cid, "unhealthy") not in cleared)
        ):
            sick = fold
            add(
                new(
                    (
                        c,
                        "unhealthy",
                        "critical" if v < risk else "warning",
                        day,
                        "active",
                        None,
                        risk if v < risk else watch,
                    )
                )
            )
        v = None if sick else c.open_tickets
        if (
            v is not None
            and v >= ta
            and "open_tickets" in on
            and (v >= ta + mu or (cid, "open_tickets") not in cleared)
        ):
            add(
                new(
                    (
                        c,
                        "open_tickets",
                        "warning" if v >= tw else "attention",
                        day,
                        "active",
                        None,
                        tw if v >= tw else ta,
                    )
                )
            )
        v = None if sick else c.logins_30d
        if (
            v is not None
            and v < lw
            and "low_logins" in on
            and (v < lw - mu or (cid, "low_logins") not in cleared)
        ):
            add(new((c, "low_logins", "warning", day, "active", None, lw)))
        p = None if sick else c.feature_adoption_pct
        if (
            p is not None
            and p < aa
            and "low_adoption" in on
            and (p < aa - mp or (cid, "low_adoption") not in cleared)
        ):
            add(new((c, "low_adoption", "attention", day, "active", None, aa)))
        v = None if sick else c.nps
        if (
            v is not None
            and v <= nmax
            and "nps_detractor" in on
            and (v <= nmax - mu or (cid, "nps_detractor") not in cleared)
        ):
            add(new((c, "nps_detractor", "warning", day, "active", None, nmax)))
        if not sick and c.sentiment == "negative" and "negative_sentiment" in on:
            add(new((c, "negative_sentiment", "warning", day, "active", None, 0)))
        d = c.days_until_renewal
        window = up if c.status in _EARLY_RENEWAL else healthy_window
        if (
            d is not None
            and 0 <= d <= window
            and "renewal_due" in on
            and (d <= window - mu or (cid, "renewal_due") not in cleared)
        ):
            severity, window = _renewal_level(d, c.status, t)
            add(new((c, "renewal_due", severity, day, "active", None, window)))
        d = c.days_since_contact
        if d is not None:
            over = overdue_after.get(c.tier, default_overdue)
            if (
                (d >= over or d >= quiet)
                and "quiet" in on
                and (d - mu >= min(over, quiet) or (cid, "quiet") not in cleared)
            ):
                late = d >= over
                add(
                    new(
                        (
                            c,
                            "quiet",
                            "warning" if late else "attention",
                            day,
                            "active",
                            None,
                            over if late else quiet,
                        )
                    )
                )
        m = c.momentum
        if m is not None:
            if (
                m <= -mom
                and "score_drop" in on
                and (m <= -mom - mp or (cid, "score_drop") not in cleared)
            ):
                add(new((c, "score_drop", "warning", day, "active", None, mom)))
            elif (
                m >= mom
                and "score_rise" in on
                and (m >= mom + mp or (cid, "score_rise") not in cleared)
            ):
                add(new((c, "score_rise", "opportunity", day, "active", None, mom)))
        if (
            c.status == "expansion"
            and c.growth_signal in _GROWING
            and ("expansion_ready" in on)
            and ((c.shown_score or 0) >= grow_edge + mp or (cid, "expansion_ready") not in cleared)
        ):
            add(new((c, "expansion_ready", "opportunity", day, "active", None, grow_edge)))
    return out


def _renewal_level(days: int, status: str, t: Thresholds) -> tuple[str, int]:
    """Severity and the window the renewal falls in."""
    unhealthy = status == "at_risk" or status == "critical"
    if days <= t.renewal_critical:
        return ("critical" if unhealthy else "warning"), t.renewal_critical
    if days <= t.renewal_warning:
        return ("warning" if unhealthy else "attention"), t.renewal_warning
    return "attention", t.renewal_upcoming
