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
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, String, bindparam, func, select, type_coerce
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot, ScoringProfile
from iqcadence_desktop.services.customers.custom_fields import load_custom_values
from iqcadence_desktop.services.customers.dto import NO_CUSTOM, CustomerDTO
from iqcadence_desktop.services.customers.fields import natural_key
from iqcadence_desktop.services.customers.query import (
    MAX_SQL_IDS,
    MOMENTUM_DAYS,
    MOMENTUM_SLACK_DAYS,
    CustomerFilter,
)
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    ScoringConfig,
    WeightsFor,
    cadence_status,
    expansion_estimate_cents,
    load_factor_history,
    months_to_renewal,
    priority_score,
    renewal_window,
    score_columns,
    shown_score,
)
from iqcadence_desktop.services.scoring import momentum as momentum_of
from iqcadence_desktop.services.system import gc_paused
from iqcadence_desktop.services.team import Scope

#: Up to this many ids, a read by id looks each one up (tags, last week's score).
FEW_IDS = 500
K = TypeVar("K")
V = TypeVar("V")
Columns = dict[str, Sequence[Any]]


def _text(column: Any) -> ColumnElement[Any]:
    """Read a column without SQLAlchemy's per-row date/datetime parsing."""
    return type_coerce(column, String)


def _tag_list(dialect: str, tag: Any) -> Any:
    return func.string_agg(tag, "|") if dialect == "postgresql" else func.group_concat(tag, "|")


def _tags_joined(dialect: str) -> Any:
    """Every customer's tags, aggregated once: the cheap way when reading many customers."""
    tags = CustomerTag
    return (
        select(tags.customer_id, _tag_list(dialect, tags.tag).label("tags"))
        .group_by(tags.customer_id)
        .subquery()
    )


def _tags_of_each(dialect: str) -> Any:
    """Each row's tags by a correlated lookup: the cheap way when reading a few."""
    tags = CustomerTag
    mine = select(_tag_list(dialect, tags.tag)).where(tags.customer_id == Customer.id)
    return mine.scalar_subquery()


def _week_ago_score() -> Any:
    """The score of the newest snapshot 7-14 days back: one primary-key range per row.

    (A joined GROUP BY subquery made SQLite rescan it for every customer.) The window
    comes as parameters, so the statement does not change from day to day.
    """
    snap = ScoreSnapshot
    window = snap.day.between(bindparam("week_first"), bindparam("week_last"))
    return (
        select(snap.score)
        .where(snap.customer_id == Customer.id, window)
        .order_by(snap.day.desc())
        .limit(1)
        .scalar_subquery()
    )


def _week_params(as_of: dt.date) -> dict[str, int]:
    end = as_of.toordinal() - MOMENTUM_DAYS
    return {"week_first": end - MOMENTUM_SLACK_DAYS, "week_last": end}


_NAMES: tuple[str, ...] = (
    "id", "name", "external_id", "manager", "mrr_cents", "tier", "lifecycle", "sentiment", "note",
    "renewal_date", "last_contact_date", "customer_since", "next_touch", "created_at",
    "updated_at", "deleted_at", "scoring_profile_id", "logins_30d", "feature_adoption_pct",
    "open_tickets", "nps", "csat", "growth_signal", "score_override", "override_reason",
    "override_until", "profile_manual", "client_id", "version",
)  # fmt: skip
#: DTO field -> its customers column, where the two names differ.
_SOURCES = {
    "override_reason": "score_override_reason",
    "override_until": "score_override_until",
    "profile_manual": "scoring_profile_manual",
}
_DATES = frozenset(
    {"renewal_date", "last_contact_date", "customer_since", "next_touch", "override_until"}
    | {"created_at", "updated_at", "deleted_at"}
)


def _selected(dialect: str, few: bool) -> tuple[list[str], Any]:
    """(column names, the SELECT) for every stored field a DTO needs.

    `few`: tags by a correlated lookup (a handful of rows) instead of one aggregate of
    the whole tag table joined in (every row).
    """
    c = Customer
    stored = [c.__table__.c[_SOURCES.get(n, n)] for n in _NAMES]
    columns = [_text(col) if n in _DATES else col for n, col in zip(_NAMES, stored, strict=True)]
    if few:
        stmt = select(*columns, _tags_of_each(dialect), _week_ago_score())
    else:
        joined = _tags_joined(dialect)
        stmt = select(*columns, joined.c.tags, _week_ago_score()).outerjoin(
            joined, joined.c.customer_id == c.id
        )
    return [*_NAMES, "tags", "week_ago"], stmt


def _filtered(stmt: Any, flt: CustomerFilter, first: int | None, scope: Scope) -> Any:
    c = Customer
    stmt = scope.customers(stmt)
    for column, value in (
        (c.manager, flt.manager),
        (c.tier, flt.tier),
        (c.lifecycle, flt.lifecycle),
    ):
        if value:
            stmt = stmt.where(column == value)
    if flt.tag:
        tagged = select(CustomerTag.customer_id).where(
            func.lower(CustomerTag.tag) == flt.tag.lower()
        )
        stmt = stmt.where(c.id.in_(tagged))
    if first is not None:  # the first screenful of live customers by name
        # Case-blind in SQL, with room to spare: the natural order (numbers as numbers)
        # is applied in Python and the list cut to `first` there.
        wanted = scope.customers(
            select(c.id)
            .where(c.deleted_at.is_(None))
            .order_by(func.lower(c.name))
            .limit(first * 2 + 50)
        )
        stmt = stmt.where(
            c.id.in_(wanted.where(c.manager == flt.manager) if flt.manager else wanted)
        )
    return _where_trash(stmt, flt.trash, by_id=False)


