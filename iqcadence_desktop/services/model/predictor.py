"""A fitted churn model as the app uses it: score accounts, take each figure apart.

`ChurnModel.score` works on feature columns for many accounts at once (numpy): bins,
per-term log-odds, probabilities and the top reasons of every row. `Scored.estimate(i)`
builds one account's full explanation only when someone looks at it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from iqcadence_desktop.services.model.additive import AdditiveModel, sigmoid
from iqcadence_desktop.services.model.binning import (
    FloatArray,
    IntArray,
    NumericBins,
    group_label,
)
from iqcadence_desktop.services.model.churn import SMALLER_FACTORS, ChurnEstimate, ChurnFactor
from iqcadence_desktop.services.model.evaluate import encode
from iqcadence_desktop.services.model.features import AccountState, column_for
from iqcadence_desktop.services.model.tabular import Feature

#: Terms smaller than this (log-odds) are left out of an explanation.
SMALL = 0.05


@dataclass(frozen=True)
class ChurnModel:
    """A fitted additive model plus what it needs to read and explain accounts."""

    model: AdditiveModel
    labels: Mapping[str, str]
    horizon: int
    #: Added to the intercept: corrects for negatives sampled out of a huge history.
    correction: float = 0.0

    @property
    def base(self) -> float:
        return self.model.intercept + self.correction

    def term_labels(self) -> list[str]:
        names = [self.labels.get(n, n) for n in self.model.names]
        return names + [f"{names[p.a]} × {names[p.b]}" for p in self.model.pairs]

    def columns(self, states: Sequence[AccountState]) -> list[Feature]:
        """The model's own feature columns for these accounts."""
        return [column_for(b, states) for b in self.model.bins]

    def score(self, columns: Sequence[Feature]) -> Scored:
        codes = encode(columns, self.model.bins)
        parts = self.model.contributions(codes)
        logit = self.base + parts.sum(axis=1)
        return Scored(self, codes, parts, sigmoid(logit), columns)

    def to_json(self) -> dict[str, object]:
        return {
            "model": self.model.to_json(),
            "labels": dict(self.labels),
            "horizon": self.horizon,
            "correction": self.correction,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ChurnModel:
        return cls(
            AdditiveModel.from_json(data["model"]),  # type: ignore[arg-type]
            dict(data["labels"]),  # type: ignore[call-overload]
            int(data["horizon"]),  # type: ignore[call-overload]
            float(data.get("correction", 0.0)),  # type: ignore[arg-type]
        )


@dataclass(frozen=True)
class Scored:
    """Probabilities and per-term log-odds of many accounts."""

    owner: ChurnModel
    codes: IntArray
    parts: FloatArray
    probabilities: FloatArray
    columns: Sequence[Feature]

    def top(self, k: int = 3) -> IntArray:
        """Per row, the indices of the k terms that raise the risk most (by log-odds).

        k passes of argmax: for the few reasons a list shows this beats sorting rows."""
        k = min(k, self.parts.shape[1])
        work = self.parts.copy()
        rows = np.arange(len(work))
        out: IntArray = np.empty((len(work), k), dtype=np.int64)
        for i in range(k):
            out[:, i] = work.argmax(axis=1)
            work[rows, out[:, i]] = -np.inf
        return out

    def reasons(self, k: int = 2) -> list[str]:
        """'Open tickets, Logins (30 d)' for every row: the terms raising its risk most."""
        labels = self.owner.term_labels()
        top = self.top(k)
        rising = np.take_along_axis(self.parts, top, axis=1) > SMALL
        columns = [
            [
                labels[t] if up else ""
                for t, up in zip(top[:, i].tolist(), rising[:, i].tolist(), strict=True)
            ]
            for i in range(top.shape[1])
        ]
        return [
            ", ".join(filter(None, names)) or "nothing notable"
            for names in zip(*columns, strict=True)
        ]

    def estimate(self, i: int) -> ChurnEstimate:
        """One account's probability and every term that moved it, largest first."""
        owner = self.owner
        labels = owner.term_labels()
        effects = self.parts[i].tolist()
        factors = [
            ChurnFactor(labels[t], effect, self._detail(i, t))
            for t, effect in enumerate(effects)
            if abs(effect) >= SMALL
        ]
        small = [e for e in effects if abs(e) < SMALL]
        if small:  # so the listed log-odds add up to the probability exactly
            factors.append(
                ChurnFactor(SMALLER_FACTORS, sum(small), f"{len(small)} factors under ±{SMALL}")
            )
        factors.sort(key=lambda f: -f.effect)
        return ChurnEstimate(
            float(self.probabilities[i]), tuple(factors), owner.horizon, "fitted", owner.base
        )

    def _detail(self, i: int, term: int) -> str:
        model = self.owner.model
        if term < len(model.bins):
            return self._value_text(i, term)
        pair = model.pairs[term - len(model.bins)]
        a, b = model.bins[pair.a], model.bins[pair.b]
        la = group_label(a, pair.groups_a, int(pair.groups_a[self.codes[i, pair.a]]))
        lb = group_label(b, pair.groups_b, int(pair.groups_b[self.codes[i, pair.b]]))
        names = self.owner.labels
        return f"{names.get(a.name, a.name)} {la} and {names.get(b.name, b.name)} {lb}"

    def _value_text(self, i: int, j: int) -> str:
        column, bins = self.columns[j], self.owner.model.bins[j]
        code = int(self.codes[i, j])
        if code == bins.missing:
            return "no data"
        if column.numbers is not None and isinstance(bins, NumericBins):
            value = float(column.numbers[i])
            shown = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
            return f"{shown} (accounts with {bins.label(code)})"
        assert column.texts is not None
        return str(column.texts[i])
