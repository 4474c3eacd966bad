"""An additive, explainable churn model: per-feature shape functions plus a few pairs.

    log-odds(churn) = intercept + Σ_j f_j(bin of feature j) + Σ_(j,k) g_jk(group of j, group of k)

Each f_j is a step function over the feature's bins (binning.py), fitted with the
logistic loss by cyclic Newton steps (one feature at a time, the others held fixed), a
ridge penalty on every bin and a second-difference penalty across neighbouring bins of
a number (so shapes are smooth where data is thin). A feature whose meaning is monotone
(more logins never raises the risk) is projected onto monotone steps after every
update. Shapes are centred, so each f_j reads as "log-odds versus an average account".

Pairwise terms g_jk must pay for their place: the candidate pairs with the largest
interaction gain on the training residuals are tried one by one (at most
`pair_candidates`, keeping at most `max_pairs`), and a pair is kept only when, fitted on
two thirds of the training rows with everything else held fixed, it lowers the log-loss
of the other third in each of three rotations, and by at least `pair_min_gain` (0.5 %,
relative) on average (docs/churn-model.md). Every probability therefore splits into
per-factor log-odds that add up to its logit. numpy only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from iqcadence_desktop.services.model.binning import (
    Bins,
    CategoryBins,
    FloatArray,
    IntArray,
    NumericBins,
    bins_from_json,
    coarse_groups,
)

#: Largest change of one bin's log-odds in one Newton step (keeps pure bins finite).
MAX_STEP = 2.0


@dataclass(frozen=True)
class FitOptions:
    """Penalties and the pair rule; the defaults are what the app and the benchmarks use."""

    smooth: float = 20.0
    ridge: float = 2.0
    max_sweeps: int = 60
    tol: float = 2e-3
    max_pairs: int = 6
    pair_candidates: int = 10
    pair_groups: int = 8
    pair_ridge: float = 8.0
    pair_min_gain: float = 0.005
    seed: int = 0


@dataclass(frozen=True)
class PairTerm:
    """A two-feature table over coarse groups of each feature's bins."""

    a: int
    b: int
    groups_a: IntArray
    groups_b: IntArray
    table: FloatArray

    def cells(self, codes: IntArray) -> IntArray:
        rows = self.groups_a[codes[:, self.a]]
        out: IntArray = rows * self.table.shape[1] + self.groups_b[codes[:, self.b]]
        return out

    def values(self, codes: IntArray) -> FloatArray:
        return self.table.ravel()[self.cells(codes)]


