"""Churn-risk heuristic: a probability 0-1 with the factors that made it.

Until a model fitted on the portfolio's own churn history exists, this is the documented
prior (docs/churn-risk.md; keep the two in step). It adds log-odds from a few readable
factors to a base rate and squashes the sum with the logistic function, so every
estimate can be taken apart factor by factor and no single factor can dominate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from iqcadence_desktop.services.customers import CustomerDTO

#: Log-odds of an average account with nothing notable: about 8 % churn probability.
BASE_LOG_ODDS = -2.5
METHOD_NOTE = (
    "Churn risk is estimated with the documented heuristic in docs/churn-risk.md "
    "(score, momentum, renewal proximity, tickets, NPS, sentiment, contact), "
    "not with a model fitted on this portfolio's own history."
)


@dataclass(frozen=True)
class ChurnFactor:
    """One contribution in log-odds (positive raises the risk) and why."""

    name: str
    effect: float
    detail: str


@dataclass(frozen=True)
class ChurnEstimate:
    """A churn probability and its contributing factors, largest effect first."""

    probability: float
    factors: tuple[ChurnFactor, ...]

    def top_reasons(self, n: int = 2) -> str:
        raising = [f.name for f in self.factors if f.effect > 0][:n]
        return ", ".join(raising) or "nothing notable"


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _health(c: CustomerDTO) -> ChurnFactor | None:
    if c.shown_score is None:
        return ChurnFactor("No health score", 0.5, "no signal could be scored")
    effect = _clamp((65 - c.shown_score) / 15, -1.0, 3.0)
    return ChurnFactor("Health score", effect, f"score {c.shown_score}")


def _momentum(c: CustomerDTO) -> ChurnFactor | None:
    if c.momentum is None or abs(c.momentum) < 1:
        return None
    effect = _clamp(-c.momentum / 10 * 0.6, -0.6, 1.2)
    return ChurnFactor("Momentum", effect, f"{c.momentum:+.0f} points in 7 days")


def _renewal(c: CustomerDTO) -> ChurnFactor | None:
    days = c.days_until_renewal
    if days is None or days > 90:
        return None
    if days < 0:
        return ChurnFactor("Renewal lapsed", 1.0, f"renewal date passed {-days} days ago")
    weak = c.shown_score is None or c.shown_score < 65
    if not weak:
        return None
    return ChurnFactor(
        "Renewal close",
        1.2 if days <= 30 else 0.8,
        f"renews in {days} days without a healthy score",
    )


def _tickets(c: CustomerDTO) -> ChurnFactor | None:
    if c.open_tickets is None or c.open_tickets < 3:
        return None
    return ChurnFactor(
        "Open tickets", min(1.0, 0.3 * (c.open_tickets - 2)), f"{c.open_tickets} open tickets"
    )


def _nps(c: CustomerDTO) -> ChurnFactor | None:
    if c.nps is None or 7 <= c.nps <= 8:
        return None
    if c.nps <= 6:
        return ChurnFactor("Detractor NPS", 0.7, f"NPS {c.nps}")
    return ChurnFactor("Promoter NPS", -0.5, f"NPS {c.nps}")


def _sentiment(c: CustomerDTO) -> ChurnFactor | None:
    if c.sentiment == "negative":
        return ChurnFactor("Negative sentiment", 0.6, "last sentiment negative")
    if c.sentiment == "positive":
        return ChurnFactor("Positive sentiment", -0.4, "last sentiment positive")
    return None


def _silence(c: CustomerDTO) -> ChurnFactor | None:
    if c.days_since_contact is None or c.days_since_contact <= 60:
        return None
    return ChurnFactor("Long silence", 0.5, f"{c.days_since_contact} days since contact")


_RULES = (_health, _momentum, _renewal, _tickets, _nps, _sentiment, _silence)


def churn_risk(customer: CustomerDTO) -> ChurnEstimate:
    """The heuristic churn probability of one account as of its DTO's day."""
    if customer.lifecycle == "churned":
        return ChurnEstimate(1.0, (ChurnFactor("Already churned", 0.0, "lifecycle churned"),))
    factors = [f for rule in _RULES if (f := rule(customer)) is not None]
    factors.sort(key=lambda f: -f.effect)
    log_odds = BASE_LOG_ODDS + sum(f.effect for f in factors)
    return ChurnEstimate(1.0 / (1.0 + math.exp(-log_odds)), tuple(factors))
