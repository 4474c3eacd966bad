"""Trends (S5): portfolio metrics over time, overlays, movers and a written reading.

Portfolio and per-manager lines come from the per-day rollup (`portfolio_daily`, one
row per day and manager, written by SQL aggregation whenever snapshots are taken), so a
two-year chart reads at most 730 rows. That table covers every client: when the scope is
narrower (team mode), the same rows are computed from the scope's clients' snapshots
(`rollup_rows`) instead. Single-customer overlays read that customer's snapshots by
primary key, and the top movers take two primary-key seeks per account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer, PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.analytics.fetch import RECORD, fetch_plain, fetch_records
from iqcadence_desktop.services.analytics.history import first_history_day
from iqcadence_desktop.services.analytics.metrics import (
    BAND_KEYS,
    METRICS,
    RANGES,
    Metric,
    range_start,
)
from iqcadence_desktop.services.analytics.narrative import Fmt, day_text, trend_text
from iqcadence_desktop.services.scoring import ALL_MANAGERS, BAND_LABELS, rollup_rows
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope

UNASSIGNED_KEY = "(unassigned)"
MOVERS = 10
MAX_OVERLAYS = 5
#: A customer overlay whose customer is gone, or not in the user's clients (the same
#: answer for both, so ids of other clients' customers cannot be probed).
GONE = "(removed)"
#: portfolio_daily rows computed for a narrowed scope (None: read the stored table).
Rollup = list[dict[str, Any]] | None


class Series(NamedTuple):
    """One line: its values per day of the range (None = no data that day)."""

    key: str
    label: str
    axis: str  # "left" or "right"
    role: str  # "primary", "secondary" or "overlay"
    band: str | None
    values: tuple[float | None, ...]


class Mover(NamedTuple):
    """An account whose metric moved over the range."""

    customer_id: int
    name: str
    manager: str | None
    start: float
    end: float

    @property
    def change(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class TrendRequest:
    """What to chart."""

    metric: str = "health"
    secondary: str | None = None
    range_key: str = "90d"
    overlay_managers: tuple[str, ...] = ()
    overlay_customers: tuple[int, ...] = field(default_factory=tuple)


class TrendView(NamedTuple):
    """Everything the Trends page shows for one request."""

    request: TrendRequest
    start: dt.date
    end: dt.date
    days: tuple[dt.date, ...]
    history_start: dt.date | None
    series: tuple[Series, ...]
    rises: tuple[Mover, ...]
    falls: tuple[Mover, ...]
    analysis: tuple[str, ...]

    @property
    def has_data(self) -> bool:
        return any(v is not None for s in self.series for v in s.values)


class TrendService:
    """Builds trend views of the scope's clients for the manager filter in force."""

    def __init__(self, db: Database, clock: Clock, scope: Scope) -> None:
        self._db, self._clock, self._scope = db, clock, scope

    def view(
        self,
        request: TrendRequest,
        manager: str | None = None,
        as_of: dt.date | None = None,
        with_movers: bool = True,
    ) -> TrendView:
        """The chart's lines and reading; the movers too unless `with_movers=False` (a page
        draws the chart first and asks `movers` right after)."""
        _check(request)
        end = as_of or self._clock.today()
        start = range_start(request.range_key, end)
        days = tuple(dt.date.fromordinal(d) for d in range(start.toordinal(), end.toordinal() + 1))
        with self._db.session() as s:
            series = self._series(s, request, manager, days)
            metric = METRICS[request.metric]
            rises, falls = (
                movers(s, metric, manager, start, end, self._scope) if with_movers else ((), ())
            )
            first = first_history_day(s, self._scope)
        text = _analysis(request, series, days, first, start)
        return TrendView(request, start, end, days, first, series, rises, falls, text)

    def movers(
        self, request: TrendRequest, manager: str | None = None, as_of: dt.date | None = None
    ) -> tuple[tuple[Mover, ...], tuple[Mover, ...]]:
        """(rises, falls) of the request's metric over its range."""
        _check(request)
        end = as_of or self._clock.today()
        with self._db.session() as s:
            start = range_start(request.range_key, end)
            return movers(s, METRICS[request.metric], manager, start, end, self._scope)

    def customers_matching(
        self, text: str, manager: str | None = None, limit: int = 20
    ) -> list[tuple[int, str]]:
        """Live customers of the scope's clients whose name contains `text` (for the
        overlay picker)."""
        stmt = select(Customer.id, Customer.name).where(Customer.deleted_at.is_(None))
        if text.strip():
            stmt = stmt.where(Customer.name.ilike(f"%{text.strip()}%"))
        if manager:
            stmt = stmt.where(Customer.manager == manager)
        stmt = self._scope.customers(stmt)
        with self._db.session() as s:
            rows = s.execute(stmt.order_by(Customer.name).limit(limit)).all()
        return [(int(r[0]), str(r[1])) for r in rows]

    def _series(
        self,
        s: Session,
        request: TrendRequest,
        manager: str | None,
        days: tuple[dt.date, ...],
    ) -> tuple[Series, ...]:
        own = ALL_MANAGERS if manager is None else manager
        rows = scoped_rollup(s, days, self._scope)
        metric = METRICS[request.metric]
        out = list(rollup_series(s, metric, own, days, "left", "primary", rows))
        if request.secondary:
            second = METRICS[request.secondary]
            out += rollup_series(s, second, own, days, "right", "secondary", rows)
        if not metric.banded:
            for name in request.overlay_managers:
                key = UNASSIGNED_KEY if name == "" else name
                line = rollup_series(s, metric, key, days, "left", "overlay", rows)
                out += [line[0]._replace(key=f"manager:{name}", label=name or "Unassigned")]
            out += [
                customer_series(s, metric, cid, days, self._scope)
                for cid in request.overlay_customers
            ]
        return tuple(out)


