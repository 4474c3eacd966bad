"""What the churn model reads about an account on a day, and which way each signal leans.

The same `AccountState` is built from history (for training: the snapshot of the
reference day and those 7 and 30 days before it) and from today's customers (for
scoring), so the model sees one definition of every feature. A feature whose meaning
is monotone is constrained that way: more logins never raise the risk, more open
tickets never lower it. The renewal date is left out on purpose: only today's date is
stored, and the date an account had months before it churned is unknown (today's would
leak the outcome).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from iqcadence_desktop.services.customers import CustomFieldDTO, CustomValue, canonical
from iqcadence_desktop.services.model.binning import CategoryBins, NumericBins
from iqcadence_desktop.services.model.tabular import Feature

NAN = float("nan")


@dataclass(frozen=True)
class FeatureSpec:
    """A built-in feature: machine name, label, kind and monotone direction (+1: more
    of it means more risk; -1: less risk; 0: no constraint)."""

    name: str
    label: str
    kind: str
    monotone: int = 0
    #: Unknown only when the history is too short to compare: read as "no change", so
    #: how long the history is cannot pass for a signal.
    missing_is_zero: bool = False


FEATURES: tuple[FeatureSpec, ...] = (
    FeatureSpec("logins", "Logins (30 d)", "number", -1),
    FeatureSpec("adoption", "Feature adoption", "number", -1),
    FeatureSpec("tickets", "Open tickets", "number", +1),
    FeatureSpec("nps", "NPS", "number", -1),
    FeatureSpec("csat", "CSAT", "number", -1),
    FeatureSpec("days_quiet", "Days since contact", "number", +1),
    FeatureSpec("growth", "Growth", "category"),
    FeatureSpec("mrr", "MRR", "number"),
    FeatureSpec("logins_change", "Logins change (30 d)", "number", -1, True),
    FeatureSpec("tickets_change", "Open tickets change (30 d)", "number", +1, True),
    FeatureSpec("score_change", "Health change (7 d)", "number", -1, True),
    FeatureSpec("tier", "Tier", "category"),
    FeatureSpec("tenure", "Tenure (days)", "number"),
    FeatureSpec("sentiment", "Sentiment", "category"),
)
SPEC_BY_NAME = {f.name: f for f in FEATURES}
CUSTOM_PREFIX = "custom."


@dataclass(frozen=True)
class AccountState:
    """One account on one day, as the model reads it (None = unknown)."""

    logins: float | None = None
    adoption: float | None = None
    tickets: float | None = None
    nps: float | None = None
    csat: float | None = None
    days_quiet: float | None = None
    growth: str | None = None
    mrr: float | None = None
    logins_change: float | None = None
    tickets_change: float | None = None
    score_change: float | None = None
    tier: str | None = None
    tenure: float | None = None
    sentiment: str | None = None
    custom: Mapping[str, CustomValue] = field(default_factory=dict)


def change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else float(now) - float(before)


def _number(value: object) -> float:
    if value is None:
        return NAN
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else NAN


def custom_feature_name(key: str) -> str:
    return CUSTOM_PREFIX + key


def model_fields(fields: Sequence[CustomFieldDTO]) -> list[CustomFieldDTO]:
    """Custom fields the model may learn from (text fields are free-form: left out)."""
    return [f for f in fields if f.in_model and f.kind != "text"]


def build_columns(
    states: Sequence[AccountState], fields: Sequence[CustomFieldDTO]
) -> tuple[list[Feature], tuple[int, ...], dict[str, str]]:
    """Feature columns, their monotone directions and their labels."""
    columns: list[Feature] = []
    monotone: list[int] = []
    labels: dict[str, str] = {}
    for spec in FEATURES:
        values = [getattr(s, spec.name) for s in states]
        columns.append(_column(spec.name, spec.kind, values, spec.missing_is_zero))
        monotone.append(spec.monotone)
        labels[spec.name] = spec.label
    for f in model_fields(fields):
        name = custom_feature_name(f.key)
        values = [s.custom.get(f.key) for s in states]
        kind = "number" if f.kind in ("number", "date") else "category"
        columns.append(_column(name, kind, [_custom(v) for v in values]))
        monotone.append(0)
        labels[name] = f.label
    return columns, tuple(monotone), labels


def _custom(value: CustomValue | None) -> object:
    if value is None or isinstance(value, float | str):
        return value
    if isinstance(value, bool):
        return canonical(value)
    return float(value.toordinal())  # a date reads as a day number


def _column(name: str, kind: str, values: Sequence[object], zero: bool = False) -> Feature:
    if kind == "number":
        numbers = np.array([_number(v) for v in values], dtype=float)
        if zero:
            numbers = np.nan_to_num(numbers, nan=0.0)
        return Feature(name, numbers=numbers)
    return Feature(name, texts=tuple(None if v is None else str(v) for v in values))


def column_for(bins: NumericBins | CategoryBins, states: Sequence[AccountState]) -> Feature:
    """The column a fitted model's bins read, by the feature's name (a custom field
    that no longer exists reads as missing)."""
    name = bins.name
    if name.startswith(CUSTOM_PREFIX):
        key = name[len(CUSTOM_PREFIX) :]
        values: list[object] = [_custom(s.custom.get(key)) for s in states]
    else:
        values = [getattr(s, name, None) for s in states]
    kind = "number" if isinstance(bins, NumericBins) else "category"
    spec = SPEC_BY_NAME.get(name)
    return _column(name, kind, values, spec is not None and spec.missing_is_zero)