@dataclass(frozen=True)
class AdditiveModel:
    """A fitted model: everything needed to score and explain, JSON round-trippable."""

    intercept: float
    bins: tuple[Bins, ...]
    shapes: tuple[FloatArray, ...]
    monotone: tuple[int, ...]
    pairs: tuple[PairTerm, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(b.name for b in self.bins)

    def term_names(self) -> tuple[str, ...]:
        mains = self.names
        return mains + tuple(f"{mains[p.a]} × {mains[p.b]}" for p in self.pairs)

    def contributions(self, codes: IntArray) -> FloatArray:
        """Log-odds of every term for every row (rows × terms); add the intercept for
        the logit."""
        n = codes.shape[0]
        out = np.empty((n, len(self.shapes) + len(self.pairs)))
        for j, shape in enumerate(self.shapes):
            out[:, j] = shape[codes[:, j]]
        for i, pair in enumerate(self.pairs):
            out[:, len(self.shapes) + i] = pair.values(codes)
        return out

    def logit(self, codes: IntArray) -> FloatArray:
        eta = np.full(codes.shape[0], self.intercept)
        for j, shape in enumerate(self.shapes):
            eta += shape[codes[:, j]]
        for pair in self.pairs:
            eta += pair.values(codes)
        return eta

    def predict(self, codes: IntArray) -> FloatArray:
        return sigmoid(self.logit(codes))

    def to_json(self) -> dict[str, object]:
        return {
            "intercept": self.intercept,
            "features": [
                {"bins": b.to_json(), "shape": s.tolist(), "monotone": m}
                for b, s, m in zip(self.bins, self.shapes, self.monotone, strict=True)
            ],
            "pairs": [
                {
                    "a": p.a,
                    "b": p.b,
                    "groups_a": p.groups_a.tolist(),
                    "groups_b": p.groups_b.tolist(),
                    "table": p.table.tolist(),
                }
                for p in self.pairs
            ],
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> AdditiveModel:
        features: list[dict[str, object]] = data["features"]  # type: ignore[assignment]
        pairs: list[dict[str, object]] = data.get("pairs", [])  # type: ignore[assignment]
        return cls(
            float(data["intercept"]),  # type: ignore[arg-type]
            tuple(bins_from_json(f["bins"]) for f in features),  # type: ignore[arg-type]
            tuple(np.asarray(f["shape"], dtype=float) for f in features),
            tuple(int(f["monotone"]) for f in features),  # type: ignore[call-overload]
            tuple(
                PairTerm(
                    int(p["a"]),  # type: ignore[call-overload]
                    int(p["b"]),  # type: ignore[call-overload]
                    np.asarray(p["groups_a"], dtype=np.int64),
                    np.asarray(p["groups_b"], dtype=np.int64),
                    np.asarray(p["table"], dtype=float),
                )
                for p in pairs
            ),
        )


@dataclass(frozen=True)
class PairTrial:
    """How one candidate pair did on the held-out thirds (gain: relative log-loss drop)."""

    name: str
    gain: float
    wins: int
    kept: bool


@dataclass
class FitReport:
    """What the fit did, for the model's record and the docs."""

    sweeps: int = 0
    converged: bool = False
    trials: list[PairTrial] = field(default_factory=list)


def sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))  # overflow-free logistic
    return out