def _check(request: TrendRequest) -> None:
    for key in (request.metric, request.secondary):
        if key is not None and key not in METRICS:
            raise ValidationError(
                "metric", f'"{key}" is not a metric; use one of ' + ", ".join(METRICS) + "."
            )
    if request.range_key not in RANGES:
        raise ValidationError(
            "range", f'"{request.range_key}" is not a range; use one of ' + ", ".join(RANGES) + "."
        )
    overlays = len(request.overlay_managers) + len(request.overlay_customers)
    if overlays > MAX_OVERLAYS:
        raise ValidationError(
            "overlays", f"Overlay at most {MAX_OVERLAYS} lines ({overlays} chosen)."
        )


def _rollup_stmt(columns: Sequence[Any], manager_key: str, days: Sequence[dt.date]) -> Select[Any]:
    return (
        select(PortfolioDaily.day, *columns)
        .where(
            PortfolioDaily.manager == manager_key,
            PortfolioDaily.day.between(days[0].toordinal(), days[-1].toordinal()),
        )
        .order_by(PortfolioDaily.day)
    )


def scoped_rollup(s: Session, days: tuple[dt.date, ...], scope: Scope) -> Rollup:
    """The range's rollup rows of only the scope's clients, computed from their snapshots;
    None when everything is visible (the stored `portfolio_daily` is the answer then)."""
    if scope.client_ids() is None:
        return None
    return rollup_rows(s, days[0].toordinal(), days[-1].toordinal(), scope)


