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
from typing import Any, NamedTuple

from iqcadence_desktop.services.alerts_config import AlertConfig
from iqcadence_desktop.services.config import TIER_LABELS, ScoringConfig
from iqcadence_desktop.services.dto import CustomerDTO
from iqcadence_desktop.services.scoring import BAND_LABELS

CATEGORIES: tuple[str, ...] = ("health", "tickets", "engagement", "renewal", "quiet_accounts",
                               "momentum", "sentiment", "expansion")
CATEGORY_LABELS: dict[str, str] = {
    "health": "Health", "tickets": "Tickets", "engagement": "Engagement",
    "renewal": "Renewal", "quiet_accounts": "Quiet accounts", "momentum": "Momentum",
    "sentiment": "Sentiment", "expansion": "Expansion",
}
SEVERITIES: tuple[str, ...] = ("critical", "warning", "attention", "opportunity")
SEVERITY_LABELS: dict[str, str] = {"critical": "Critical", "warning": "Warning",
                                   "attention": "Attention", "opportunity": "Opportunity"}
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITIES)}
#: Every rule id with its category (rule ids are unique across categories).
RULES: dict[str, str] = {
    "unhealthy": "health", "open_tickets": "tickets", "low_logins": "engagement",
    "low_adoption": "engagement", "renewal_due": "renewal", "quiet": "quiet_accounts",
    "score_drop": "momentum", "score_rise": "momentum", "nps_detractor": "sentiment",
    "negative_sentiment": "sentiment", "expansion_ready": "expansion",
}
RULE_LABELS: dict[str, str] = {
    "unhealthy": "Health in At Risk or Critical", "open_tickets": "Many open tickets",
    "low_logins": "Few logins", "low_adoption": "Low feature adoption",
    "renewal_due": "Renewal approaching", "quiet": "No recent contact",
    "score_drop": "Score dropping", "score_rise": "Score rising",
    "nps_detractor": "NPS detractor", "negative_sentiment": "Negative sentiment",
    "expansion_ready": "Ready to expand",
}
STATES: tuple[str, ...] = ("active", "snoozed", "dismissed")


class Alert(NamedTuple):
    """One alert: who, which rule, how serious, the values that raised it, and its state."""

    id: str
    customer_id: int
    customer: str
    manager: str | None
    tier: str | None
    mrr_cents: int | None
    priority: float
    category: str
    rule: str
    severity: str
    values: dict[str, Any]
    since: dt.date
    state: str = "active"
    snoozed_until: dt.date | None = None

    @property
    def message(self) -> str:
        """One line in plain words."""
        return MESSAGES[self.rule](self.values)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "customer": self.customer, "customer_id": self.customer_id,
                "manager": self.manager, "category": self.category,
                "severity": self.severity, "rule": self.rule, "message": self.message,
                "values": self.values, "state": self.state, "since": self.since.isoformat(),
                "snoozed_until": None if self.snoozed_until is None
                else self.snoozed_until.isoformat()}


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
        return (f"No contact for {v['days_since_contact']} days; {tier} accounts are overdue "
                f"after {v['overdue_after']}.")
    return f"No contact for {v['days_since_contact']} days."


MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "unhealthy": lambda v: f"Health score {v['score']} puts the account in "
                           f"{BAND_LABELS[v['status']]}.",
    "open_tickets": lambda v: f"{v['open_tickets']} support tickets are open.",
    "low_logins": lambda v: f"Only {v['logins_30d']} logins in the last 30 days.",
    "low_adoption": lambda v: f"Uses {v['feature_adoption_pct']:g} % of the product's features.",
    "renewal_due": _renewal_text,
    "quiet": _quiet_text,
    "score_drop": lambda v: f"Score fell {abs(v['momentum']):.0f} points in 7 days.",
    "score_rise": lambda v: f"Score rose {v['momentum']:.0f} points in 7 days.",
    "nps_detractor": lambda v: f"Gave an NPS of {v['nps']} (a detractor).",
    "negative_sentiment": lambda v: "The latest recorded sentiment is negative.",
    "expansion_ready": lambda v: f"Strong health and {v['growth_signal']} growth: about "
                                 f"{_money(v['expansion_estimate_cents'])} a month to expand.",
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


def thresholds(scoring: ScoringConfig, cfg: AlertConfig) -> Thresholds:
    overdue: dict[str | None, int] = {t: c.overdue for t, c in scoring.cadence.items()}
    overdue[None] = scoring.cadence_for(None).overdue
    b, r = scoring.bands, scoring.renewal
    return Thresholds(b.at_risk, b.watch, b.expansion, cfg.tickets_warning,
                      cfg.tickets_attention, cfg.logins_warning, cfg.adoption_attention,
                      cfg.nps_detractor_max, r.critical, r.warning, r.upcoming,
                      scoring.quiet_after_days, overdue, scoring.momentum_points,
                      cfg.margin_points, cfg.margin_units,
                      frozenset(RULES) - frozenset(cfg.disabled_rules))


