"""Cross-validated evaluation of the additive churn model on any typed table.

Stratified k-fold (the churned share is the same in every fold), seeded, so a run is
repeatable: each fold's model is fitted on the other folds' rows only, bins included,
and scores the held-out rows. Every row is therefore predicted by a model that never
saw it; the metrics and the factor ranking come from those out-of-fold predictions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.model.additive import AdditiveModel, FitOptions, fit_additive
from iqcadence_desktop.services.model.binning import (
    Bins,
    FloatArray,
    IntArray,
    category_bins,
    numeric_bins,
)
from iqcadence_desktop.services.model.metrics import Scorecard, scorecard
from iqcadence_desktop.services.model.tabular import Dropped, Feature, TypedTable

MIN_PER_CLASS = 2


def stratified_folds(y: FloatArray, folds: int, seed: int) -> IntArray:
    """The fold (0..folds-1) of every row, each class dealt out evenly after a shuffle."""
    rng = np.random.default_rng(seed)
    out = np.empty(len(y), dtype=np.int64)
    for label in (0.0, 1.0):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        out[idx] = np.arange(len(idx)) % folds
    return out


def bins_for(features: Sequence[Feature], rows: IntArray) -> tuple[Bins, ...]:
    """Bins learned from these rows only."""
    out: list[Bins] = []
    for f in features:
        if f.numbers is not None:
            out.append(numeric_bins(f.name, f.numbers[rows]))
        else:
            assert f.texts is not None
            out.append(category_bins(f.name, [f.texts[i] for i in rows.tolist()]))
    return tuple(out)


def encode(features: Sequence[Feature], bins: Sequence[Bins]) -> IntArray:
    """Rows × features bin codes."""
    columns = []
    for f, b in zip(features, bins, strict=True):
        values = f.numbers if f.numbers is not None else f.texts
        columns.append(b.codes(values))  # type: ignore[arg-type]
    return np.column_stack(columns) if columns else np.zeros((0, 0), dtype=np.int64)


def fit_table(
    features: Sequence[Feature],
    y: FloatArray,
    rows: IntArray,
    monotone: tuple[int, ...] | None = None,
    options: FitOptions = FitOptions(),
) -> AdditiveModel:
    bins = bins_for(features, rows)
    codes = encode(features, bins)
    model, _ = fit_additive(bins, codes[rows], y[rows], monotone, options)
    return model


@dataclass(frozen=True)
class FactorImportance:
    """A term and its average absolute log-odds over the held-out predictions."""

    name: str
    mean_abs_log_odds: float


@dataclass(frozen=True)
class Evaluation:
    """Out-of-fold predictions, their scorecard and the factors that mattered most."""

    folds: int
    seed: int
    card: Scorecard
    predictions: FloatArray
    label: FloatArray
    features: tuple[str, ...]
    dropped: tuple[Dropped, ...]
    top_factors: tuple[FactorImportance, ...]
    unlabelled_rows: int = 0

    def to_json(self) -> dict[str, object]:
        """The `churn-model evaluate --json` document."""
        return {
            "rows": self.card.rows,
            "positives": self.card.positives,
            "auc": self.card.auc,
            "brier": self.card.brier,
            "ece": self.card.ece,
            "lift_top_decile": self.card.lift,
            "folds": self.folds,
            "seed": self.seed,
            "features": list(self.features),
            "dropped": [{"column": d.name, "reason": d.reason} for d in self.dropped],
            "unlabelled_rows": self.unlabelled_rows,
            "top_factors": [
                {"factor": f.name, "mean_abs_log_odds": f.mean_abs_log_odds}
                for f in self.top_factors
            ],
        }


def _check(table: TypedTable, folds: int) -> None:
    if not table.features:
        raise UserFacingError(
            "No column is left to learn from: "
            + "; ".join(f"{d.name}: {d.reason}" for d in table.dropped)
            + "."
        )
    positives = int(table.label.sum())
    negatives = len(table.label) - positives
    if folds < 2:
        raise UserFacingError("--folds must be at least 2.")
    if min(positives, negatives) < folds * MIN_PER_CLASS:
        raise UserFacingError(
            f"Too few rows for {folds}-fold cross-validation: {positives} churned and "
            f"{negatives} retained; each fold needs at least {MIN_PER_CLASS} of each."
        )


def cross_validate(
    table: TypedTable, folds: int = 5, seed: int = 0, options: FitOptions = FitOptions()
) -> Evaluation:
    """Stratified k-fold out-of-fold predictions and what they score."""
    _check(table, folds)
    y = table.label
    fold = stratified_folds(y, folds, seed)
    oof = np.zeros(len(y))
    names: tuple[str, ...] = ()
    totals: dict[str, float] = {}
    for k in range(folds):
        train, test = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        bins = bins_for(table.features, train)
        codes = encode(table.features, bins)
        model, _ = fit_additive(bins, codes[train], y[train], None, options)
        parts = model.contributions(codes[test])
        oof[test] = 1.0 / (1.0 + np.exp(-(model.intercept + parts.sum(axis=1))))
        names = model.term_names()
        for name, value in zip(names, np.abs(parts).sum(axis=0).tolist(), strict=True):
            totals[name] = totals.get(name, 0.0) + value
    ranked = sorted(
        (FactorImportance(n, v / len(y)) for n, v in totals.items()),
        key=lambda f: -f.mean_abs_log_odds,
    )
    return Evaluation(
        folds,
        seed,
        scorecard(oof, y),
        oof,
        y,
        tuple(f.name for f in table.features),
        table.dropped,
        tuple(ranked),
        table.unlabelled_rows,
    )
