"""Reading customers as DTOs, scored live as of any day.

Rows come from one Core query run on the session's connection (no ORM objects, no ORM
result processing); scores are recomputed with the numpy engine so decay, `--today` and
profile changes are always reflected.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple

from sqlalchemy import BindParameter, Select, and_, bindparam, func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot, ScoringProfile
from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    ScoringConfig,
    WeightsFor,
    cadence_status,
    days_until,
    expansion_estimate_cents,
    months_to_renewal,
    priority_score,
    renewal_window,
    score_rows,
    shown_score,
)
from iqcadence_desktop.services.scoring import momentum as momentum_of

MOMENTUM_DAYS = 7
#: Above this many ids a filter is applied in Python: SQLite caps bound variables.
MAX_SQL_IDS = 5000
#: How far back to look for the "week ago" snapshot when that exact day is missing.
MOMENTUM_SLACK_DAYS = 7

_STORED = (
    Customer.id,
    Customer.name,
    Customer.manager,
    Customer.mrr_cents,
    Customer.renewal_date,
    Customer.tier,
    Customer.lifecycle,
    Customer.customer_since,
    Customer.next_touch,
    Customer.note,
    Customer.sentiment,
    Customer.created_at,
    Customer.updated_at,
    Customer.deleted_at,
    ScoringProfile.name,
)


@dataclass(frozen=True)
class CustomerFilter:
    """Which customers to read; every field optional."""

    manager: str | None = None
    status: str | None = None
    tier: str | None = None
    lifecycle: str | None = None
    tag: str | None = None
    ids: tuple[int, ...] | None = None
    trash: bool = False  # True: only trashed customers; False: only live ones


#: Built once: reads by id (a detail window, an API call) skip building the statement and
#: its cache key each time, most of the cost of reading one customer.
_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
_TAGS_BY_IDS = (
    select(CustomerTag.customer_id, CustomerTag.tag)
    .where(CustomerTag.customer_id.in_(_IDS))
    .order_by(CustomerTag.tag)
)
_WEEK_AGO_INNER = (
    select(ScoreSnapshot.customer_id, func.max(ScoreSnapshot.day).label("day"))
    .where(
        ScoreSnapshot.day.between(bindparam("first"), bindparam("last")),
        ScoreSnapshot.customer_id.in_(_IDS),
    )
    .group_by(ScoreSnapshot.customer_id)
    .subquery()
)
_WEEK_AGO_BY_IDS = select(ScoreSnapshot.customer_id, ScoreSnapshot.score).join(
    _WEEK_AGO_INNER,
    and_(
        _WEEK_AGO_INNER.c.customer_id == ScoreSnapshot.customer_id,
        _WEEK_AGO_INNER.c.day == ScoreSnapshot.day,
    ),
)


@lru_cache(maxsize=2)
def _by_ids(trash: bool) -> Select[*tuple[Any, ...]]:
    return build_query(CustomerFilter(ids=(0,), trash=trash), _IDS)


def _ids_only(flt: CustomerFilter) -> bool:
    return (
        flt.ids is not None
        and len(flt.ids) <= 500
        and not (flt.manager or flt.tier or flt.lifecycle or flt.tag)
    )


def build_query(flt: CustomerFilter, ids: Any = None) -> Select[*tuple[Any, ...]]:
    stmt: Select[*tuple[Any, ...]] = select(*_STORED, *SIGNAL_COLUMNS).outerjoin(
        ScoringProfile, ScoringProfile.id == Customer.scoring_profile_id
    )
    deleted: Any = Customer.deleted_at
    if flt.ids is not None and len(flt.ids) <= MAX_SQL_IDS:
        # Wrapped so SQLite cannot use an index on it: without statistics it would scan
        # every live customer by that index (60 ms at 100k) instead of looking the ids up.
        deleted = func.coalesce(Customer.deleted_at, None)
    stmt = stmt.where(deleted.is_not(None) if flt.trash else deleted.is_(None))
    if flt.manager:
        stmt = stmt.where(Customer.manager == flt.manager)
    if flt.tier:
        stmt = stmt.where(Customer.tier == flt.tier)
    if flt.lifecycle:
        stmt = stmt.where(Customer.lifecycle == flt.lifecycle)
    if flt.ids is not None and len(flt.ids) <= MAX_SQL_IDS:
        stmt = stmt.where(Customer.id.in_(flt.ids if ids is None else ids))
    if flt.tag:
        stmt = stmt.where(
            Customer.id.in_(
                select(CustomerTag.customer_id).where(
                    func.lower(CustomerTag.tag) == flt.tag.lower()
                )
            )
        )
    return stmt.order_by(Customer.name)


def tags_by_customer(session: Session, ids: Sequence[int] | None) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    if ids is not None and len(ids) <= 500:
        rows = session.connection().execute(_TAGS_BY_IDS, {"ids": list(ids)})
    else:
        stmt = select(CustomerTag.customer_id, CustomerTag.tag).order_by(CustomerTag.tag)
        rows = session.connection().execute(stmt)
    for cid, tag in rows:
        found[cid].append(tag)
    return {k: tuple(v) for k, v in found.items()}


def week_ago_scores(
    session: Session, as_of: dt.date, ids: Sequence[int] | None
) -> dict[int, float | None]:
    """Each customer's score from the newest snapshot 7-14 days before `as_of`."""
    end = as_of.toordinal() - MOMENTUM_DAYS
    if ids is not None and len(ids) <= 500:
        params = {"first": end - MOMENTUM_SLACK_DAYS, "last": end, "ids": list(ids)}
        return dict(session.connection().execute(_WEEK_AGO_BY_IDS, params).all())
    inner = (
        select(ScoreSnapshot.customer_id, func.max(ScoreSnapshot.day).label("day"))
        .where(ScoreSnapshot.day.between(end - MOMENTUM_SLACK_DAYS, end))
        .group_by(ScoreSnapshot.customer_id)
    )
    sub = inner.subquery()
    stmt = select(ScoreSnapshot.customer_id, ScoreSnapshot.score).join(
        sub, and_(sub.c.customer_id == ScoreSnapshot.customer_id, sub.c.day == ScoreSnapshot.day)
    )
    return dict(session.connection().execute(stmt).all())


