"""Rescoring a chosen set of customers (bulk action on selected rows), set-based.

The same arithmetic and writes as `rescore.rescore_all`, limited to some ids: one read
of their signal columns, numpy scoring, executemany updates and snapshot upserts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer
from iqcadence_desktop.services.config import ScoringConfig
from iqcadence_desktop.services.rescore import (
    _UPDATE,
    SIGNAL_COLUMNS,
    RescoreSummary,
    WeightsFor,
    rebuild_portfolio_day,
    score_rows,
    snapshot_row,
    write_snapshots,
)
from iqcadence_desktop.services.scoring import auto_lifecycle
from iqcadence_desktop.services.sql import CHUNK


def rescore_ids(session: Session, config: ScoringConfig, weights_for: WeightsFor,
                as_of: dt.date, ids: Sequence[int]) -> RescoreSummary:
    """Rescore the live customers among `ids` as of a day and snapshot each."""
    rows: list[Any] = []
    for start in range(0, len(ids), CHUNK):
        rows += session.execute(select(Customer.id, Customer.status, Customer.lifecycle,
                                       Customer.mrr_cents, *SIGNAL_COLUMNS)
                                .where(Customer.deleted_at.is_(None),
                                       Customer.id.in_(ids[start:start + CHUNK]))).all()
    scored = score_rows([r[4:] for r in rows], as_of, config, weights_for)
    day = as_of.toordinal()
    updates, snaps = [], []
    band_changes = lifecycle_changes = 0
    for i, r in enumerate(rows):
        status = scored.statuses[i]
        lifecycle = auto_lifecycle(r[2], status)
        band_changes += status != r[1]
        lifecycle_changes += lifecycle != r[2]
        updates.append({"_id": r[0], "_score": scored.scores[i], "_status": status,
                        "_coverage": scored.coverage[i], "_day": day, "_lifecycle": lifecycle})
        snaps.append(snapshot_row(r[0], day, scored.scores[i], status, scored.coverage[i],
                                  r[4:], scored.days[i], r[3]))
    for start in range(0, len(updates), CHUNK):
        session.connection().execute(_UPDATE, updates[start:start + CHUNK])
        write_snapshots(session, snaps[start:start + CHUNK])
    if rows:
        rebuild_portfolio_day(session, day)
    return RescoreSummary(len(rows), band_changes, lifecycle_changes, as_of)