def _sums(codes: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Sum of `weights` per code (a float array of `size`)."""
    return np.bincount(codes, weights, size).astype(np.float64, copy=False)


def log_loss(p: FloatArray, y: FloatArray) -> float:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log1p(-q)))


def _pava(values: FloatArray, weights: FloatArray) -> FloatArray:
    """Weighted least-squares non-decreasing fit (pool adjacent violators)."""
    means: list[float] = []
    sums: list[float] = []
    sizes: list[int] = []
    for v, w in zip(values.tolist(), weights.tolist(), strict=True):
        means.append(v)
        sums.append(w)
        sizes.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            w2, w1 = sums.pop(), sums[-1]
            m2, m1 = means.pop(), means[-1]
            total = w1 + w2
            means[-1] = (m1 * w1 + m2 * w2) / total if total > 0 else (m1 + m2) / 2
            sums[-1] = total
            size = sizes.pop()
            sizes[-1] += size
    return np.repeat(np.asarray(means), sizes)


def _penalty(bins: Bins, options: FitOptions) -> FloatArray:
    size = bins.size
    pen = np.eye(size) * options.ridge
    m = bins.ordered if isinstance(bins, NumericBins) else 0
    if m >= 3:
        d2 = np.zeros((m - 2, size))
        for i in range(m - 2):
            d2[i, i : i + 3] = (1.0, -2.0, 1.0)
        pen += options.smooth * d2.T @ d2
    return pen


class _Fitter:
    """Holds the running log-odds while shapes are updated one term at a time."""

    def __init__(
        self,
        bins: tuple[Bins, ...],
        codes: IntArray,
        y: FloatArray,
        monotone: tuple[int, ...],
        options: FitOptions,
    ) -> None:
        self.bins, self.codes, self.y, self.monotone, self.o = bins, codes, y, monotone, options
        self.counts = [np.bincount(codes[:, j], minlength=b.size) for j, b in enumerate(bins)]
        self.penalties = [_penalty(b, options) for b in bins]
        self.shapes = [np.zeros(b.size) for b in bins]
        rate = float(np.clip(y.mean(), 1e-4, 1 - 1e-4))
        self.intercept = math.log(rate / (1 - rate))
        self.eta = np.full(len(y), self.intercept)
        self.pairs: list[PairTerm] = []

    def sweep(self) -> float:
        """One Newton step for the intercept, each feature and each pair; returns the
        largest change of any row's log-odds (correlated features may trade bins back
        and forth for a long time while the predictions no longer move)."""
        start = self.eta.copy()
        p = sigmoid(self.eta)
        step = float(np.sum(self.y - p) / max(np.sum(p * (1 - p)), 1e-9))
        self.intercept += step
        self.eta += step
        for j in range(len(self.bins)):
            self._update_main(j)
        for i in range(len(self.pairs)):
            self._update_pair(i, self.codes, self.eta, self.y, commit=True)
        return float(np.max(np.abs(self.eta - start)))

    def _update_main(self, j: int) -> None:
        codes, size = self.codes[:, j], self.bins[j].size
        p = sigmoid(self.eta)
        g = _sums(codes, p - self.y, size)
        h = _sums(codes, p * (1 - p), size)
        old = self.shapes[j]
        pen = self.penalties[j]
        delta = np.linalg.solve(np.diag(h) + pen, -(g + pen @ old))
        new = old + np.clip(delta, -MAX_STEP, MAX_STEP)
        if self.monotone[j]:
            new = self._monotone(j, new, h)
        self.eta += (new - old)[codes]
        centre = float(np.dot(new, self.counts[j]) / max(self.counts[j].sum(), 1))
        self.shapes[j] = new - centre
        self.intercept += centre

    def _monotone(self, j: int, shape: FloatArray, h: FloatArray) -> FloatArray:
        m, sign = self.bins[j].ordered, self.monotone[j]
        out = shape.copy()
        weights = h[:m] + self.o.ridge
        out[:m] = sign * _pava(sign * shape[:m], weights)
        return out

    def _update_pair(
        self, i: int, codes: IntArray, eta: FloatArray, y: FloatArray, commit: bool
    ) -> float:
        pair = self.pairs[i]
        cells, size = pair.cells(codes), pair.table.size
        p = sigmoid(eta)
        g = _sums(cells, p - y, size)
        h = _sums(cells, p * (1 - p), size)
        table = pair.table.ravel()
        delta = np.clip(-(g + self.o.pair_ridge * table) / (h + self.o.pair_ridge), -1, 1)
        new = table + delta
        eta += delta[cells]
        counts = np.bincount(cells, minlength=size)
        centre = float(np.dot(new, counts) / max(counts.sum(), 1))
        new -= centre
        eta -= centre
        self.pairs[i] = PairTerm(
            pair.a, pair.b, pair.groups_a, pair.groups_b, new.reshape(pair.table.shape)
        )
        if commit:
            self.intercept += centre
            eta += centre
        return float(np.max(np.abs(delta)))

    def converge(self, report: FitReport) -> None:
        for _ in range(self.o.max_sweeps):
            report.sweeps += 1
            if self.sweep() < self.o.tol:
                report.converged = True
                return

    def model(self) -> AdditiveModel:
        return AdditiveModel(
            self.intercept,
            self.bins,
            tuple(s.copy() for s in self.shapes),
            self.monotone,
            tuple(self.pairs),
        )


def fit_additive(
    bins: tuple[Bins, ...],
    codes: IntArray,
    y: FloatArray,
    monotone: tuple[int, ...] | None = None,
    options: FitOptions = FitOptions(),
) -> tuple[AdditiveModel, FitReport]:
    """Fit main effects, then try pairs by the held-out rule, then refit everything."""
    fitter = _Fitter(bins, codes, y, monotone or (0,) * len(bins), options)
    report = FitReport()
    fitter.converge(report)
    if options.max_pairs > 0 and len(bins) >= 2:
        _choose_pairs(fitter, report)
        if fitter.pairs:
            fitter.converge(report)
    return fitter.model(), report


# -- pairs ------------------------------------------------------------------------------
def _groups(fitter: _Fitter) -> list[IntArray]:
    return [
        coarse_groups(b, fitter.counts[j], fitter.o.pair_groups) for j, b in enumerate(fitter.bins)
    ]


def _candidates(fitter: _Fitter, groups: list[IntArray]) -> list[tuple[float, int, int]]:
    """Pairs ranked by how much a free table over their groups would lower the loss."""
    p = sigmoid(fitter.eta)
    g, h = p - fitter.y, p * (1 - p)
    coarse = [groups[j][fitter.codes[:, j]] for j in range(len(groups))]
    sizes = [int(gr.max()) + 1 for gr in groups]
    lam = fitter.o.pair_ridge
    ranked = []
    varied = [j for j in range(len(groups)) if len(np.unique(coarse[j])) > 1]
    for a in varied:
        for b in (k for k in varied if k > a):
            cells = coarse[a] * sizes[b] + coarse[b]
            size = sizes[a] * sizes[b]
            gs, hs = _sums(cells, g, size), _sums(cells, h, size)
            ranked.append((float(np.sum(gs * gs / (hs + lam))), a, b))
    ranked.sort(reverse=True)
    return ranked[: fitter.o.pair_candidates]


def _thirds(y: FloatArray, seed: int) -> IntArray:
    """A stratified split of the rows into three parts (0, 1, 2)."""
    rng = np.random.default_rng(seed)
    part = np.empty(len(y), dtype=np.int64)
    for label in (0.0, 1.0):
        idx = np.flatnonzero(y == label)
        rng.shuffle(idx)
        part[idx] = np.arange(len(idx)) % 3
    return part


def _choose_pairs(fitter: _Fitter, report: FitReport) -> None:
    groups = _groups(fitter)
    part = _thirds(fitter.y, fitter.o.seed)
    names = [b.name for b in fitter.bins]
    for _, a, b in _candidates(fitter, groups):
        if len(fitter.pairs) >= fitter.o.max_pairs:
            break
        gain, wins = _held_out_gain(fitter, groups, a, b, part)
        kept = gain >= fitter.o.pair_min_gain and wins == 3
        report.trials.append(PairTrial(f"{names[a]} × {names[b]}", gain, wins, kept))
        if kept:
            fitter.pairs.append(_empty_pair(groups, a, b))
            for _ in range(6):  # settle the new table on all training rows
                fitter._update_pair(len(fitter.pairs) - 1, fitter.codes, fitter.eta, fitter.y, True)


def _empty_pair(groups: list[IntArray], a: int, b: int) -> PairTerm:
    shape = (int(groups[a].max()) + 1, int(groups[b].max()) + 1)
    return PairTerm(a, b, groups[a], groups[b], np.zeros(shape))


def _held_out_gain(
    fitter: _Fitter, groups: list[IntArray], a: int, b: int, part: IntArray
) -> tuple[float, int]:
    """Mean relative log-loss drop on the held-out third, and in how many thirds it fell."""
    gains = []
    for k in range(3):
        train, test = part != k, part == k
        trial = _Fitter.__new__(_Fitter)
        trial.o, trial.pairs = fitter.o, [_empty_pair(groups, a, b)]
        trial.intercept = 0.0
        eta_train = fitter.eta[train].copy()
        for _ in range(6):
            trial._update_pair(0, fitter.codes[train], eta_train, fitter.y[train], commit=False)
        base = fitter.eta[test]
        before = log_loss(sigmoid(base), fitter.y[test])
        after = log_loss(sigmoid(base + trial.pairs[0].values(fitter.codes[test])), fitter.y[test])
        gains.append((before - after) / max(before, 1e-12))
    return float(np.mean(gains)), sum(g > 0 for g in gains)


__all__ = [
    "AdditiveModel",
    "CategoryBins",
    "FitOptions",
    "FitReport",
    "NumericBins",
    "PairTerm",
    "PairTrial",
    "fit_additive",
    "log_loss",
    "sigmoid",
]
