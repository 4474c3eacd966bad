"""The sample portfolio's churn, planted by a known rule so a fitted model can be checked.

Each account has one decision day, drawn at random from its history. On that day its
chance of churning within the next PLANTED_HORIZON days is

    log-odds = PLANTED_BASE + LOGIN_EFFECT × (logins − 20) + TIER_EFFECT[tier]

read from the very signals its history shows that day; an account that churns does so
exactly PLANTED_HORIZON days later (its lifecycle becomes churned and its last change is
that day). Nothing else about churn is random, so a model fitted with the same horizon
should find fewer logins raising the risk, and SMB accounts churning more than
Enterprise ones by about TIER_EFFECT["smb"] − TIER_EFFECT["enterprise"] in log-odds (tier
is drawn independently of health, so its effect is not shared with other signals;
tests/services/model/test_planted_churn.py).
A history shorter than 30 days keeps the old, random churned accounts.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from typing import Any

PLANTED_HORIZON = 90
PLANTED_BASE = -1.7
LOGIN_EFFECT = -0.06  # log-odds per login above or below 20
TIER_EFFECT = {"smb": 0.8, "mid": 0.0, "enterprise": -1.2}
MIN_DAYS = 30

#: Signals of one account on one day: (plan, frac of the history, day) -> SIGNAL_COLUMNS row.
SignalsOn = Callable[[dict[str, Any], float, dt.date, bool], tuple[Any, ...]]


def planted_log_odds(logins: int | None, tier: str | None) -> float:
    """The planted rule (a missing value counts as average: no effect)."""
    effect = 0.0 if logins is None else LOGIN_EFFECT * (logins - 20)
    return PLANTED_BASE + effect + TIER_EFFECT.get(tier or "mid", 0.0)


def horizon_for(days: int) -> int:
    """The planted horizon for a history of `days` days (shorter histories, shorter)."""
    return min(PLANTED_HORIZON, (days - 1) // 2)


def plant_churn(
    plans: list[dict[str, Any]],
    today: dt.date,
    days: int,
    seed: int,
    signals_on: SignalsOn,
) -> None:
    """Decide, by the planted rule, which accounts churned and when (plans in place)."""
    if days < MIN_DAYS:
        return
    horizon = horizon_for(days)
    first = today.toordinal() - days + 1
    rng = random.Random(f"churn-{seed}")
    for plan in plans:
        row = plan["row"]
        if row["lifecycle"] == "churned":
            row["lifecycle"] = "active"  # churn comes from the rule alone
        decision = rng.randint(first, today.toordinal() - horizon)
        frac = (decision - first) / max(days - 1, 1)
        day = dt.date.fromordinal(decision)
        signals = signals_on(plan, frac, day, False)
        odds = planted_log_odds(signals[1], row["tier"])
        if rng.random() < 1.0 / (1.0 + math.exp(-odds)):
            gone = day + dt.timedelta(days=horizon)
            row["lifecycle"] = "churned"
            row["updated_at"] = dt.datetime.combine(gone, dt.time(9))
