"""Reading many daily snapshots fast: sampled days into a numpy matrix."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, ScoreSnapshot
from iqcadence_desktop.services.analytics.book import Book, FloatArray
from iqcadence_desktop.services.analytics.fetch import RECORD, fetch_records
from iqcadence_desktop.services.team import Scope


def sample_days(first: int, last: int, max_points: int) -> list[int]:
    """Day ordinals from `first` to `last` (both kept), evenly spaced, at most `max_points`."""
    if last < first:
        return []
    step = max(1, math.ceil((last - first) / max(max_points - 1, 1)))
    days = list(range(last, first - 1, -step))
    if days[-1] != first and len(days) < max_points:
        days.append(first)
    return sorted(days)


def score_matrix(
    session: Session, book: Book, days: list[int], manager: str | None, scope: Scope
) -> FloatArray:
    """Scores of the book's accounts on these days: one row per account, NaN = none."""
    return matrix_from(book, days, score_records(session, days, manager, scope))


def score_records(
    session: Session, days: list[int], manager: str | None, scope: Scope
) -> npt.NDArray[Any]:
    """(customer_id, day, score) of every scored snapshot on these days (RECORD rows) of
    the scope's customers."""
    if not days:
        return np.zeros(0, RECORD)
    snap = ScoreSnapshot
    stmt = select(snap.customer_id, snap.day, snap.score).where(
        snap.day.in_(days), snap.score.is_not(None)
    )
    if manager:
        stmt = stmt.where(
            snap.customer_id.in_(select(Customer.id).where(Customer.manager == manager))
        )
    stmt = scope.keyed_by_customer(stmt, snap.customer_id)
    return fetch_records(session, stmt, RECORD)


def matrix_from(book: Book, days: list[int], records: npt.NDArray[Any]) -> FloatArray:
    """Place snapshot records in an accounts x days matrix (NaN where none)."""
    matrix = np.full((len(book), len(days)), np.nan)
    if not days or not len(book) or not len(records):
        return matrix
    rows = book.index_of(records["customer_id"])
    cols = np.searchsorted(np.asarray(days), records["day"])
    keep = rows >= 0
    matrix[rows[keep], cols[keep]] = records["value"][keep]
    return matrix


def first_history_day(session: Session, scope: Scope) -> dt.date | None:
    """The oldest day any snapshot of the scope's customers exists for (min() over the
    whole table is one seek on the day index)."""
    stmt = select(func.min(ScoreSnapshot.day))
    stmt = scope.keyed_by_customer(stmt, ScoreSnapshot.customer_id)
    day = session.scalar(stmt)
    return None if day is None else dt.date.fromordinal(day)
