"""Segments (S5): the book grouped by tier, lifecycle, manager or tag.

`SegmentService.load` reads once (the live book, its tags, an 11-point 30-day score
history per account); `group` then regroups that in memory with numpy, so switching from
tiers to tags never goes back to the database. `compare` reads a date range of history
for up to five segments and says in words what the numbers show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.analytics.book import (
    Book,
    BoolArray,
    FloatArray,
    IntArray,
    load_book,
)
from iqcadence_desktop.services.analytics.history import (
    first_history_day,
    matrix_from,
    sample_days,
    score_matrix,
    score_records,
)
from iqcadence_desktop.services.analytics.narrative import compare_text
from iqcadence_desktop.services.scoring import TIER_LABELS, TIERS, ConfigService
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope

GROUPINGS: dict[str, str] = {
    "tier": "Tier",
    "lifecycle": "Lifecycle",
    "manager": "Manager",
    "tag": "Tag",
}
LIFECYCLE_LABELS: dict[str, str] = {
    "onboarding": "Onboarding",
    "active": "Active",
    "atrisk": "At risk",
    "won": "Won",
    "churned": "Churned",
}
NONE_LABELS: dict[str, str] = {
    "tier": "No tier",
    "lifecycle": "No stage",
    "manager": "Unassigned",
    "tag": "No tags",
}
TREND_DAYS = 30
TREND_POINTS = 11
MAX_COMPARE = 5
#: Sample days in a comparison chart (a long range is read every few days).
COMPARE_POINTS = 40


class Segment(NamedTuple):
    """One group of accounts and its figures as of the book's day."""

    grouping: str
    key: str
    label: str
    customers: int
    scored: int
    average_score: float | None
    mrr_cents: int
    at_risk: int
    trend: tuple[float | None, ...]
    customer_ids: tuple[int, ...]

    @property
    def arr_cents(self) -> int:
        return self.mrr_cents * 12

    @property
    def at_risk_pct(self) -> float | None:
        return None if not self.customers else 100.0 * self.at_risk / self.customers

    @property
    def trend_change(self) -> float | None:
        """Last minus first point of the 30-day trend (None without two points)."""
        points = [v for v in self.trend if v is not None]
        return None if len(points) < 2 else points[-1] - points[0]


@dataclass(frozen=True)
class SegmentBase:
    """What regrouping needs, read once: the book and each account's recent scores."""

    book: Book
    trend_days: tuple[dt.date, ...] = ()
    trend: FloatArray | None = None  # accounts x trend days, NaN = no snapshot

    @property
    def empty(self) -> bool:
        return len(self.book) == 0


class TrendHistory(NamedTuple):
    """Snapshot scores on the trend's sample days (RECORD rows), not yet tied to a book."""

    days: tuple[int, ...]
    records: npt.NDArray[Any]


def attach_trend(base: SegmentBase, trend: TrendHistory) -> SegmentBase:
    """The base with each account's trend filled in (no database access)."""
    matrix = matrix_from(base.book, list(trend.days), trend.records)
    return SegmentBase(base.book, tuple(dt.date.fromordinal(d) for d in trend.days), matrix)


class SegmentSeries(NamedTuple):
    """A segment's average score on each sample day (None = no data that day)."""

    key: str
    label: str
    customers: int
    values: tuple[float | None, ...]


class Comparison(NamedTuple):
    """Up to five segments over a date range, the whole book beside them, and a reading."""

    grouping: str
    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    series: tuple[SegmentSeries, ...]
    reference: SegmentSeries
    analysis: tuple[str, ...]


class SegmentService:
    """Segment figures of the scope's clients for the manager filter in force, as of a day."""

    def __init__(self, db: Database, clock: Clock, config: ConfigService, scope: Scope) -> None:
        self._db, self._clock, self._config = db, clock, config
        self._scope = scope

    def load(
        self, manager: str | None = None, as_of: dt.date | None = None, trend: bool = True
    ) -> SegmentBase:
        """The live book; with `trend`, also each account's last 30 days (`with_trend`)."""
        day = as_of or self._clock.today()
        with self._db.session() as s:
            book = load_book(
                s, manager, day, self._config.current(), self._config.weights_for, self._scope
            )
        base = SegmentBase(book)
        return self.with_trend(base, manager) if trend else base

    def with_trend(self, base: SegmentBase, manager: str | None = None) -> SegmentBase:
        """`base` plus an 11-point, 30-day score history per account."""
        return attach_trend(base, self.trend(manager, base.book.as_of))

    def trend(self, manager: str | None = None, as_of: dt.date | None = None) -> TrendHistory:
        """The last 30 days of scores, 11 days of them, for `attach_trend`. A read of its
        own, so a page can run it beside `load(trend=False)` and show figures first."""
        day = (as_of or self._clock.today()).toordinal()
        days = sample_days(day - TREND_DAYS, day, TREND_POINTS)
        with self._db.session() as s:
            return TrendHistory(tuple(days), score_records(s, days, manager, self._scope))

    def segments(
        self, grouping: str, manager: str | None = None, as_of: dt.date | None = None
    ) -> list[Segment]:
        return group(self.load(manager, as_of), grouping)

    def compare(
        self,
        base: SegmentBase,
        grouping: str,
        keys: Sequence[str],
        start: dt.date,
        end: dt.date,
        manager: str | None = None,
    ) -> Comparison:
        """Average score per sample day of each chosen segment's current accounts."""
        _check_compare(grouping, keys, start, end)
        days = sample_days(start.toordinal(), end.toordinal(), COMPARE_POINTS)
        with self._db.session() as s:
            matrix = score_matrix(s, base.book, days, manager, self._scope)
            first = first_history_day(s, self._scope)
        members = _memberships(base.book, grouping)
        series = tuple(
            _series(key, grouping, members.get(key, np.zeros(0, np.int64)), matrix) for key in keys
        )
        everyone = np.flatnonzero(_included(base.book, grouping))
        reference = _series("", grouping, everyone, matrix)._replace(label="All accounts")
        when = tuple(dt.date.fromordinal(d) for d in days)
        text = compare_text(series, reference, when, first)
        return Comparison(grouping, start, end, when, series, reference, text)


