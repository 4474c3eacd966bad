"""A stored version of the churn model, and the words that describe how it was made."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from iqcadence_desktop.models import ChurnModelVersion
from iqcadence_desktop.services.model.predictor import ChurnModel
from iqcadence_desktop.services.model.quality import Quality
from iqcadence_desktop.services.model.training import TREND_DAYS, TrainingSet

#: Fewer churned accounts than this and the model falls back to the prior.
MIN_CHURNED = 30
FITTED, PRIOR = "fitted", "prior"


@dataclass(frozen=True)
class ModelVersion:
    """One stored version: how it was made, how well it does, and the model itself."""

    id: int
    created_at: dt.datetime
    user: str | None
    horizon: int
    method: str
    rows: int
    churned: int
    summary: str
    reason: str
    base_rate: float | None
    quality: Quality | None
    model: ChurnModel | None
    details: dict[str, object]

    @property
    def fitted(self) -> bool:
        return self.method == FITTED and self.model is not None

    @property
    def horizon_text(self) -> str:
        return f"chance of churning within {self.horizon} days"

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.id,
            "created_at": self.created_at.isoformat(),
            "user": self.user,
            "horizon_days": self.horizon,
            "method": self.method,
            "training_rows": self.rows,
            "churned": self.churned,
            "summary": self.summary,
            "reason": self.reason,
            "base_rate": self.base_rate,
            "quality": None if self.quality is None else self.quality.to_json(),
            "terms": self.details.get("terms", []),
            "pairs": self.details.get("pairs", []),
        }


def version_of(row: ChurnModelVersion) -> ModelVersion:
    payload = row.payload
    quality = payload.get("quality")
    model = payload.get("model")
    return ModelVersion(
        row.id,
        row.created_at,
        row.user,
        row.horizon_days,
        row.method,
        row.training_rows,
        row.churned,
        row.summary,
        str(payload.get("reason", "")),
        payload.get("base_rate"),  # type: ignore[arg-type]
        None if quality is None else Quality.from_json(quality),  # type: ignore[arg-type]
        None if model is None else ChurnModel.from_json(model),  # type: ignore[arg-type]
        dict(payload.get("details", {})),  # type: ignore[call-overload]
    )


def base_rate_of(training: TrainingSet) -> float | None:
    rows = len(training.rows)
    if not rows or not training.windows:
        return None
    positives = training.positives
    negatives = (rows - positives) / training.negatives_kept
    return positives / (positives + negatives)


def prior_reason(training: TrainingSet) -> str:
    if training.first_day is None:
        return "There is no score history yet, so there is nothing to learn from."
    if not training.windows:
        need = training.horizon + TREND_DAYS
        return (
            f"The history starts on {training.first_day.isoformat()}; it must cover "
            f"{need} days (the {training.horizon}-day horizon and {TREND_DAYS} days of "
            "trends before it) to see who churned. Choose a shorter horizon, or keep using "
            "the app to build history."
        )
    return (
        f"{training.positives} accounts churned within {training.horizon} days in the "
        f"history ({training.churned_accounts} churned in all); at least {MIN_CHURNED} are "
        "needed to fit a model, so the documented prior is used."
    )


def summary(
    method: str, horizon: int, training: TrainingSet, quality: Quality | None, why: str
) -> str:
    head = (
        f"fitted on {len(training.rows):,} account-windows ({training.positives:,} churned) "
        if method == FITTED
        else "using the prior "
    )
    text = head + f"for a {horizon}-day horizon"
    contender = (
        None if quality is None else quality.contender("model" if method == FITTED else "prior")
    )
    if contender is not None and contender.card.auc is not None:
        text += f"; AUC {contender.card.auc:.2f} on history"
    return text + ("" if method == FITTED else f". {why}")
