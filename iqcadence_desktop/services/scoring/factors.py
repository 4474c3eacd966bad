"""The signal model (S2): named factors that adjust the weighted average, within bounds.

The weighted average reads each signal on its own. A few patterns only show when
signals are read together or over time; each is a factor with a written rule, a bounded
adjustment in points and a switch in Settings (all off until switched on, so a new
database scores exactly as the weighted average). How factors enter the score:

    score = clamp(weighted average + clamp(Σ factor points, −MAX_TOTAL, +MAX_TOTAL), 0, 100)

- a factor only adds to a score that exists (an unscored account stays unscored) and a
  manual score replaces everything, factors included;
- each factor's own bound is in FACTOR_BOUNDS, and all together move a score by at most
  MAX_TOTAL points, so the weighted average still carries the score;
- every applied factor is listed in the explanation with its points and the values
  behind it, so the score stays explainable; a factor that is off contributes nothing.

The rules are written once, over numpy columns (`factor_points`), and the explanation
text is produced from the same inputs (`describe`); docs/scoring.md prints the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

FACTORS: tuple[str, ...] = (
    "engagement_depth",
    "silent_churn",
    "renewal_gravity",
    "sentiment_trajectory",
    "momentum",
    "ticket_trend",
)
FACTOR_LABELS: dict[str, str] = {
    "engagement_depth": "Engagement depth",
    "silent_churn": "Silent churn",
    "renewal_gravity": "Renewal gravity",
    "sentiment_trajectory": "Sentiment trajectory",
    "momentum": "Momentum",
    "ticket_trend": "Ticket trend",
}
#: (lowest, highest) points each factor can add.
FACTOR_BOUNDS: dict[str, tuple[float, float]] = {
    "engagement_depth": (-4.0, 3.0),
    "silent_churn": (-8.0, 0.0),
    "renewal_gravity": (0.0, 4.0),
    "sentiment_trajectory": (-5.0, 3.0),
    "momentum": (-5.0, 5.0),
    "ticket_trend": (-5.0, 2.0),
}
FACTOR_RULES: dict[str, str] = {
    "engagement_depth": (
        "Logins at 60 % or more of the login saturation: +3 when feature adoption is 60 % "
        "or more (deep use), −4 when it is under 30 % (shallow use). Logins under 20 % of "
        "the saturation with adoption of 60 % or more: −2 (set up, little used)."
    ),
    "silent_churn": (
        "Logins fell by 30 % or more against the snapshot about 30 days earlier, there is "
        "no open ticket and no contact for at least the 'quiet after' days: −(2 + 10 × the "
        "share lost) points, at most −8."
    ),
    "renewal_gravity": (
        "Renewal within the 'upcoming' window, a weighted average in the Healthy band or "
        "above and no fall over 7 days: up to +4, more the closer the date. It never "
        "lowers a score (renewal dates never do)."
    ),
    "sentiment_trajectory": (
        "The last two sentiment readings (within 180 days): better by one step +2, by two "
        "+3; worse by one step −3, by two −5; negative twice running −2."
    ),
    "momentum": (
        "The weighted average moved at least the momentum threshold over 7 days (from "
        "the snapshot's signals): 0.3 points per point of change, between −5 and +5."
    ),
    "ticket_trend": (
        "Open tickets against about 30 days earlier: up by 2 or more −(1 + the rise), at "
        "most −5; down by 2 or more +2."
    ),
}
#: All factors together move a score by at most this many points either way.
MAX_TOTAL = 15.0
SENTIMENT_LEVEL = {"negative": -1.0, "neutral": 0.0, "positive": 1.0}


@dataclass(frozen=True)
class FactorInputs:
    """Columns the rules read (NaN = unknown), one row per account."""

    base: FloatArray  # the weighted average now
    logins: FloatArray
    adoption: FloatArray
    tickets: FloatArray
    days_quiet: FloatArray
    base_week_ago: FloatArray  # the weighted average of the snapshot ~7 days back
    logins_then: FloatArray  # logins in the snapshot ~30 days back
    tickets_then: FloatArray
    renewal_days: FloatArray
    sentiment_last: FloatArray  # -1 negative, 0 neutral, +1 positive
    sentiment_before: FloatArray

    def row(self, i: int) -> dict[str, float]:
        return {name: float(getattr(self, name)[i]) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class FactorSettings:
    """What the rules need from the scoring configuration."""

    login_saturation: float = 30.0
    quiet_after_days: float = 30.0
    momentum_points: float = 10.0
    healthy_from: float = 65.0
    upcoming_days: float = 90.0


@dataclass(frozen=True)
class FactorEffect:
    """One factor's part in a score: points (signed) and the values behind them."""

    factor: str
    points: float
    detail: str

    @property
    def label(self) -> str:
        return FACTOR_LABELS[self.factor]

    def text(self) -> str:
        """'Silent churn −6: logins down 40 % in 30 days, no ticket, ...'"""
        return f"{self.label} {signed_points(self.points)}: {self.detail}"


