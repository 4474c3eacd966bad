"""Derived account state (S3): cadence, renewal window, revenue and priority.

All pure functions of a customer's stored fields, its score and the day. The priority
formula is explained in docs/scoring.md; keep the two in step.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

from iqcadence_desktop.services.scoring.config import ScoringConfig

CADENCE_STATES = ("ok", "due_soon", "overdue", "unknown")
RENEWAL_WINDOWS = ("lapsed", "critical", "warning", "upcoming", "later", "none")


def days_since(day: dt.date | None, as_of: dt.date) -> int | None:
    """Whole days from `day` to `as_of`, never negative (a future date counts as today)."""
    if day is None:
        return None
    return max(0, (as_of - day).days)


def days_until(day: dt.date | None, as_of: dt.date) -> int | None:
    return None if day is None else (day - as_of).days


def cadence_status(
    tier: str | None,
    days_since_contact: int | None,
    config: ScoringConfig,
    touch_missed: bool = False,
) -> str:
    """'ok', 'due_soon', 'overdue' against the tier's cadence, or 'unknown' (no contact date).

    `touch_missed`: the planned next touch is a past day, so the account is overdue
    whatever the cadence says (it is never "on track" with a touch left undone).
    """
    if touch_missed:
        return "overdue"
    if days_since_contact is None:
        return "unknown"
    rule = config.cadence_for(tier)
    if days_since_contact >= rule.overdue:
        return "overdue"
    return "due_soon" if days_since_contact >= rule.due_soon else "ok"


def renewal_window(days_to_renewal: int | None, config: ScoringConfig) -> str:
    """Which renewal window the account is in; 'lapsed' once the date has passed."""
    if days_to_renewal is None:
        return "none"
    w = config.renewal
    if days_to_renewal < 0:
        return "lapsed"
    if days_to_renewal <= w.critical:
        return "critical"
    if days_to_renewal <= w.warning:
        return "warning"
    return "upcoming" if days_to_renewal <= w.upcoming else "later"


def months_to_renewal(renewal: dt.date | None, as_of: dt.date) -> int | None:
    """Whole calendar months until renewal (0 within the last month, negative when past)."""
    if renewal is None:
        return None
    months = (renewal.year - as_of.year) * 12 + renewal.month - as_of.month
    if renewal >= as_of and renewal.day < as_of.day:
        months -= 1
    elif renewal < as_of and renewal.day > as_of.day:
        months += 1
    return months


def expansion_estimate_cents(status: str, mrr_cents: int | None, config: ScoringConfig) -> int:
    """Upsell estimate for Expansion-band accounts; 0 for everyone else."""
    if status != "expansion":
        return 0
    if config.expansion_method == "flat":
        return config.expansion_flat_cents
    pct = Decimal(str(config.expansion_percent)) / 100
    return int((Decimal(mrr_cents or 0) * pct).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def is_at_risk(status: str) -> bool:
    return status in ("at_risk", "critical")


def priority_score(
    score: float | None,
    mrr_cents: int | None,
    days_to_renewal: int | None,
    momentum: float | None,
    lifecycle: str,
) -> float:
    """0-100: how much this account needs attention now (see docs/scoring.md)."""
    if lifecycle == "churned":
        return 0.0
    risk = 0.5 if score is None else (100.0 - score) / 100.0
    revenue = min(1.0, math.log10(1.0 + (mrr_cents or 0) / 100.0) / 5.0)
    if days_to_renewal is None:
        renewal = 0.0
    elif days_to_renewal < 0:
        renewal = 1.0
    else:
        renewal = max(0.0, 1.0 - days_to_renewal / 180.0)
    decline = 0.0 if momentum is None else min(1.0, max(0.0, -momentum / 20.0))
    return round(100.0 * (0.40 * risk + 0.25 * revenue + 0.20 * renewal + 0.15 * decline), 1)