Hits = list[tuple[CustomerDTO, str, str, dict[str, Any]]]
Cleared = frozenset[tuple[int, str]] | set[tuple[int, str]]


def derive(customers: Iterable[CustomerDTO], t: Thresholds, as_of: dt.date,
           cleared: Cleared = frozenset()) -> list[Alert]:
    """Every alert the customers raise as of a day (all in state 'active')."""
    hits: Hits = []
    checks = [fn for rules, fn in _CHECKS if t.enabled.intersection(rules)]
    for c in customers:
        if c.lifecycle == "churned" or c.deleted_at is not None:
            continue
        for check in checks:
            check(c, t, cleared, hits)
    return [Alert(f"{c.id}:{RULES[rule]}:{rule}", c.id, c.name, c.manager, c.tier, c.mrr_cents,
                  c.priority, RULES[rule], rule, severity, values, as_of)
            for c, rule, severity, values in hits]


def _health(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    score = c.shown_score
    if score is None:
        return
    edge = t.watch_edge - (t.mp if (c.id, "unhealthy") in cleared else 0)
    if score < edge:
        severity = "critical" if score < t.at_risk_edge else "warning"
        hits.append((c, "unhealthy", severity, {"score": score, "status": c.status}))


def _tickets(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    n = c.open_tickets
    if n is None:
        return
    if n >= t.tickets_attention + (t.mu if (c.id, "open_tickets") in cleared else 0):
        severity = "warning" if n >= t.tickets_warning else "attention"
        hits.append((c, "open_tickets", severity, {"open_tickets": n}))


def _logins(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    n = c.logins_30d
    if n is not None and n < t.logins_warning - (t.mu if (c.id, "low_logins") in cleared
                                                 else 0):
        hits.append((c, "low_logins", "warning", {"logins_30d": n}))


def _adoption(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    pct = c.feature_adoption_pct
    if pct is not None and pct < t.adoption_attention - (
            t.mp if (c.id, "low_adoption") in cleared else 0):
        hits.append((c, "low_adoption", "attention", {"feature_adoption_pct": pct}))


def _renewal(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    days = c.days_until_renewal
    if days is None or days < 0:
        return
    if days <= t.renewal_upcoming - (t.mu if (c.id, "renewal_due") in cleared else 0):
        unhealthy = c.status == "at_risk" or c.status == "critical"
        if days <= t.renewal_critical:
            severity = "critical" if unhealthy else "warning"
        elif days <= t.renewal_warning:
            severity = "warning" if unhealthy else "attention"
        else:
            severity = "attention"
        hits.append((c, "renewal_due", severity, {"days_until_renewal": days,
                                                  "score": c.shown_score, "status": c.status}))


def _quiet(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    days = c.days_since_contact
    if days is None:
        return
    if (c.id, "quiet") in cleared:
        days -= t.mu
    overdue_after = t.overdue_after.get(c.tier, t.overdue_after[None])
    overdue = days >= overdue_after
    if overdue or days >= t.quiet_after:
        hits.append((c, "quiet", "warning" if overdue else "attention",
                     {"days_since_contact": c.days_since_contact, "tier": c.tier,
                      "overdue": overdue, "overdue_after": overdue_after}))


def _momentum(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    m = c.momentum
    if m is None:
        return
    if m < 0:
        rule, edge = "score_drop", -m
    else:
        rule, edge = "score_rise", m
    if rule in t.enabled and edge >= t.momentum + (t.mp if (c.id, rule) in cleared else 0):
        hits.append((c, rule, "warning" if m < 0 else "opportunity",
                     {"momentum": round(m, 1)}))


def _nps(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    n = c.nps
    if n is not None and n <= t.nps_max - (t.mu if (c.id, "nps_detractor") in cleared else 0):
        hits.append((c, "nps_detractor", "warning", {"nps": n}))


def _sentiment(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    if c.sentiment == "negative":
        hits.append((c, "negative_sentiment", "warning", {"sentiment": "negative"}))


def _expansion(c: CustomerDTO, t: Thresholds, cleared: Cleared, hits: Hits) -> None:
    if c.status != "expansion" or c.growth_signal not in ("strong", "mild"):
        return
    if (c.id, "expansion_ready") in cleared and (c.shown_score or 0) < t.expansion_edge + t.mp:
        return
    hits.append((c, "expansion_ready", "opportunity",
                 {"score": c.shown_score, "growth_signal": c.growth_signal,
                  "expansion_estimate_cents": c.expansion_estimate_cents}))


_CHECKS = ((("unhealthy",), _health), (("open_tickets",), _tickets),
           (("low_logins",), _logins), (("low_adoption",), _adoption),
           (("renewal_due",), _renewal), (("quiet",), _quiet),
           (("score_drop", "score_rise"), _momentum), (("nps_detractor",), _nps),
           (("negative_sentiment",), _sentiment), (("expansion_ready",), _expansion))