def _where_trash(stmt: Any, trash: bool | None, by_id: bool) -> Any:
    if trash is None:
        return stmt
    # Read by id, the test is wrapped so SQLite cannot pick the deleted_at index: with
    # no statistics it would walk every live customer by it (60 ms at 100k) instead of
    # looking the ids up.
    deleted: Any = func.coalesce(Customer.deleted_at, None) if by_id else Customer.deleted_at
    return stmt.where(deleted.is_not(None) if trash else deleted.is_(None))


@lru_cache(maxsize=8)
def _by_ids(dialect: str, trash: bool | None) -> tuple[list[str], Any]:
    """The statement for reads by id (a detail window, an API call), built once."""
    names, stmt = _selected(dialect, few=True)
    stmt = stmt.where(Customer.id.in_(bindparam("ids", expanding=True)))
    return names, _where_trash(stmt, trash, by_id=True)


def _only_ids(flt: CustomerFilter) -> bool:
    """A read of a few accounts by id and nothing else (the common one-account read)."""
    plain = not (flt.manager or flt.tier or flt.lifecycle or flt.tag)
    return plain and flt.ids is not None and len(flt.ids) <= FEW_IDS


def _statement(
    dialect: str, flt: CustomerFilter, as_of: dt.date, first: int | None, scope: Scope
) -> tuple[list[str], Any, dict[str, Any]]:
    params: dict[str, Any] = _week_params(as_of)
    if _only_ids(flt):
        names, stmt = _by_ids(dialect, flt.trash)
        return names, scope.customers(stmt), {**params, "ids": list(flt.ids or ())}
    names, stmt = _selected(dialect, few=first is not None)
    stmt = _filtered(stmt, flt, first, scope)
    if flt.ids is not None and len(flt.ids) <= MAX_SQL_IDS:
        stmt = stmt.where(Customer.id.in_(flt.ids))
    return names, stmt, params


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
    day, in natural name order ("Account 9" before "Account 10").

    `first=N` returns only the first N live customers by name, fast at any size, so a
    table can paint at once and fill in the rest when the full read arrives.
    """
    names, stmt, params = _statement(session.get_bind().dialect.name, flt, as_of, first, scope)
    # Sorting here beats SQLite's ORDER BY on wide rows (a temp B-tree); same order.
    with gc_paused():
        found = session.connection().execute(stmt, params)
        rows = sorted(found, key=lambda row: natural_key(row[1]))[:first]
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
    _live_overrides(cols, as_of)
    history = load_factor_history(session, cols["id"], as_of, config)
    scored = score_columns([cols[k] for k in _SIGNALS], as_of, config, weights, history)
    cols["days_since_contact"] = scored.days
    cols["score"], cols["coverage"], cols["status"] = (
        scored.scores,
        scored.coverage,
        scored.statuses,
    )
    cols["shown_score"] = [shown_score(s) for s in scored.scores]
    cols["manual_score"] = [o is not None for o in cols["score_override"]]
    cols["tags"] = _once(cols["tags"], lambda v: tuple(sorted(v.split("|"))) if v else ())
    cols["scoring_profile"] = _profile_names(session, cols["scoring_profile_id"])
    cols["momentum"] = [
        momentum_of(s, w) for s, w in zip(scored.scores, cols["week_ago"], strict=True)
    ]
    _derive(cols, as_of, config)
    custom = load_custom_values(session, cols["id"])
    cols["custom"] = custom if custom is not None else [NO_CUSTOM] * len(cols["id"])


#: The engine's inputs by column name, in SIGNAL_COLUMNS order (score_override last).
_SIGNALS = tuple(str(column.key) for column in SIGNAL_COLUMNS)


def _live_overrides(cols: Columns, as_of: dt.date) -> None:
    """A manual score counts up to and including its last day; after it, it is gone."""
    overrides, until = cols["score_override"], cols["override_until"]
    if not any(u is not None for u in until):
        cols["override_reason"] = [
            r if o is not None else None
            for r, o in zip(cols["override_reason"], overrides, strict=True)
        ]
        return
    live = [
        o if o is not None and (u is None or u >= as_of) else None
        for o, u in zip(overrides, until, strict=True)
    ]
    cols["score_override"] = live
    cols["override_until"] = [
        u if o is not None else None for u, o in zip(until, live, strict=True)
    ]
    cols["override_reason"] = [
        r if o is not None else None for r, o in zip(cols["override_reason"], live, strict=True)
    ]


def _derive(cols: Columns, as_of: dt.date, config: ScoringConfig) -> None:
    """Renewal timing, cadence, expansion and priority (the rules in scoring.derived)."""
    cols["days_until_renewal"] = _once(
        cols["renewal_date"], lambda d: None if d is None else (d - as_of).days
    )
    cols["months_to_renewal"] = _once(cols["renewal_date"], lambda d: months_to_renewal(d, as_of))
    cols["renewal_window"] = _once(cols["days_until_renewal"], lambda n: renewal_window(n, config))
    missed = [t is not None and t < as_of for t in cols["next_touch"]]
    cols["cadence_status"] = _once(
        list(zip(cols["tier"], cols["days_since_contact"], missed, strict=True)),
        lambda key: cadence_status(key[0], key[1], config, key[2]),
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
    for name in (
        "renewal_date",
        "last_contact_date",
        "customer_since",
        "next_touch",
        "override_until",
    ):
        cols[name] = _once(cols[name], _as_date)
    cols["profile_manual"] = [bool(m) for m in cols["profile_manual"]]
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