def _check_compare(grouping: str, keys: Sequence[str], start: dt.date, end: dt.date) -> None:
    if grouping not in GROUPINGS:
        raise ValidationError(
            "grouping", f'"{grouping}" is not a grouping; use tier, lifecycle, manager or tag.'
        )
    if not 1 <= len(keys) <= MAX_COMPARE:
        raise ValidationError(
            "segments", f"Choose one to {MAX_COMPARE} segments to compare ({len(keys)} chosen)."
        )
    if end <= start:
        raise ValidationError("range", "The comparison must end after it starts.")


def _series(key: str, grouping: str, rows: IntArray, matrix: FloatArray) -> SegmentSeries:
    part = matrix[rows] if len(rows) else np.full((0, matrix.shape[1]), np.nan)
    counts = (~np.isnan(part)).sum(axis=0)
    sums = np.nansum(part, axis=0)
    values = tuple(float(s / c) if c else None for s, c in zip(sums, counts, strict=True))
    return SegmentSeries(key, segment_label(grouping, key), len(rows), values)


def segment_label(grouping: str, key: str) -> str:
    """How a segment is named on screen ('' is the 'none' segment of the grouping)."""
    if not key:
        return NONE_LABELS.get(grouping, "None")
    if grouping == "tier":
        return TIER_LABELS.get(key, key)
    if grouping == "lifecycle":
        return LIFECYCLE_LABELS.get(key, key)
    return key


def _included(book: Book, grouping: str) -> BoolArray:
    """Churned accounts count only when grouping by lifecycle (they have their own row)."""
    if grouping == "lifecycle":
        return np.ones(len(book), bool)
    return np.fromiter((lc != "churned" for lc in book.lifecycles), bool, len(book))


def _pairs(book: Book, grouping: str) -> tuple[list[str], IntArray]:
    """(segment key, account position) for every membership; tags give several."""
    keep = np.flatnonzero(_included(book, grouping))
    if grouping == "tag":
        keys, rows = [], []
        for i in keep.tolist():
            for tag in book.tags[i] or ("",):
                keys.append(tag)
                rows.append(i)
        return keys, np.asarray(rows, np.int64)
    column: Callable[[int], str | None] = {
        "tier": lambda i: book.tiers[i],
        "lifecycle": lambda i: book.lifecycles[i],
        "manager": lambda i: book.managers[i],
    }[grouping]
    return [column(i) or "" for i in keep.tolist()], keep.astype(np.int64)


def _memberships(book: Book, grouping: str) -> dict[str, IntArray]:
    keys, rows = _pairs(book, grouping)
    if not keys:
        return {}
    names, inverse = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
    order = np.argsort(inverse, kind="stable")
    bounds = np.cumsum(np.bincount(inverse, minlength=len(names)))[:-1]
    return {
        str(name): part for name, part in zip(names, np.split(rows[order], bounds), strict=True)
    }


def group(base: SegmentBase, grouping: str) -> list[Segment]:
    """The book's segments for one grouping (no database access), largest first."""
    if grouping not in GROUPINGS:
        raise ValidationError("grouping", f'"{grouping}" is not a grouping.')
    book = base.book
    out = [
        _segment(base, grouping, key, rows) for key, rows in _memberships(book, grouping).items()
    ]
    out.sort(key=lambda s: _order(grouping, s))
    return out


def _order(grouping: str, s: Segment) -> tuple[int, int, str]:
    if grouping == "tier" and s.key in TIERS:
        return (0, TIERS.index(s.key), "")
    if grouping == "lifecycle" and s.key in LIFECYCLE_LABELS:
        return (0, list(LIFECYCLE_LABELS).index(s.key), "")
    return (1 if s.key else 2, -s.customers, s.label.lower())


def _segment(base: SegmentBase, grouping: str, key: str, rows: IntArray) -> Segment:
    book = base.book
    scores = book.scores[rows]
    scored = ~np.isnan(scores)
    trend = () if base.trend is None else _series(key, grouping, rows, base.trend).values
    return Segment(
        grouping,
        key,
        segment_label(grouping, key),
        len(rows),
        int(scored.sum()),
        float(scores[scored].mean()) if scored.any() else None,
        int(book.mrr_cents[rows].sum()),
        int(book.at_risk[rows].sum()),
        trend,
        tuple(int(i) for i in book.ids[rows]),
    )
