"""How predictive is our score? Health score, prior and fitted model on the portfolio's
own history, side by side, plus the weights the history suggests.

Every figure is out of sample: the fitted model and the calibration of the health
score (a monotone step function from score to probability) are fitted on four fifths of
the accounts and judged on the fifth they never saw, five times over; an account's rows
from several windows stay in one fold. The prior is not fitted, so it is judged on every
row as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np

from iqcadence_desktop.services.model.additive import FitOptions, fit_additive
from iqcadence_desktop.services.model.binning import FloatArray, IntArray, numeric_bins
from iqcadence_desktop.services.model.churn import prior_estimate
from iqcadence_desktop.services.model.evaluate import bins_for, encode
from iqcadence_desktop.services.model.metrics import (
    ReliabilityBin,
    Scorecard,
    auc,
    reliability,
    scorecard,
    top_decile_lift,
)
from iqcadence_desktop.services.model.tabular import Feature
from iqcadence_desktop.services.model.training import TrainingRow
from iqcadence_desktop.services.scoring import BANDS, SIGNALS, UNSCORED, signal_points

FOLDS = 5
HEALTH, MODEL, PRIOR = "health", "model", "prior"
CONTENDER_LABELS = {
    HEALTH: "Health score",
    MODEL: "Fitted churn model",
    PRIOR: "Prior (heuristic)",
}


@dataclass(frozen=True)
class Contender:
    """One way of ranking accounts, and how it did."""

    key: str
    card: Scorecard
    reliability: tuple[ReliabilityBin, ...]

    @property
    def label(self) -> str:
        return CONTENDER_LABELS[self.key]


@dataclass(frozen=True)
class BandRate:
    """Accounts that started a window in a band, and how many of them churned in it."""

    band: str
    accounts: int
    churned: int

    @property
    def rate(self) -> float | None:
        return self.churned / self.accounts if self.accounts else None


@dataclass(frozen=True)
class Quality:
    """Everything the quality page and the churn report show."""

    horizon: int
    rows: int
    positives: int
    contenders: tuple[Contender, ...]
    bands: tuple[BandRate, ...]
    suggested_weights: dict[str, float] | None

    def contender(self, key: str) -> Contender | None:
        return next((c for c in self.contenders if c.key == key), None)

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Quality:
        contenders = tuple(
            Contender(
                str(c["key"]),
                Scorecard(**c["card"]),
                tuple(ReliabilityBin(**r) for r in c["reliability"]),
            )
            for c in data["contenders"]  # type: ignore[attr-defined]
        )
        return cls(
            int(data["horizon"]),  # type: ignore[call-overload]
            int(data["rows"]),  # type: ignore[call-overload]
            int(data["positives"]),  # type: ignore[call-overload]
            contenders,
            tuple(BandRate(**b) for b in data["bands"]),  # type: ignore[attr-defined]
            data.get("suggested_weights"),  # type: ignore[arg-type]
        )


def account_folds(rows: Sequence[TrainingRow], folds: int = FOLDS, seed: int = 0) -> IntArray:
    """A fold per row such that each account's rows share one; accounts that churned are
    dealt out evenly."""
    churners = sorted({r.customer_id for r in rows if r.churned})
    stayers = sorted({r.customer_id for r in rows} - set(churners))
    rng = np.random.default_rng(seed)
    fold_of: dict[int, int] = {}
    for group in (churners, stayers):
        order = rng.permutation(len(group))
        for rank, i in enumerate(order.tolist()):
            fold_of[group[i]] = rank % folds
    return np.array([fold_of[r.customer_id] for r in rows], dtype=np.int64)


def model_out_of_fold(
    columns: Sequence[Feature], monotone: tuple[int, ...], y: FloatArray, fold: IntArray
) -> FloatArray:
    oof = np.zeros(len(y))
    for k in range(int(fold.max()) + 1 if len(fold) else 0):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if not len(test) or len(np.unique(y[train])) < 2:
            oof[test] = float(y[train].mean()) if len(train) else 0.0
            continue
        bins = bins_for(columns, train)
        codes = encode(columns, bins)
        model, _ = fit_additive(bins, codes[train], y[train], monotone, FitOptions())
        oof[test] = model.predict(codes[test])
    return oof


def _calibrated_score(scores: FloatArray, y: FloatArray, fold: IntArray) -> FloatArray:
    """Health score → probability by a monotone step function, out of fold."""
    oof = np.zeros(len(y))
    for k in range(int(fold.max()) + 1):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        if not len(test) or len(np.unique(y[train])) < 2:
            oof[test] = float(y[train].mean()) if len(train) else 0.0
            continue
        bins = (numeric_bins("score", scores[train], max_bins=20),)
        codes = bins[0].codes(scores)[:, None]
        options = FitOptions(max_pairs=0)
        model, _ = fit_additive(bins, codes[train], y[train], (-1,), options)
        oof[test] = model.predict(codes[test])
    return oof


def _contender(
    key: str, p: FloatArray, y: FloatArray, ranking: FloatArray | None = None
) -> Contender:
    card = scorecard(p, y)
    if ranking is not None:  # AUC and lift from the raw ranking (calibration adds ties)
        card = Scorecard(
            card.rows,
            card.positives,
            auc(ranking, y),
            card.brier,
            card.ece,
            top_decile_lift(ranking, y),
            card.log_loss,
        )
    return Contender(key, card, tuple(reliability(p, y)))


def _prior(rows: Sequence[TrainingRow], horizon: int) -> FloatArray:
    base = sum(r.churned for r in rows) / max(len(rows), 1)
    out = np.empty(len(rows))
    for i, r in enumerate(rows):
        s = r.state
        view = _PriorView(
            None if r.score is None else int(r.score + 0.5),
            s.score_change,
            int(s.tickets) if s.tickets is not None else None,
            int(s.nps) if s.nps is not None else None,
            s.sentiment,
            int(s.days_quiet) if s.days_quiet is not None else None,
        )
        out[i] = prior_estimate(view, base or None, horizon).probability
    return out


@dataclass(frozen=True)
class _PriorView:
    shown_score: int | None
    momentum: float | None
    open_tickets: int | None
    nps: int | None
    sentiment: str | None
    days_since_contact: int | None
    days_until_renewal: int | None = None  # unknown in history: see features.py
    lifecycle: str = "active"


def band_rates(rows: Sequence[TrainingRow]) -> tuple[BandRate, ...]:
    accounts = Counter(r.status for r in rows)
    churned = Counter(r.status for r in rows if r.churned)
    return tuple(BandRate(b, accounts[b], churned[b]) for b in (*BANDS, UNSCORED) if accounts[b])


def evaluate_history(
    rows: Sequence[TrainingRow],
    columns: Sequence[Feature] | None,
    monotone: tuple[int, ...],
    horizon: int,
    weights_for_suggestion: Sequence[str],
) -> Quality:
    """Health score, prior and (given columns) the fitted model, judged on history."""
    y = np.array([float(r.churned) for r in rows])
    fold = account_folds(rows)
    contenders: list[Contender] = []
    scored = np.array([r.score is not None for r in rows])
    if scored.sum() and len(np.unique(y[scored])) == 2:
        scores = np.array([r.score for r in rows if r.score is not None], dtype=float)
        ys, fs = y[scored], fold[scored]
        contenders.append(_contender(HEALTH, _calibrated_score(scores, ys, fs), ys, -scores))
    if len(np.unique(y)) == 2:
        contenders.append(_contender(PRIOR, _prior(rows, horizon), y))
        if columns is not None:
            contenders.append(_contender(MODEL, model_out_of_fold(columns, monotone, y, fold), y))
    return Quality(
        horizon,
        len(rows),
        int(y.sum()),
        tuple(contenders),
        band_rates(rows),
        suggested_weights(rows, y, weights_for_suggestion),
    )


def _points(rows: Sequence[TrainingRow], signal: str) -> FloatArray:
    values = []
    for r in rows:
        s = r.state
        raw = {
            "logins": s.logins,
            "adoption": s.adoption,
            "tickets": s.tickets,
            "nps": s.nps,
            "csat": s.csat,
            "days": s.days_quiet,
            "growth": None if s.growth == "na" else s.growth,
        }[signal]
        points = signal_points(signal, raw)
        values.append(np.nan if points is None else points)
    return np.array(values, dtype=float)


def suggested_weights(
    rows: Sequence[TrainingRow], y: FloatArray, signals: Sequence[str]
) -> dict[str, float] | None:
    """Weights in proportion to how much each signal's points lower the churn odds in a
    logistic fit on history (signals that point the wrong way get 0), totalling 100."""
    signals = [s for s in signals if s in SIGNALS]
    if len(np.unique(y)) < 2 or not signals or y.sum() < 10:
        return None
    x = np.column_stack([_points(rows, s) for s in signals])
    means = np.nanmean(np.where(np.isnan(x).all(axis=0), 0.0, x), axis=0)
    x = np.where(np.isnan(x), means, x)
    sd = x.std(axis=0)
    sd[sd == 0] = 1.0
    z = (x - x.mean(axis=0)) / sd
    beta = _logistic(z, y) / sd  # change in log-odds per point of each signal
    raw = np.maximum(0.0, -beta)
    if raw.sum() <= 0:
        return None
    return dict(zip(signals, _whole_percent(raw / raw.sum() * 100), strict=True))


def _logistic(x: FloatArray, y: FloatArray, ridge: float = 1.0) -> FloatArray:
    """Ridge logistic regression by Newton's method (coefficients only)."""
    n, d = x.shape
    design = np.column_stack([np.ones(n), x])
    beta = np.zeros(d + 1)
    penalty = np.eye(d + 1) * ridge
    penalty[0, 0] = 0.0
    for _ in range(25):
        p = 1 / (1 + np.exp(-(design @ beta)))
        grad = design.T @ (p - y) + penalty @ beta
        hess = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hess, grad)
        beta -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    out: FloatArray = beta[1:]
    return out


def _whole_percent(shares: FloatArray) -> list[float]:
    """Whole numbers totalling exactly 100 (largest remainders get the spare points)."""
    floors = np.floor(shares)
    spare = int(round(100 - floors.sum()))
    order = np.argsort(-(shares - floors), kind="stable")
    floors[order[:spare]] += 1
    return [float(v) for v in floors]
