"""Models beyond the weighted score: the fitted churn model, its prior and evaluation.

- churn.py: the documented prior (a judgement heuristic shrunk towards the base rate);
- binning.py, additive.py: the additive model (per-feature shapes, held-out pairs);
- metrics.py, evaluate.py, tabular.py: AUC/Brier/ECE, cross-validation of any table;
- features.py, training.py, quality.py, predictor.py, service.py: the portfolio's own
  history as training data, how predictive score and model are, and the service.

The signal-model factors that adjust the health score live in services/scoring/factors.py
(scoring sits below customers; this package sits above it).
"""

from iqcadence_desktop.services.model.additive import AdditiveModel, FitOptions, fit_additive
from iqcadence_desktop.services.model.churn import (
    DEFAULT_HORIZON,
    METHOD_NOTE,
    ChurnEstimate,
    ChurnFactor,
    churn_risk,
    prior_estimate,
)
from iqcadence_desktop.services.model.evaluate import Evaluation, cross_validate
from iqcadence_desktop.services.model.metrics import ReliabilityBin, Scorecard, scorecard
from iqcadence_desktop.services.model.quality import (
    CONTENDER_LABELS,
    BandRate,
    Contender,
    Quality,
)
from iqcadence_desktop.services.model.reading import band_reading, readings, verdict
from iqcadence_desktop.services.model.service import HORIZONS, ChurnModelService
from iqcadence_desktop.services.model.tabular import TypedTable, type_table
from iqcadence_desktop.services.model.versions import MIN_CHURNED, ModelVersion

__all__ = [
    "AdditiveModel",
    "BandRate",
    "CONTENDER_LABELS",
    "ChurnEstimate",
    "ChurnFactor",
    "ChurnModelService",
    "Contender",
    "DEFAULT_HORIZON",
    "Evaluation",
    "FitOptions",
    "HORIZONS",
    "METHOD_NOTE",
    "MIN_CHURNED",
    "ModelVersion",
    "Quality",
    "ReliabilityBin",
    "Scorecard",
    "TypedTable",
    "band_reading",
    "churn_risk",
    "readings",
    "verdict",
    "cross_validate",
    "fit_additive",
    "prior_estimate",
    "scorecard",
    "type_table",
]
