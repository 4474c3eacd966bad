"""Reading customers as DTOs, scored live as of any day: one path for one account and 100k.

One Core query on the session's connection brings the stored columns, the tags
(aggregated in SQL) and last week's score (a primary-key range per row). Dates arrive as
text and are parsed once per distinct value; the numpy engine scores every row at once;
derived state comes from the rules in `scoring.derived`, evaluated once per distinct
input where the input repeats (cadence, renewal window, months to renewal). The DTO is
assembled column by column, in `CustomerDTO._fields` order, so a new field needs only a
new column here.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, func, select, type_coerce
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot, ScoringProfile
from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.customers.query import (
    MAX_SQL_IDS,
    MOMENTUM_DAYS,
    MOMENTUM_SLACK_DAYS,
    CustomerFilter,
)
from iqcadence_desktop.services.scoring import (
    ScoringConfig,
    WeightsFor,
    cadence_status,
    expansion_estimate_cents,
    months_to_renewal,
    priority_score,
    renewal_window,
    score_columns,
    shown_score,
)
from iqcadence_desktop.services.scoring import momentum as momentum_of
from iqcadence_desktop.services.team import Scope

K = TypeVar("K")
V = TypeVar("V")
Columns = dict[str, Sequence[Any]]


def _text(column: Any) -> ColumnElement[Any]:
    """Read a column without SQLAlchemy's per-row date/datetime parsing."""
    return type_coerce(column, String)


def _tags_subquery(dialect: str) -> Any:
    ordered = (
        select(CustomerTag.customer_id, CustomerTag.tag)
        .order_by(CustomerTag.customer_id, CustomerTag.tag)
        .subquery()
    )
    agg = (
        func.string_agg(ordered.c.tag, "|")
        if dialect == "postgresql"
        else func.group_concat(ordered.c.tag, "|")
    )
    return (
        select(ordered.c.customer_id, agg.label("tags")).group_by(ordered.c.customer_id).subquery()
    )


