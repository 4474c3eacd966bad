"""Remembered alert state: episodes (since / cleared) and the user's actions on them.

Evaluating alerts for a day records which conditions started or cleared that day, so
`since` can be reported and hysteresis knows what just cleared. This bookkeeping is not a
user action and is not audited; it is written only when the day evaluated is not older
than the newest change already recorded, so a look at a past day (`--today`) never
rewrites the present.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import Any, NamedTuple, cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.models import AlertState
from iqcadence_desktop.services.alerts.rules import RULES, Alert
from iqcadence_desktop.services.system import upsert


class StateRow(NamedTuple):
    """One alert id's remembered state (days as date ordinals)."""

    alert_id: str
    customer_id: int
    rule: str
    active: bool
    since_day: int
    seen_day: int
    cleared_day: int | None
    snoozed_until: int | None
    dismissed: bool


_TABLE = cast(Table, AlertState.__table__)
_COLUMNS = tuple(_TABLE.c[name] for name in StateRow._fields)


def load_states(
    s: Session, customer_ids: Collection[int] | None = None, where: Any = None
) -> dict[str, StateRow]:
    """Core rows, not ORM entities: a large portfolio has hundreds of thousands.
    `where` limits them to the user's clients (Scope.by_customer): episodes of other
    clients' customers are neither shown nor ended by this user's evaluation."""
    stmt = select(*_COLUMNS)
    if where is not None:
        stmt = stmt.where(where)
    if customer_ids is not None:
        stmt = stmt.where(_TABLE.c.customer_id.in_(list(customer_ids)))
    # SQLAlchemy rows already have the StateRow fields by name, in order.
    rows = cast(list[StateRow], s.connection().execute(stmt).all())
    return {r[0]: r for r in rows}


def cleared_pairs(states: dict[str, StateRow]) -> set[tuple[int, str]]:
    """(customer id, rule) of conditions that held once and have cleared (hysteresis)."""
    return {
        (st.customer_id, st.rule)
        for st in states.values()
        if not st.active and st.cleared_day is not None
    }


def may_write(s: Session, day: dt.date) -> bool:
    newest = s.scalar(select(func.max(AlertState.seen_day)))
    return newest is None or day.toordinal() >= newest


def sync_states(
    s: Session,
    alerts: Iterable[Alert],
    states: dict[str, StateRow],
    day: dt.date,
    evaluated: Collection[int] | None,
) -> None:
    """Start episodes for new alerts, end them for conditions that cleared."""
    d = day.toordinal()
    holding = {a.id: a for a in alerts}
    started = [
        {
            "alert_id": a.id,
            "customer_id": a.customer_id,
            "category": a.category,
            "rule": a.rule,
            "active": True,
            "since_day": d,
            "seen_day": d,
            "cleared_day": _cleared(states.get(a.id)),
            "snoozed_until": _snooze(states.get(a.id)),
            "dismissed": False,
        }
        for aid, a in holding.items()
        if aid not in states or not states[aid].active
    ]
    upsert(s, _TABLE, started, ["alert_id"])
    ended = [
        st.alert_id
        for st in states.values()
        if st.active
        and st.alert_id not in holding
        and (evaluated is None or st.customer_id in evaluated)
    ]
    for start in range(0, len(ended), 500):
        s.execute(
            update(AlertState)
            .where(AlertState.alert_id.in_(ended[start : start + 500]))
            .values(active=False, cleared_day=d, seen_day=d, dismissed=False)
        )


def _cleared(st: StateRow | None) -> int | None:
    return None if st is None else st.cleared_day


def _snooze(st: StateRow | None) -> int | None:
    return None if st is None else st.snoozed_until


def with_states(alerts: list[Alert], states: dict[str, StateRow], day: dt.date) -> list[Alert]:
    """Each alert with its episode start and its state (active / snoozed / dismissed)."""
    d = day.toordinal()
    new = tuple.__new__  # _replace is slow for hundreds of thousands of alerts
    out = []
    for a in alerts:
        st = states.get(f"{a.account.id}:{RULES[a.rule]}:{a.rule}")  # a.id, inlined
        if st is None:
            out.append(a)
            continue
        since = a.since if not st.active or st.since_day > d else dt.date.fromordinal(st.since_day)
        snoozed = st.snoozed_until is not None and st.snoozed_until > d
        state = "dismissed" if st.dismissed and st.active else ("snoozed" if snoozed else "active")
        until = dt.date.fromordinal(st.snoozed_until) if snoozed and st.snoozed_until else None
        out.append(new(Alert, (a.account, a.rule, a.severity, since, state, until, a.limit)))
    return out


def set_action(
    s: Session,
    alerts: Iterable[Alert],
    day: dt.date,
    *,
    snoozed_until: dt.date | None = None,
    dismissed: bool = False,
) -> None:
    """Write the user's action on these (current) alerts, creating rows when needed."""
    d = day.toordinal()
    rows = [
        {
            "alert_id": a.id,
            "customer_id": a.customer_id,
            "category": a.category,
            "rule": a.rule,
            "active": True,
            "since_day": a.since.toordinal(),
            "seen_day": max(d, a.since.toordinal()),
            "cleared_day": None,
            "snoozed_until": None if snoozed_until is None else snoozed_until.toordinal(),
            "dismissed": dismissed,
        }
        for a in alerts
    ]
    existing = load_states(s, {a.customer_id for a in alerts})
    for row in rows:
        st = existing.get(str(row["alert_id"]))
        if st is not None:
            row["cleared_day"], row["seen_day"] = st.cleared_day, max(st.seen_day, d)
    upsert(s, _TABLE, rows, ["alert_id"])
