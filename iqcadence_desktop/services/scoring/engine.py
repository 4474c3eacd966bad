"""The scoring engine (S2): pure functions, no database, no clock.

Each signal maps to 0-100 points; the health score is the weighted average over the
signals that are present and have weight, with the remaining weights renormalised. The
score is kept unrounded and shown, banded and compared as the whole number rounded half
up. `explain` gives the per-signal breakdown; `score_arrays` is the same arithmetic over
numpy columns for bulk rescoring (a test keeps the two in step).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from iqcadence_desktop.services.scoring.factors import MAX_TOTAL, FactorEffect

SIGNALS: tuple[str, ...] = ("logins", "adoption", "tickets", "nps", "csat", "days", "growth")


class Status(StrEnum):
    """An account's health status: one of the five bands (S2), or unscored.

    Stored and exported as the value ("at_risk"); `unscored` is never a colour of health.
    """

    CRITICAL = "critical"
    AT_RISK = "at_risk"
    WATCH = "watch"
    HEALTHY = "healthy"
    EXPANSION = "expansion"
    UNSCORED = "unscored"


class Growth(StrEnum):
    """The growth signal (S2): strong 100, mild 60, none 20; `na` is left out of the score."""

    STRONG = "strong"
    MILD = "mild"
    NONE = "none"
    NA = "na"


#: The five bands, worst first (every status but unscored).
BANDS: tuple[Status, ...] = tuple(s for s in Status if s is not Status.UNSCORED)
UNSCORED = Status.UNSCORED
GROWTH_VALUES: tuple[Growth, ...] = tuple(Growth)
SIGNAL_LABELS: dict[str, str] = {
    "logins": "Logins (30 d)",
    "adoption": "Feature adoption",
    "tickets": "Open tickets",
    "nps": "NPS",
    "csat": "CSAT",
    "days": "Days since contact",
    "growth": "Growth",
}
BAND_LABELS: dict[str, str] = {
    Status.CRITICAL: "Critical",
    Status.AT_RISK: "At Risk",
    Status.WATCH: "Watch",
    Status.HEALTHY: "Healthy",
    Status.EXPANSION: "Expansion",
    Status.UNSCORED: "Unscored",
}

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SignalParams:
    """Saturation points and category values that turn raw signals into points."""

    login_saturation: int = 30
    ticket_saturation: int = 5
    contact_saturation: int = 180
    nps_promoter: float = 100.0
    nps_passive: float = 50.0
    nps_detractor: float = 0.0
    growth_strong: float = 100.0
    growth_mild: float = 60.0
    growth_none: float = 20.0


@dataclass(frozen=True)
class BandThresholds:
    """Lower bound (inclusive, on the shown score) of each band above Critical."""

    at_risk: int = 25
    watch: int = 50
    healthy: int = 65
    expansion: int = 80


@dataclass(frozen=True)
class SignalValues:
    """Raw signal values; None means 'no data'. `days` is already as of the scoring day."""

    logins: int | None = None
    adoption: float | None = None
    tickets: int | None = None
    nps: int | None = None
    csat: int | None = None
    days: int | None = None
    growth: str | None = None

    def get(self, signal: str) -> int | float | str | None:
        value: int | float | str | None = getattr(self, signal)
        return value


@dataclass(frozen=True)
class Contribution:
    """One signal's part in a score."""

    signal: str
    value: int | float | str | None
    points: float | None
    weight: float
    effective_weight: float
    contribution: float


@dataclass(frozen=True)
class ScoreResult:
    """A score with its explanation. `score` is None when no signal could be scored.

    `factors` are the signal-model factors that adjusted the weighted average (each
    with its points and the values behind it); `score` already includes them.
    """

    score: float | None
    coverage: float
    contributions: tuple[Contribution, ...]
    manual: bool = False
    factors: tuple[FactorEffect, ...] = ()

    @property
    def shown_score(self) -> int | None:
        return shown_score(self.score)

    @property
    def weighted_average(self) -> float | None:
        """The score before factors (the sum of the signal contributions)."""
        if not any(c.effective_weight for c in self.contributions):
            return None
        return sum(c.contribution for c in self.contributions)

    @property
    def factor_total(self) -> float:
        """What the factors added, after the ±MAX_TOTAL and 0-100 bounds."""
        base = self.weighted_average
        if base is None or self.manual or not self.factors:
            return 0.0
        return (self.score or 0.0) - base


#: Decimal places a score is cleaned to before rounding, so float noise from summing
#: weighted parts in a different order (24.499999999999996) cannot flip a band edge.
SCORE_PRECISION = 9


def shown_score(score: float | None) -> int | None:
    """Round half up: 24.5 is shown (and banded) as 25."""
    if score is None:
        return None
    return int(math.floor(round(score, SCORE_PRECISION) + 0.5))


def band_for(score: float | None, thresholds: BandThresholds = BandThresholds()) -> Status:
    """The band of a score, judged on its shown (rounded) value."""
    shown = shown_score(score)
    if shown is None:
        return Status.UNSCORED
    if shown >= thresholds.expansion:
        return Status.EXPANSION
    if shown >= thresholds.healthy:
        return Status.HEALTHY
    if shown >= thresholds.watch:
        return Status.WATCH
    if shown >= thresholds.at_risk:
        return Status.AT_RISK
    return Status.CRITICAL


def nps_category(nps: int | None) -> str | None:
    if nps is None:
        return None
    if nps >= 9:
        return "promoter"
    return "passive" if nps >= 7 else "detractor"