def _week_ago_score(as_of: dt.date) -> Any:
    """The score of the newest snapshot 7-14 days back: one primary-key range per row.

    (A joined GROUP BY subquery made SQLite rescan it for every customer.)
    """
    end = as_of.toordinal() - MOMENTUM_DAYS
    snap = ScoreSnapshot
    return (
        select(snap.score)
        .where(snap.customer_id == Customer.id, snap.day.between(end - MOMENTUM_SLACK_DAYS, end))
        .order_by(snap.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def _selected(dialect: str, as_of: dt.date) -> tuple[list[str], Any]:
    """(column names, the SELECT) for every stored field a DTO needs."""
    tags, c = _tags_subquery(dialect), Customer
    columns: dict[str, Any] = {
        "id": c.id,
        "name": c.name,
        "manager": c.manager,
        "mrr_cents": c.mrr_cents,
        "tier": c.tier,
        "lifecycle": c.lifecycle,
        "sentiment": c.sentiment,
        "note": c.note,
        "renewal_date": _text(c.renewal_date),
        "last_contact_date": _text(c.last_contact_date),
        "customer_since": _text(c.customer_since),
        "next_touch": _text(c.next_touch),
        "created_at": _text(c.created_at),
        "updated_at": _text(c.updated_at),
        "deleted_at": _text(c.deleted_at),
        "scoring_profile_id": c.scoring_profile_id,
        "logins_30d": c.logins_30d,
        "feature_adoption_pct": c.feature_adoption_pct,
        "open_tickets": c.open_tickets,
        "nps": c.nps,
        "csat": c.csat,
        "growth_signal": c.growth_signal,
        "score_override": c.score_override,
        "tags": tags.c.tags,
        "week_ago": _week_ago_score(as_of),
        "client_id": c.client_id,
        "version": c.version,
    }
    stmt = select(*columns.values()).outerjoin(tags, tags.c.customer_id == c.id)
    return list(columns), stmt


def _filtered(stmt: Any, flt: CustomerFilter, first: int | None, scope: Scope) -> Any:
    c = Customer
    stmt = scope.customers(stmt)
    if flt.trash is not None:
        stmt = stmt.where(c.deleted_at.is_not(None) if flt.trash else c.deleted_at.is_(None))
    for column, value in (
        (c.manager, flt.manager),
        (c.tier, flt.tier),
        (c.lifecycle, flt.lifecycle),
    ):
        if value:
            stmt = stmt.where(column == value)
    if flt.ids is not None and len(flt.ids) <= MAX_SQL_IDS:
        stmt = stmt.where(c.id.in_(flt.ids))
    if flt.tag:
        tagged = select(CustomerTag.customer_id).where(
            func.lower(CustomerTag.tag) == flt.tag.lower()
        )
        stmt = stmt.where(c.id.in_(tagged))
    if first is not None:  # the first screenful of live customers by name
        wanted = scope.customers(
            select(c.id).where(c.deleted_at.is_(None)).order_by(c.name).limit(first)
        )
        stmt = stmt.where(
            c.id.in_(wanted.where(c.manager == flt.manager) if flt.manager else wanted)
        )
    return stmt


def load_customers(
    session: Session,
    flt: CustomerFilter,
    as_of: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    scope: Scope,
    first: int | None = None,
) -> list[CustomerDTO]:
    """Customers matching the filter (in the scope's clients), scored and derived as of a
    day, ordered by name.

    `first=N` returns only the first N live customers by name, fast at any size, so a
    table can paint at once and fill in the rest when the full read arrives.
    """
    names, stmt = _selected(session.get_bind().dialect.name, as_of)
    # Sorting here beats SQLite's ORDER BY on wide rows (a temp B-tree); same order.
    with _gc_paused():
        rows = sorted(
            session.connection().execute(_filtered(stmt, flt, first, scope)), key=itemgetter(1)
        )
        if flt.ids is not None and len(flt.ids) > MAX_SQL_IDS:
            wanted = set(flt.ids)  # too many for one IN (...): filter here instead
            rows = [r for r in rows if r[0] in wanted]
        if not rows:
            return []
        cols: Columns = dict(zip(names, zip(*rows, strict=True), strict=True))
        _complete(cols, session, as_of, config, weights_for)
        fields = (cols[f] for f in CustomerDTO._fields)
        dtos = [CustomerDTO._make(v) for v in zip(*fields, strict=True)]
    if flt.status is not None:
        dtos = [d for d in dtos if d.status == flt.status]
    return dtos


def _complete(
    cols: Columns, session: Session, as_of: dt.date, config: ScoringConfig, weights: WeightsFor
) -> None:
    """Turn the stored columns into every CustomerDTO column (in place)."""
    _parse_dates(cols)
    scored = score_columns(
        [cols[k] for k in _SIGNALS] + [cols["score_override"]], as_of, config, weights
    )
    cols["days_since_contact"] = scored.days
    cols["score"], cols["coverage"], cols["status"] = (
        scored.scores,
        scored.coverage,
        scored.statuses,
    )
    cols["shown_score"] = [shown_score(s) for s in scored.scores]
    cols["manual_score"] = [o is not None for o in cols["score_override"]]
    cols["tags"] = _once(cols["tags"], lambda v: tuple(v.split("|")) if v else ())
    cols["scoring_profile"] = _profile_names(session, cols["scoring_profile_id"])
    cols["momentum"] = [
        momentum_of(s, w) for s, w in zip(scored.scores, cols["week_ago"], strict=True)
    ]
    _derive(cols, as_of, config)


_SIGNALS = (
    "scoring_profile_id",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "last_contact_date",
    "growth_signal",
)


def _derive(cols: Columns, as_of: dt.date, config: ScoringConfig) -> None:
    """Renewal timing, cadence, expansion and priority (the rules in scoring.derived)."""
    cols["days_until_renewal"] = _once(
        cols["renewal_date"], lambda d: None if d is None else (d - as_of).days
    )
    cols["months_to_renewal"] = _once(cols["renewal_date"], lambda d: months_to_renewal(d, as_of))
    cols["renewal_window"] = _once(cols["days_until_renewal"], lambda n: renewal_window(n, config))
    cols["cadence_status"] = _once(
        list(zip(cols["tier"], cols["days_since_contact"], strict=True)),
        lambda pair: cadence_status(pair[0], pair[1], config),
    )
    cols["expansion_estimate_cents"] = [
        expansion_estimate_cents(s, m, config) if s == "expansion" else 0
        for s, m in zip(cols["status"], cols["mrr_cents"], strict=True)
    ]
    cols["priority"] = list(
        map(
            priority_score,
            cols["score"],
            cols["mrr_cents"],
            cols["days_until_renewal"],
            cols["momentum"],
            cols["lifecycle"],
        )
    )


def _parse_dates(cols: Columns) -> None:
    for name in ("renewal_date", "last_contact_date", "customer_since", "next_touch"):
        cols[name] = _once(cols[name], _as_date)
    for name in ("created_at", "updated_at", "deleted_at"):
        cols[name] = _once(cols[name], _as_datetime)


def _as_date(value: object) -> dt.date | None:
    """A stored date: ISO text on SQLite, a date on PostgreSQL."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _as_datetime(value: object) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))


def _once(values: Sequence[K], fn: Callable[[K], V]) -> list[V]:
    """`fn` of every value, computed once per distinct value (portfolios repeat a lot)."""
    lookup = {v: fn(v) for v in set(values)}
    return [lookup[v] for v in values]


def _profile_names(session: Session, ids: Sequence[int | None]) -> list[str | None]:
    if not any(i is not None for i in ids):
        return [None] * len(ids)
    found = session.connection().execute(select(ScoringProfile.id, ScoringProfile.name))
    names: dict[int, str] = {pid: name for pid, name in found}
    return [None if i is None else names.get(i) for i in ids]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while ~100k short-lived rows are built.

    Those rows hold no reference cycles, yet every few hundred allocations would trigger
    a collection that walks all of them; pausing it cut the load by a fifth to a third.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