def rollup_series(
    s: Session,
    metric: Metric,
    manager_key: str,
    days: tuple[dt.date, ...],
    axis: str,
    role: str,
    rows: Rollup = None,
) -> list[Series]:
    """The metric per day from the rollup (one line, or five for accounts per band):
    `rows` from `scoped_rollup`, or the stored table when that is None."""
    names = [f"n_{b}" for b in BAND_KEYS] if metric.banded else [metric.rollup]
    if rows is None:
        columns = [getattr(PortfolioDaily, n) for n in names]
        found = {r[0]: r[1:] for r in s.execute(_rollup_stmt(columns, manager_key, days))}
    else:
        found = {r["day"]: tuple(r[n] for n in names) for r in rows if r["manager"] == manager_key}
    first = days[0].toordinal()
    out = []
    for i, name in enumerate(names):
        values: list[float | None] = [None] * len(days)
        for day, row in found.items():
            v = row[i]
            values[day - first] = None if v is None else float(v) * metric.scale
        band = BAND_KEYS[i] if metric.banded else None
        label = BAND_LABELS[band] if band else metric.label
        out.append(Series(name if band else metric.key, label, axis, role, band, tuple(values)))
    return out


def customer_series(
    s: Session, metric: Metric, customer_id: int, days: tuple[dt.date, ...], scope: Scope
) -> Series:
    """One customer's own value of the metric per day, from its snapshots. A customer
    that is gone or not in the scope's clients gives an empty line named "(removed)"."""
    column = getattr(ScoreSnapshot, metric.snapshot)
    stmt = select(ScoreSnapshot.day, column).where(
        ScoreSnapshot.customer_id == customer_id,
        ScoreSnapshot.day.between(days[0].toordinal(), days[-1].toordinal()),
    )
    stmt = scope.keyed_by_customer(stmt, ScoreSnapshot.customer_id)
    values: list[float | None] = [None] * len(days)
    first = days[0].toordinal()
    for day, v in s.execute(stmt):
        values[day - first] = None if v is None else float(v) * metric.scale
    named = scope.customers(select(Customer.name).where(Customer.id == customer_id))
    name = s.scalar(named) or GONE
    return Series(f"customer:{customer_id}", name, "left", "overlay", None, tuple(values))


def movers(
    s: Session, metric: Metric, manager: str | None, start: dt.date, end: dt.date, scope: Scope
) -> tuple[tuple[Mover, ...], tuple[Mover, ...]]:
    """The biggest rises and falls of the metric between the first and the last day of
    the range that have snapshots, among live accounts of the scope's clients present on
    both days.

    Two reads of one day each (for the health score the day index covers them), the
    changes worked out with numpy, and names read only for the accounts listed."""
    day = ScoreSnapshot.day
    first_stmt = select(func.min(day)).where(day >= start.toordinal())
    last_stmt = select(func.max(day)).where(day <= end.toordinal())
    # The scope's own first and last days: another client's history may be longer.
    first = s.scalar(scope.keyed_by_customer(first_stmt, ScoreSnapshot.customer_id))
    last = s.scalar(scope.keyed_by_customer(last_stmt, ScoreSnapshot.customer_id))
    if first is None or last is None or first >= last:
        return (), ()
    before, after = _values_on(s, metric, first, scope), _values_on(s, metric, last, scope)
    ids = np.intersect1d(before["customer_id"], after["customer_id"], assume_unique=True)
    ids = np.intersect1d(ids, _live_ids(s, manager, scope), assume_unique=True)
    a = before["value"][np.searchsorted(before["customer_id"], ids)]
    b = after["value"][np.searchsorted(after["customer_id"], ids)]
    change = b - a
    rise = _top(ids, change, a, b, change > 0, -change)
    fall = _top(ids, change, a, b, change < 0, change)
    names = _names(s, [m[0] for m in (*rise, *fall)], scope)
    made = {
        sign: tuple(
            sorted(
                (
                    Mover(cid, *names[cid], v0 * metric.scale, v1 * metric.scale)
                    for cid, v0, v1 in found
                ),
                key=lambda m: (-abs(m.change), m.name),
            )[:MOVERS]
        )
        for sign, found in (("up", rise), ("down", fall))
    }
    return made["up"], made["down"]


