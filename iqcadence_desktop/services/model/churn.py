"""The churn prior: a judgement heuristic, shrunk towards the portfolio's base rate.

When there is too little churn history to fit a model (model/service.py), the churn
figure comes from here (docs/churn-model.md prints the rule; keep the two in step). The
heuristic adds log-odds from a few readable factors; the prior keeps the heuristic's
ranking but halves its effects (SHRINK) and starts from the portfolio's own churn rate
over the horizon when one can be measured, so it does not read high. Every estimate
can be taken apart factor by factor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol


class PriorInputs(Protocol):
    """What the prior reads about an account (a CustomerDTO has all of it)."""

    @property
    def shown_score(self) -> int | None: ...
    @property
    def momentum(self) -> float | None: ...
    @property
    def days_until_renewal(self) -> int | None: ...
    @property
    def open_tickets(self) -> int | None: ...
    @property
    def nps(self) -> int | None: ...
    @property
    def sentiment(self) -> str | None: ...
    @property
    def days_since_contact(self) -> int | None: ...
    @property
    def lifecycle(self) -> str: ...


#: Log-odds of an average account with nothing notable: about 8 % churn probability.
BASE_LOG_ODDS = -2.5
#: The prior keeps this share of each heuristic effect (judgement, not fitted: halved).
SHRINK = 0.5
DEFAULT_HORIZON = 90
#: The name of the line that sums the many tiny terms of a fitted model's explanation.
SMALLER_FACTORS = "Smaller factors"
METHOD_NOTE = (
    "Churn risk comes from the documented prior (health score, momentum, renewal "
    "proximity, tickets, NPS, sentiment, contact; judgement weights halved and started "
    "from the portfolio's own churn rate), not from a model fitted on this portfolio's "
    "history."
)


@dataclass(frozen=True)
class ChurnFactor:
    """One contribution in log-odds (positive raises the risk) and why."""

    name: str
    effect: float
    detail: str


@dataclass(frozen=True)
class ChurnEstimate:
    """A churn probability within `horizon_days` and its contributing factors (log-odds
    that add up, with `base`, to the probability's logit), largest effect first.
    `method` is "fitted" (a model of this portfolio's history) or "prior"."""

    probability: float
    factors: tuple[ChurnFactor, ...]
    horizon_days: int = DEFAULT_HORIZON
    method: str = "prior"
    base: float = BASE_LOG_ODDS

    def top_reasons(self, n: int = 2) -> str:
        named = (f for f in self.factors if f.effect > 0 and f.name != SMALLER_FACTORS)
        raising = [f.name for f in named][:n]
        return ", ".join(raising) or "nothing notable"

    @property
    def horizon_text(self) -> str:
        """'chance of churning within 90 days'"""
        return f"chance of churning within {self.horizon_days} days"


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _health(c: PriorInputs) -> ChurnFactor | None:
    if c.shown_score is None:
        return ChurnFactor("No health score", 0.5, "no signal could be scored")
    effect = _clamp((65 - c.shown_score) / 15, -1.0, 3.0)
    return ChurnFactor("Health score", effect, f"score {c.shown_score}")


def _momentum(c: PriorInputs) -> ChurnFactor | None:
    if c.momentum is None or abs(c.momentum) < 1:
        return None
    effect = _clamp(-c.momentum / 10 * 0.6, -0.6, 1.2)
    return ChurnFactor("Momentum", effect, f"{c.momentum:+.0f} points in 7 days")


def _renewal(c: PriorInputs) -> ChurnFactor | None:
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


def _tickets(c: PriorInputs) -> ChurnFactor | None:
    if c.open_tickets is None or c.open_tickets < 3:
        return None
    return ChurnFactor(
        "Open tickets", min(1.0, 0.3 * (c.open_tickets - 2)), f"{c.open_tickets} open tickets"
    )


def _nps(c: PriorInputs) -> ChurnFactor | None:
    if c.nps is None or 7 <= c.nps <= 8:
        return None
    if c.nps <= 6:
        return ChurnFactor("Detractor NPS", 0.7, f"NPS {c.nps}")
    return ChurnFactor("Promoter NPS", -0.5, f"NPS {c.nps}")


def _sentiment(c: PriorInputs) -> ChurnFactor | None:
    if c.sentiment == "negative":
        return ChurnFactor("Negative sentiment", 0.6, "last sentiment negative")
    if c.sentiment == "positive":
        return ChurnFactor("Positive sentiment", -0.4, "last sentiment positive")
    return None


def _silence(c: PriorInputs) -> ChurnFactor | None:
    if c.days_since_contact is None or c.days_since_contact <= 60:
        return None
    return ChurnFactor("Long silence", 0.5, f"{c.days_since_contact} days since contact")


_RULES = (_health, _momentum, _renewal, _tickets, _nps, _sentiment, _silence)


def churn_risk(customer: PriorInputs) -> ChurnEstimate:
    """The raw heuristic churn probability of one account as of its DTO's day."""
    return prior_estimate(customer, None, DEFAULT_HORIZON, shrink=1.0)


def logit(p: float) -> float:
    q = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(q / (1 - q))


def prior_estimate(
    customer: PriorInputs, base_rate: float | None, horizon: int, shrink: float = SHRINK
) -> ChurnEstimate:
    """The prior: heuristic effects × `shrink`, from the base rate (or the heuristic's)."""
    base = BASE_LOG_ODDS if base_rate is None else logit(base_rate)
    if customer.lifecycle == "churned":
        return ChurnEstimate(
            1.0, (ChurnFactor("Already churned", 0.0, "lifecycle churned"),), horizon, "prior", base
        )
    factors = [
        ChurnFactor(f.name, f.effect * shrink, f.detail)
        for rule in _RULES
        if (f := rule(customer)) is not None
    ]
    factors.sort(key=lambda f: -f.effect)
    log_odds = base + sum(f.effect for f in factors)
    probability = 1.0 / (1.0 + math.exp(-log_odds))
    return ChurnEstimate(probability, tuple(factors), horizon, "prior", base)