def signal_points(
    signal: str, value: int | float | str | None, params: SignalParams = SignalParams()
) -> float | None:
    """Points (0-100) for one signal value, or None when it is missing or excluded."""
    if value is None:
        return None
    if signal == "growth":
        return {
            "strong": params.growth_strong,
            "mild": params.growth_mild,
            "none": params.growth_none,
        }.get(str(value))
    number = float(value)
    if signal == "logins":
        return min(number / params.login_saturation, 1.0) * 100.0
    if signal == "adoption":
        return min(max(number, 0.0), 100.0)
    if signal == "tickets":
        return max(0.0, 1.0 - number / params.ticket_saturation) * 100.0
    if signal == "nps":
        category = nps_category(int(number))
        return {"promoter": params.nps_promoter, "passive": params.nps_passive}.get(
            str(category), params.nps_detractor
        )
    if signal == "csat":
        return (number - 1.0) / 4.0 * 100.0
    if signal == "days":
        return max(0.0, 1.0 - number / params.contact_saturation) * 100.0
    raise ValueError(f"unknown signal {signal!r}")


def explain(
    values: SignalValues, weights: Mapping[str, float], params: SignalParams = SignalParams()
) -> ScoreResult:
    """Score one customer and say how each signal contributed."""
    points = {s: signal_points(s, values.get(s), params) for s in SIGNALS}
    configured = {s: float(weights.get(s, 0.0)) for s in SIGNALS}
    total = sum(w for w in configured.values() if w > 0)
    present = sum(w for s, w in configured.items() if w > 0 and points[s] is not None)
    parts = []
    for s in SIGNALS:
        counted = present and points[s] is not None and configured[s] > 0
        eff = configured[s] / present if counted else 0.0
        parts.append(
            Contribution(s, values.get(s), points[s], configured[s], eff, (points[s] or 0.0) * eff)
        )
    score = sum(p.contribution for p in parts) if present else None
    coverage = present / total if total else 0.0
    return ScoreResult(score, coverage, tuple(parts))


def with_override(result: ScoreResult, override: float | None) -> ScoreResult:
    """A manual score replaces the computed one but keeps the explanation beside it."""
    if override is None:
        return result
    return ScoreResult(float(override), result.coverage, result.contributions, True, result.factors)


def with_factors(result: ScoreResult, effects: tuple[FactorEffect, ...]) -> ScoreResult:
    """The weighted average adjusted by factors, bounded as `factors.adjusted` does."""
    if result.score is None or not effects:
        return result
    total = min(MAX_TOTAL, max(-MAX_TOTAL, sum(e.points for e in effects)))
    score = min(100.0, max(0.0, result.score + total))
    return ScoreResult(score, result.coverage, result.contributions, result.manual, effects)


def momentum(current: float | None, week_ago: float | None) -> float | None:
    """Score change over the last 7 days; None without both ends."""
    if current is None or week_ago is None:
        return None
    return current - week_ago


def auto_lifecycle(lifecycle: str, status: str) -> str:
    """Active accounts that fall to At Risk/Critical become atrisk, and back again."""
    if lifecycle == "active" and status in ("at_risk", "critical"):
        return "atrisk"
    if lifecycle == "atrisk" and status in ("watch", "healthy", "expansion"):
        return "active"
    return lifecycle


def points_arrays(columns: Mapping[str, FloatArray], params: SignalParams) -> dict[str, FloatArray]:
    """Vectorised `signal_points`: NaN in, NaN out. Growth is coded 0 none, 1 mild, 2 strong."""
    with np.errstate(invalid="ignore"):
        nps = columns["nps"]
        growth = columns["growth"]
        return {
            "logins": np.minimum(columns["logins"] / params.login_saturation, 1.0) * 100.0,
            "adoption": np.clip(columns["adoption"], 0.0, 100.0),
            "tickets": np.maximum(0.0, 1.0 - columns["tickets"] / params.ticket_saturation) * 100.0,
            "nps": np.where(
                np.isnan(nps),
                np.nan,
                np.where(
                    nps >= 9,
                    params.nps_promoter,
                    np.where(nps >= 7, params.nps_passive, params.nps_detractor),
                ),
            ),
            "csat": (columns["csat"] - 1.0) / 4.0 * 100.0,
            "days": np.maximum(0.0, 1.0 - columns["days"] / params.contact_saturation) * 100.0,
            "growth": np.select(
                [growth == 2, growth == 1, growth == 0],
                [params.growth_strong, params.growth_mild, params.growth_none],
                np.nan,
            ),
        }


def score_arrays(
    columns: Mapping[str, FloatArray],
    weights: Mapping[str, float],
    params: SignalParams = SignalParams(),
) -> tuple[FloatArray, FloatArray]:
    """Scores (NaN when unscored) and coverages for many customers at once."""
    pts = points_arrays(columns, params)
    n = len(columns["logins"])
    weighted = np.zeros(n)
    present = np.zeros(n)
    total = sum(w for w in weights.values() if w > 0)
    for s in SIGNALS:
        w = float(weights.get(s, 0.0))
        if w <= 0:
            continue
        has = ~np.isnan(pts[s])
        weighted += np.where(has, pts[s], 0.0) * w
        present += np.where(has, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = np.where(present > 0, weighted / present, np.nan)
    coverage = present / total if total else np.zeros(n)
    return scores, coverage


GROWTH_CODES: dict[str | None, float] = {"none": 0.0, "mild": 1.0, "strong": 2.0}
