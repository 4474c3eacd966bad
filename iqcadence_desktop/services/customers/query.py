"""Which customers to read (CustomerFilter), and the cheap per-account book for totals.

DTOs are read by `loader.load_customers`; `load_book` is the lighter read behind
portfolio totals (no DTOs at all).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    ScoringConfig,
    WeightsFor,
    load_factor_history,
    score_rows,
)
from iqcadence_desktop.services.team import Scope

MOMENTUM_DAYS = 7
#: Above this many ids a filter is applied in Python: SQLite caps bound variables.
MAX_SQL_IDS = 5000
#: How far back to look for the "week ago" snapshot when that exact day is missing.
MOMENTUM_SLACK_DAYS = 7


@dataclass(frozen=True)
class CustomerFilter:
    """Which customers to read; every field optional."""

    manager: str | None = None
    status: str | None = None
    tier: str | None = None
    lifecycle: str | None = None
    tag: str | None = None
    ids: tuple[int, ...] | None = None
    trash: bool | None = False  # True: only trashed; False: only live; None: both


class BookRow(NamedTuple):
    """The few figures a portfolio total needs for one account, scored as of a day."""

    mrr_cents: int | None
    lifecycle: str
    score: float | None
    status: str


def load_book(
    session: Session,
    manager: str | None,
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    scope: Scope,
) -> list[BookRow]:
    """Live accounts (one manager's or all, in the scope's clients), scored as of a day,
    without building DTOs."""
    stmt = scope.customers(
        select(Customer.mrr_cents, Customer.lifecycle, *SIGNAL_COLUMNS, Customer.id).where(
            Customer.deleted_at.is_(None)
        )
    )
    if manager:
        stmt = stmt.where(Customer.manager == manager)
    rows = session.connection().execute(stmt).all()
    history = load_factor_history(session, [r.id for r in rows], as_of, config)
    scored = score_rows([r[2:-1] for r in rows], as_of, config, weights_for, history)
    return [BookRow(r[0], r[1], scored.scores[i], scored.statuses[i]) for i, r in enumerate(rows)]