def _top(
    ids: npt.NDArray[np.int64],
    change: npt.NDArray[np.float64],
    a: npt.NDArray[np.float64],
    b: npt.NDArray[np.float64],
    keep: npt.NDArray[np.bool_],
    order: npt.NDArray[np.float64],
) -> list[tuple[int, float, float]]:
    """Up to 2 x MOVERS candidates (ties at the cut are settled by name later)."""
    picked = np.flatnonzero(keep)
    picked = picked[np.argsort(order[picked], kind="stable")[: 2 * MOVERS]]
    return [(int(ids[i]), float(a[i]), float(b[i])) for i in picked]


def _values_on(s: Session, metric: Metric, day: int, scope: Scope) -> npt.NDArray[Any]:
    """(customer_id, day, value) of every snapshot of the scope's customers with a value
    that day, by customer."""
    column = getattr(ScoreSnapshot, metric.snapshot)
    stmt = select(ScoreSnapshot.customer_id, ScoreSnapshot.day, column).where(
        ScoreSnapshot.day == day, column.is_not(None)
    )
    stmt = scope.keyed_by_customer(stmt, ScoreSnapshot.customer_id)
    records = fetch_records(s, stmt, RECORD)
    return records[np.argsort(records["customer_id"], kind="stable")]


def _live_ids(s: Session, manager: str | None, scope: Scope) -> npt.NDArray[np.int64]:
    stmt = select(Customer.id).where(Customer.deleted_at.is_(None))
    if manager:
        stmt = stmt.where(Customer.manager == manager)
    stmt = scope.customers(stmt)
    return np.unique(np.fromiter((r[0] for r in fetch_plain(s, stmt)), np.int64))


def _names(s: Session, ids: list[int], scope: Scope) -> dict[int, tuple[str, str | None]]:
    if not ids:
        return {}
    stmt = select(Customer.id, Customer.name, Customer.manager).where(Customer.id.in_(ids))
    stmt = scope.customers(stmt)
    return {int(r[0]): (r[1], r[2]) for r in s.execute(stmt)}


def _analysis(
    request: TrendRequest,
    series: tuple[Series, ...],
    days: tuple[dt.date, ...],
    first: dt.date | None,
    start: dt.date,
) -> tuple[str, ...]:
    if first is None:
        return ("There is no history yet: each day's scores are kept from now on.",)
    metric = METRICS[request.metric]
    lines = []
    if first > start:
        lines.append(f"History starts on {day_text(first)}; the range reaches further back.")
    primary = [x for x in series if x.role == "primary"]
    if metric.banded:
        lines += _band_lines(primary, days)
    else:
        second = None
        if request.secondary and not METRICS[request.secondary].banded:
            other = METRICS[request.secondary]
            sec = next(x for x in series if x.role == "secondary")
            second = (other.label, sec.values, other.fmt)
        lines += trend_text(metric.label, days, primary[0].values, metric.fmt, second)
    return tuple(lines)


def _band_lines(series: list[Series], days: tuple[dt.date, ...]) -> list[str]:
    moves = []
    for x in series:
        pts = [(d, v) for d, v in zip(days, x.values, strict=True) if v is not None]
        if len(pts) >= 2:
            moves.append((pts[-1][1] - pts[0][1], x.label, pts[0], pts[-1]))
    if not moves:
        return ["Too little history in this range to describe how the bands moved."]
    parts = [f"{label} {a[1]:,.0f} → {b[1]:,.0f}" for _, label, a, b in moves]
    change, label, a, b = max(moves, key=lambda m: abs(m[0]))
    first_day, last_day = day_text(moves[0][2][0]), day_text(moves[0][3][0])
    lines = [f"Accounts per band from {first_day} to {last_day}: " + "; ".join(parts) + "."]
    if change:
        lines.append(f"{label} changed most ({change:+,.0f} accounts).")
    else:
        lines.append("No band changed size over the range.")
    return lines


def fmt_for(metric: str) -> Fmt:
    return METRICS[metric].fmt