def signed_points(points: float) -> str:
    whole = round(points)
    if abs(points - whole) > 0.05:
        return f"+{points:.1f}" if points > 0 else f"−{abs(points):.1f}"
    return f"+{whole}" if whole > 0 else ("0" if whole == 0 else f"−{abs(whole)}")


def _known(*columns: FloatArray) -> FloatArray:
    mask = np.ones(len(columns[0]), dtype=bool)
    for c in columns:
        mask &= ~np.isnan(c)
    return mask.astype(float)


def _engagement(x: FactorInputs, s: FactorSettings) -> FloatArray:
    with np.errstate(invalid="ignore"):
        use = x.logins / s.login_saturation
        busy, idle = use >= 0.6, use < 0.2
        deep, shallow = x.adoption >= 60, x.adoption < 30
    points = np.where(busy & deep, 3.0, np.where(busy & shallow, -4.0, 0.0))
    points = np.where(idle & deep, -2.0, points)
    return points * _known(x.logins, x.adoption)


def _silent(x: FactorInputs, s: FactorSettings) -> FloatArray:
    with np.errstate(invalid="ignore", divide="ignore"):
        before = np.where(x.logins_then > 0, x.logins_then, np.nan)
        lost = np.clip((before - x.logins) / before, 0.0, 1.0)
        hit = (lost >= 0.3) & (x.tickets == 0) & (x.days_quiet >= s.quiet_after_days)
    points = -np.minimum(8.0, 2.0 + 10.0 * np.nan_to_num(lost))
    return np.where(hit, points, 0.0)


def _renewal(x: FactorInputs, s: FactorSettings) -> FloatArray:
    with np.errstate(invalid="ignore"):
        near = (x.renewal_days >= 0) & (x.renewal_days <= s.upcoming_days)
        steady = np.isnan(x.base_week_ago) | (x.base >= x.base_week_ago)
        hit = near & (x.base >= s.healthy_from) & steady
    points = np.maximum(
        1.0, np.round(4.0 * (1.0 - np.nan_to_num(x.renewal_days) / s.upcoming_days))
    )
    return np.where(hit, points, 0.0)


def _sentiment(x: FactorInputs, s: FactorSettings) -> FloatArray:
    step = x.sentiment_last - x.sentiment_before
    table = {-2.0: -5.0, -1.0: -3.0, 1.0: 2.0, 2.0: 3.0}
    points = np.zeros(len(step))
    for change, value in table.items():
        points = np.where(step == change, value, points)
    both_negative = (x.sentiment_last == -1) & (x.sentiment_before == -1)
    return np.where(both_negative, -2.0, points)


def _momentum(x: FactorInputs, s: FactorSettings) -> FloatArray:
    change = x.base - x.base_week_ago
    with np.errstate(invalid="ignore"):
        hit = np.abs(change) >= s.momentum_points
    return np.where(hit, np.clip(0.3 * np.nan_to_num(change), -5.0, 5.0), 0.0)


def _tickets(x: FactorInputs, s: FactorSettings) -> FloatArray:
    rise = x.tickets - x.tickets_then
    with np.errstate(invalid="ignore"):
        up, down = rise >= 2, rise <= -2
    return np.where(up, -np.minimum(5.0, 1.0 + np.nan_to_num(rise)), np.where(down, 2.0, 0.0))


_RULES = {
    "engagement_depth": _engagement,
    "silent_churn": _silent,
    "renewal_gravity": _renewal,
    "sentiment_trajectory": _sentiment,
    "momentum": _momentum,
    "ticket_trend": _tickets,
}


