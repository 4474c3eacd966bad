"""The live book the analytics pages start from: every account scored as of a day.

Column-wise (numpy arrays and lists), so grouping 10,000 accounts by tier, tag or
manager is a handful of vector operations and needs no second trip to the database.
Scores come from the scoring engine exactly as the Customers page and Home Base get
them (decay to the day, profiles, manual overrides), so the numbers always agree.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag
from iqcadence_desktop.services.analytics.fetch import fetch_plain
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    ScoringConfig,
    WeightsFor,
    is_at_risk,
    score_rows,
)
from iqcadence_desktop.services.system import gc_paused
from iqcadence_desktop.services.team import Scope

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
NAN = float("nan")


@dataclass(frozen=True)
class Book:
    """Live accounts, one entry per account in id order; scores NaN when unscored."""

    as_of: dt.date
    ids: IntArray
    managers: list[str | None]
    tiers: list[str | None]
    lifecycles: list[str]
    mrr_cents: IntArray
    scores: FloatArray
    statuses: list[str]
    tags: list[tuple[str, ...]]
    at_risk: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        risky = np.fromiter((is_at_risk(s) for s in self.statuses), bool, len(self.statuses))
        object.__setattr__(self, "at_risk", risky)

    def __len__(self) -> int:
        return len(self.ids)

    def index_of(self, customer_ids: IntArray) -> IntArray:
        """Positions of these ids in the book; -1 for ids not in it."""
        pos = np.searchsorted(self.ids, customer_ids)
        pos = np.clip(pos, 0, max(len(self.ids) - 1, 0))
        found = len(self.ids) > 0 and self.ids[pos] == customer_ids
        return np.where(found, pos, -1).astype(np.int64)


def load_book(
    session: Session,
    manager: str | None,
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    scope: Scope,
) -> Book:
    """Every live account of the scope's clients (one manager's, or all), scored as of
    `as_of`."""
    stmt = select(
        Customer.id,
        Customer.manager,
        Customer.tier,
        Customer.lifecycle,
        Customer.mrr_cents,
        *SIGNAL_COLUMNS,
    ).where(Customer.deleted_at.is_(None))
    if manager:
        stmt = stmt.where(Customer.manager == manager)
    stmt = scope.customers(stmt)
    with gc_paused():
        rows = [_with_date(r) for r in fetch_plain(session, stmt.order_by(Customer.id))]
        scored = score_rows([r[5:] for r in rows], as_of, config, weights_for)
    ids = np.fromiter((r[0] for r in rows), np.int64, len(rows))
    tags = _tags(session, manager, scope)
    return Book(
        as_of,
        ids,
        [r[1] for r in rows],
        [r[2] for r in rows],
        [r[3] for r in rows],
        np.fromiter((r[4] or 0 for r in rows), np.int64, len(rows)),
        np.fromiter((NAN if s is None else s for s in scored.scores), float, len(rows)),
        scored.statuses,
        [tags.get(int(i), ()) for i in ids],
    )


#: Position of last_contact_date in the book query (5 stored columns, then SIGNAL_COLUMNS).
_CONTACT = 5 + 6


def _with_date(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The raw row with its last-contact date as a date (SQLite hands back ISO text)."""
    value = row[_CONTACT]
    if value is None or isinstance(value, dt.date):
        return row
    return (*row[:_CONTACT], dt.date.fromisoformat(value), *row[_CONTACT + 1 :])


def _tags(session: Session, manager: str | None, scope: Scope) -> dict[int, tuple[str, ...]]:
    stmt: Any = select(CustomerTag.customer_id, CustomerTag.tag)
    if manager:
        stmt = stmt.join(Customer, Customer.id == CustomerTag.customer_id).where(
            Customer.manager == manager
        )
    stmt = scope.keyed_by_customer(stmt, CustomerTag.customer_id)
    found: dict[int, list[str]] = defaultdict(list)
    # In primary-key order: the (customer, tag) index covers it, no table lookups.
    for cid, tag in fetch_plain(session, stmt.order_by(CustomerTag.customer_id)):
        found[cid].append(tag)
    return {k: tuple(sorted(v)) for k, v in found.items()}


def mean_or_none(values: FloatArray) -> float | None:
    """The mean of the non-NaN values, or None when there are none."""
    finite = values[~np.isnan(values)]
    return float(finite.mean()) if finite.size else None