def load_customers(
    session: Session,
    flt: CustomerFilter,
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
) -> list[CustomerDTO]:
    """Customers matching the filter, scored and derived as of a day."""
    if _ids_only(flt):
        assert flt.ids is not None
        rows = session.connection().execute(_by_ids(flt.trash), {"ids": list(flt.ids)}).all()
    else:
        rows = session.connection().execute(build_query(flt)).all()
    if flt.ids is not None and len(flt.ids) > MAX_SQL_IDS:
        wanted = set(flt.ids)  # too many for one IN (...): filter here instead
        rows = [r for r in rows if r[0] in wanted]
    ids = [r[0] for r in rows] if flt.ids is not None else None
    tags = tags_by_customer(session, ids)
    past = week_ago_scores(session, as_of, ids)
    n = len(_STORED)
    scored = score_rows([r[n:] for r in rows], as_of, config, weights_for)
    out = []
    for i, r in enumerate(rows):
        dto = _to_dto(
            r,
            n,
            scored.scores[i],
            scored.coverage[i],
            scored.statuses[i],
            scored.days[i],
            tags.get(r[0], ()),
            past.get(r[0]),
            as_of,
            config,
        )
        if flt.status is None or dto.status == flt.status:
            out.append(dto)
    return out


def _to_dto(
    r: Any,
    n: int,
    score: float | None,
    coverage: float,
    status: str,
    days: int | None,
    tags: tuple[str, ...],
    week_ago: float | None,
    as_of: dt.date,
    config: ScoringConfig,
) -> CustomerDTO:
    (
        cid,
        name,
        manager,
        mrr,
        renewal,
        tier,
        lifecycle,
        since,
        next_touch,
        note,
        sentiment,
        created,
        updated,
        deleted,
        profile_name,
    ) = r[:n]
    profile_id, logins, adoption, tickets, nps, csat, last_contact, growth, override = r[n:]
    until = days_until(renewal, as_of)
    mom = momentum_of(score, week_ago)
    return CustomerDTO(
        cid,
        name,
        manager,
        mrr,
        logins,
        adoption,
        tickets,
        nps,
        csat,
        last_contact,
        days,
        renewal,
        until,
        months_to_renewal(renewal, as_of),
        growth,
        tier,
        tags,
        lifecycle,
        since,
        next_touch,
        profile_id,
        profile_name,
        note,
        sentiment,
        score,
        shown_score(score),
        status,
        coverage,
        override is not None,
        mom,
        cadence_status(tier, days, config),
        renewal_window(until, config),
        expansion_estimate_cents(status, mrr, config),
        priority_score(score, mrr, until, mom, lifecycle),
        created,
        updated,
        deleted,
    )


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
) -> list[BookRow]:
    """Live accounts (one manager's or all), scored as of a day, without building DTOs."""
    stmt = select(Customer.mrr_cents, Customer.lifecycle, *SIGNAL_COLUMNS).where(
        Customer.deleted_at.is_(None)
    )
    if manager:
        stmt = stmt.where(Customer.manager == manager)
    rows = session.connection().execute(stmt).all()
    scored = score_rows([r[2:] for r in rows], as_of, config, weights_for)
    return [BookRow(r[0], r[1], scored.scores[i], scored.statuses[i]) for i, r in enumerate(rows)]