def enabled_factors(switches: Mapping[str, bool]) -> tuple[str, ...]:
    return tuple(f for f in FACTORS if switches.get(f, False))


def factor_points(
    x: FactorInputs, enabled: tuple[str, ...], settings: FactorSettings
) -> FloatArray:
    """Points of each enabled factor (rows × len(enabled)); 0 where a rule does not apply
    or the account has no weighted average to adjust."""
    out = np.zeros((len(x.base), len(enabled)))
    scored = ~np.isnan(x.base)
    for i, name in enumerate(enabled):
        low, high = FACTOR_BOUNDS[name]
        # NaN (unknown) flows through the comparisons as "does not apply"; the warnings
        # numpy raises for it (and for absurd inputs) say nothing new.
        with np.errstate(all="ignore"):
            raw = _RULES[name](x, settings)
        out[:, i] = np.where(scored, np.clip(np.nan_to_num(raw), low, high), 0.0)
    return out


def adjusted(base: FloatArray, points: FloatArray) -> FloatArray:
    """The score after factors: total kept within ±MAX_TOTAL, score within 0-100."""
    if points.shape[1] == 0:
        return base
    total = np.clip(points.sum(axis=1), -MAX_TOTAL, MAX_TOTAL)
    out: FloatArray = np.where(np.isnan(base), np.nan, np.clip(base + total, 0.0, 100.0))
    return out


def describe(factor: str, x: dict[str, float], settings: FactorSettings) -> str:
    """The values behind one factor's points, in plain words."""
    return _TEXTS[factor](x, settings)


def _pct(value: float) -> str:
    return f"{value:.0f} %"


def _engagement_text(x: dict[str, float], s: FactorSettings) -> str:
    logins, adoption = int(x["logins"]), x["adoption"]
    if logins < 0.2 * s.login_saturation:
        return f"{_pct(adoption)} of features set up but only {logins} logins in 30 days"
    if adoption >= 60:
        return f"deep use: {logins} logins and {_pct(adoption)} of features"
    return f"shallow use: {logins} logins but only {_pct(adoption)} of features"


def _silent_text(x: dict[str, float], s: FactorSettings) -> str:
    lost = (x["logins_then"] - x["logins"]) / x["logins_then"]
    return (
        f"logins down {lost * 100:.0f} % in 30 days, no open ticket, no contact in "
        f"{int(x['days_quiet'])} days"
    )


def _renewal_text(x: dict[str, float], s: FactorSettings) -> str:
    return f"renews in {int(x['renewal_days'])} days in good health, not falling"


def _sentiment_text(x: dict[str, float], s: FactorSettings) -> str:
    names = {v: k for k, v in SENTIMENT_LEVEL.items()}
    before, last = names[x["sentiment_before"]], names[x["sentiment_last"]]
    if before == last:
        return f"sentiment {last} in the last two readings"
    return f"sentiment went from {before} to {last}"


def _momentum_text(x: dict[str, float], s: FactorSettings) -> str:
    change = x["base"] - x["base_week_ago"]
    verb = "rose" if change > 0 else "fell"
    return f"the weighted average {verb} {abs(change):.0f} points in 7 days"


def _tickets_text(x: dict[str, float], s: FactorSettings) -> str:
    then, now = int(x["tickets_then"]), int(x["tickets"])
    verb = "up" if now > then else "down"
    return f"open tickets {verb} from {then} to {now} in 30 days"


_TEXTS = {
    "engagement_depth": _engagement_text,
    "silent_churn": _silent_text,
    "renewal_gravity": _renewal_text,
    "sentiment_trajectory": _sentiment_text,
    "momentum": _momentum_text,
    "ticket_trend": _tickets_text,
}


def effects_for_row(
    x: FactorInputs, i: int, enabled: tuple[str, ...], settings: FactorSettings
) -> tuple[FactorEffect, ...]:
    """The applied factors of row i, largest effect first (for one explanation)."""
    one = FactorInputs(**{k: v[i : i + 1] for k, v in vars(x).items()})
    points = factor_points(one, enabled, settings)[0]
    row = one.row(0)
    found = [
        FactorEffect(name, float(p), describe(name, row, settings))
        for name, p in zip(enabled, points.tolist(), strict=True)
        if p != 0
    ]
    found.sort(key=lambda e: -abs(e.points))
    return tuple(found)
