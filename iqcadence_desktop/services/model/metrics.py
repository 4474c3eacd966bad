"""How good a probability is: AUC, Brier score, calibration error, reliability, lift.

All take predicted probabilities `p` (0-1) and outcomes `y` (0/1) as numpy arrays.
- AUC: the chance a random churned account gets a higher figure than a random retained
  one (ties count half); 0.5 is a coin toss, 1.0 perfect ranking.
- Brier score: the mean squared gap between the figure and what happened; lower is
  better, and always predicting the base rate r scores r(1 − r).
- Expected calibration error (ECE): predictions sorted into 10 equal-width bins
  (0-10 %, ..., 90-100 %); the row-weighted mean gap between the average prediction and
  the churn rate observed in each bin.
- Lift of the top decile: the churn rate among the 10 % of accounts with the highest
  figure, divided by the overall churn rate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iqcadence_desktop.services.model.binning import FloatArray

ECE_BINS = 10


def auc(p: FloatArray, y: FloatArray) -> float | None:
    """Area under the ROC curve (rank form, ties averaged); None without both classes."""
    positives = int(np.sum(y == 1))
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    # Average rank over runs of equal predictions.
    starts = np.flatnonzero(np.r_[True, sorted_p[1:] != sorted_p[:-1]])
    ends = np.r_[starts[1:], len(p)]
    average = (starts + ends + 1) / 2.0
    ranks[order] = np.repeat(average, ends - starts)
    total = float(np.sum(ranks[y == 1]))
    return (total - positives * (positives + 1) / 2.0) / (positives * negatives)


def brier(p: FloatArray, y: FloatArray) -> float:
    return float(np.mean((p - y) ** 2))


@dataclass(frozen=True)
class ReliabilityBin:
    """One bar of a reliability diagram: predictions in [low, high)."""

    low: float
    high: float
    rows: int
    mean_predicted: float | None
    observed_rate: float | None


def reliability(p: FloatArray, y: FloatArray, bins: int = ECE_BINS) -> list[ReliabilityBin]:
    index = np.minimum((p * bins).astype(np.int64), bins - 1)
    out = []
    for b in range(bins):
        mask = index == b
        n = int(mask.sum())
        out.append(
            ReliabilityBin(
                b / bins,
                (b + 1) / bins,
                n,
                float(p[mask].mean()) if n else None,
                float(y[mask].mean()) if n else None,
            )
        )
    return out


def ece(p: FloatArray, y: FloatArray, bins: int = ECE_BINS) -> float:
    total = len(p)
    if not total:
        return 0.0
    return sum(
        r.rows / total * abs(r.mean_predicted - r.observed_rate)
        for r in reliability(p, y, bins)
        if r.rows and r.mean_predicted is not None and r.observed_rate is not None
    )


def top_decile_lift(p: FloatArray, y: FloatArray) -> float | None:
    """Churn rate in the top 10 % by prediction ÷ the overall churn rate."""
    base = float(np.mean(y)) if len(y) else 0.0
    if base == 0 or len(p) < 10:
        return None
    top = np.argsort(-p, kind="mergesort")[: max(1, len(p) // 10)]
    return float(np.mean(y[top])) / base


def log_loss(p: FloatArray, y: FloatArray) -> float:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))


@dataclass(frozen=True)
class Scorecard:
    """The headline metrics of one set of predictions."""

    rows: int
    positives: int
    auc: float | None
    brier: float
    ece: float
    lift: float | None
    log_loss: float

    def to_json(self) -> dict[str, object]:
        return {
            "rows": self.rows,
            "positives": self.positives,
            "auc": self.auc,
            "brier": self.brier,
            "ece": self.ece,
            "lift_top_decile": self.lift,
            "log_loss": self.log_loss,
        }


def scorecard(p: FloatArray, y: FloatArray) -> Scorecard:
    return Scorecard(
        len(y),
        int(np.sum(y)),
        auc(p, y),
        brier(p, y),
        ece(p, y),
        top_decile_lift(p, y),
        log_loss(p, y),
    )
