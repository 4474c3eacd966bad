"""list_customers: filters, sort and paging done in SQL, the page then read as DTOs.

Stored score and status are today's once the daily refresh has run, so filtering and
sorting on them in SQL agrees with the live scores the page shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer, CustomerTag
from iqcadence_desktop.services.customers import LIFECYCLES
from iqcadence_desktop.services.scoring import BANDS, UNSCORED

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
SORTS = {
    "updated_at": Customer.updated_at,
    "created_at": Customer.created_at,
    "name": Customer.name_key,
    "score": Customer.score,
    "mrr": Customer.mrr_cents,
    "arr": Customer.mrr_cents,
}
TIERS = ("enterprise", "mid", "smb")


@dataclass(frozen=True)
class ListQuery:
    """A checked list_customers request."""

    status: str | None = None
    lifecycle: str | None = None
    tier: str | None = None
    manager: str | None = None
    tag: str | None = None
    updated_since: dt.datetime | None = None
    sort: str = "updated_at"
    order: str = "desc"
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def parse_list_query(params: Mapping[str, Any]) -> ListQuery:
    """Check every parameter; a bad one raises ValidationError naming it."""

    def text(name: str) -> str | None:
        value = params.get(name)
        return None if value is None or str(value).strip() == "" else str(value).strip()

    status, lifecycle, tier = text("status"), text("lifecycle"), text("tier")
    _choice("status", status, (*BANDS, UNSCORED))
    _choice("lifecycle", lifecycle, LIFECYCLES)
    _choice("tier", tier, TIERS)
    sort, order = text("sort") or "updated_at", (text("order") or "desc").lower()
    _choice("sort", sort, tuple(SORTS))
    _choice("order", order, ("asc", "desc"))
    return ListQuery(
        status,
        lifecycle,
        tier,
        text("manager"),
        text("tag"),
        _since(text("updated_since")),
        sort,
        order,
        _int("limit", text("limit"), DEFAULT_LIMIT, 1, MAX_LIMIT),
        _int("offset", text("offset"), 0, 0, None),
    )


def _choice(name: str, value: str | None, allowed: tuple[str, ...]) -> None:
    if value is not None and value not in allowed:
        raise ValidationError(
            name, f"{name}: {value!r} is not allowed; use one of {', '.join(allowed)}."
        )


def _int(name: str, value: str | None, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = low - 1
    if number < low or (high is not None and number > high):
        span = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ValidationError(name, f"{name}: {value!r} is not allowed; use a whole number {span}.")
    return number


def _since(value: str | None) -> dt.datetime | None:
    """An ISO date or date-time (Z or an offset); stored times are naive UTC."""
    if value is None:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "+"))
    except ValueError:
        raise ValidationError(
            "updated_since",
            f"updated_since: {value!r} is not a date-time like 2026-03-01T00:00:00Z.",
        ) from None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _filtered(q: ListQuery, visible: ColumnElement[bool]) -> Select[Any]:
    stmt = select(Customer.id).where(Customer.deleted_at.is_(None), visible)
    for column, value in (
        (Customer.status, q.status),
        (Customer.lifecycle, q.lifecycle),
        (Customer.tier, q.tier),
        (Customer.manager, q.manager),
    ):
        if value is not None:
            stmt = stmt.where(column == value)
    if q.tag:
        tagged = select(CustomerTag.customer_id).where(func.lower(CustomerTag.tag) == q.tag.lower())
        stmt = stmt.where(Customer.id.in_(tagged))
    if q.updated_since is not None:
        stmt = stmt.where(Customer.updated_at > q.updated_since)
    return stmt


def filter_key(q: ListQuery) -> tuple[object, ...]:
    """What decides how many customers match (not the order or the page)."""
    return (q.status, q.lifecycle, q.tier, q.manager, q.tag, q.updated_since)


def count_matching(s: Session, q: ListQuery, visible: ColumnElement[bool]) -> int:
    """How many customers match; `visible` limits them to the caller's clients."""
    stmt = _filtered(q, visible).with_only_columns(func.count(Customer.id))
    return int(s.scalar(stmt) or 0)


def page_ids(s: Session, q: ListQuery, visible: ColumnElement[bool]) -> list[int]:
    """The ids of one page, in order; `visible` limits them to the caller's clients."""
    stmt = _filtered(q, visible)
    column = SORTS[q.sort]
    key = column.desc() if q.order == "desc" else column.asc()
    tie = Customer.id.desc() if q.order == "desc" else Customer.id.asc()
    # No NULLS LAST term: it would stop SQLite walking the sort column's index. SQLite puts
    # blanks first going up and last going down.
    ordered = stmt.order_by(key, tie).limit(q.limit).offset(q.offset)
    return [int(r[0]) for r in s.execute(ordered)]
