"""Calendar (S5): a month of renewals, planned touches and contacts falling overdue.

One indexed read per month (renewal date, next-touch date and last-contact date each
have an index, and SQLite answers the OR with all three), the accounts scored live so
each event carries today's band, and an iCalendar export of the month.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections import Counter
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import and_, or_, select

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.analytics.fetch import fetch_plain
from iqcadence_desktop.services.analytics.ics import IcsEvent, calendar_text
from iqcadence_desktop.services.scoring import (
    BAND_LABELS,
    SIGNAL_COLUMNS,
    ConfigService,
    ScoringConfig,
    score_rows,
    shown_score,
)
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope

KINDS: dict[str, str] = {
    "renewal": "Renewal",
    "touch": "Next touch",
    "overdue": "Contact overdue",
}
KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


class CalendarEvent(NamedTuple):
    """Something due for one account on one day."""

    day: dt.date
    kind: str
    customer_id: int
    name: str
    manager: str | None
    mrr_cents: int | None
    status: str
    shown_score: int | None

    @property
    def title(self) -> str:
        return f"{KINDS[self.kind]}: {self.name}"

    @property
    def band_label(self) -> str:
        return BAND_LABELS.get(self.status, self.status)


class MonthView(NamedTuple):
    """A month's events, most valuable first within a day."""

    year: int
    month: int
    today: dt.date
    events: tuple[CalendarEvent, ...]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return dt.date(self.year, self.month, cal.monthrange(self.year, self.month)[1])

    @property
    def title(self) -> str:
        return f"{self.first:%B %Y}"

    def on(self, day: dt.date) -> list[CalendarEvent]:
        return [e for e in self.events if e.day == day]

    def counts(self) -> dict[str, int]:
        found = Counter(e.kind for e in self.events)
        return {k: found[k] for k in KINDS}


class CalendarService:
    """Month views of the scope's clients and their .ics export, for the manager filter
    in force."""

    def __init__(self, db: Database, clock: Clock, config: ConfigService, scope: Scope) -> None:
        self._db, self._clock, self._config = db, clock, config
        self._scope = scope

    def month(
        self, year: int, month: int, manager: str | None = None, as_of: dt.date | None = None
    ) -> MonthView:
        if not 1 <= month <= 12 or not 1900 <= year <= 9999:
            raise ValidationError("month", f"{year}-{month:02d} is not a month.")
        today = as_of or self._clock.today()
        first = dt.date(year, month, 1)
        last = dt.date(year, month, cal.monthrange(year, month)[1])
        config = self._config.current()
        stmt = _query(first, last, manager, config, self._scope)
        with self._db.session() as s:
            found = [_dates(r) for r in fetch_plain(s, stmt)]
        # Trashed and churned accounts are dropped here, not in SQL: a condition on them
        # would tempt SQLite to walk the (mostly empty) deleted_at index instead of the
        # three date indexes.
        rows = [r[2:] for r in found if r[0] is None and r[1] != "churned"]
        scored = score_rows([r[7:] for r in rows], today, config, self._config.weights_for)
        events = []
        for i, r in enumerate(rows):
            events += _events(r, scored.scores[i], scored.statuses[i], first, last, config)
        events.sort(key=lambda e: (e.day, KIND_ORDER[e.kind], -(e.mrr_cents or 0), e.name))
        return MonthView(year, month, today, tuple(events))

    def has_accounts(self, manager: str | None = None) -> bool:
        """Whether the book (one manager's, or all) has any live account in the scope's
        clients."""
        stmt = select(Customer.id).where(Customer.deleted_at.is_(None)).limit(1)
        if manager:
            stmt = stmt.where(Customer.manager == manager)
        stmt = self._scope.customers(stmt)
        with self._db.session() as s:
            return s.scalar(stmt) is not None

    def export_ics(self, view: MonthView, path: Path) -> int:
        """Write the month's events to an .ics file; returns how many were written."""
        name = f"iQcadence {view.title}"
        text = calendar_text(name, (ics_event(e) for e in view.events), self._clock.now())
        try:
            path.write_bytes(text.encode("utf-8"))
        except OSError as exc:
            raise ValidationError(
                "path",
                f"The calendar could not be saved to {path}: {exc.strerror or exc}. "
                "Choose another folder.",
            ) from exc
        return len(view.events)


def _query(
    first: dt.date, last: dt.date, manager: str | None, config: ScoringConfig, scope: Scope
) -> Any:
    """The month's candidate rows of the scope's customers (the OR of the three dated
    conditions, each answered from its own index)."""
    c = Customer
    stmt = select(
        c.deleted_at,
        c.lifecycle,
        c.id,
        c.name,
        c.manager,
        c.tier,
        c.mrr_cents,
        c.renewal_date,
        c.next_touch,
        *SIGNAL_COLUMNS,
    ).where(
        or_(
            c.renewal_date.between(first, last),
            c.next_touch.between(first, last),
            *_falls_overdue(first, last, config),
        ),
    )
    if manager:
        stmt = stmt.where(c.manager == manager)
    return scope.customers(stmt)


#: Date columns of the query: renewal, next touch, and last contact among SIGNAL_COLUMNS.
_DATES = (7, 8, 9 + 6)


def _falls_overdue(first: dt.date, last: dt.date, config: ScoringConfig) -> list[Any]:
    """Per tier: the last-contact dates whose contact falls overdue within the month."""
    c = Customer
    windows = {tier: rule.overdue for tier, rule in config.cadence.items()}
    no_tier = config.cadence_for(None).overdue
    out = [
        and_(
            c.tier == tier,
            c.last_contact_date.between(
                first - dt.timedelta(days=days), last - dt.timedelta(days=days)
            ),
        )
        for tier, days in windows.items()
    ]
    # Accounts with no tier (or one without a cadence) follow the default cadence.
    out.append(
        and_(
            or_(c.tier.is_(None), c.tier.not_in(list(windows))),
            c.last_contact_date.between(
                first - dt.timedelta(days=no_tier), last - dt.timedelta(days=no_tier)
            ),
        )
    )
    return out


def _dates(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """The raw row with its dates as dates (SQLite hands back ISO text)."""
    out = list(row)
    for i in _DATES:
        if isinstance(out[i], str):
            out[i] = dt.date.fromisoformat(out[i])
    return tuple(out)


def _events(
    r: Any,
    score: float | None,
    status: str,
    first: dt.date,
    last: dt.date,
    config: ScoringConfig,
) -> list[CalendarEvent]:
    cid, name, manager, tier, mrr, renewal, touch = r[:7]
    contact = r[7 + 6]  # last_contact_date, the 7th of SIGNAL_COLUMNS
    due = None if contact is None else contact + dt.timedelta(days=config.cadence_for(tier).overdue)
    out = []
    for kind, day in (("renewal", renewal), ("touch", touch), ("overdue", due)):
        if day is not None and first <= day <= last:
            out.append(
                CalendarEvent(day, kind, cid, name, manager, mrr, status, shown_score(score))
            )
    return out


def ics_event(e: CalendarEvent) -> IcsEvent:
    money = "—" if e.mrr_cents is None else f"${e.mrr_cents / 100:,.0f}"
    score = "no score" if e.shown_score is None else f"health {e.shown_score}"
    details = [f"MRR {money} a month", f"{e.band_label} ({score})"]
    if e.manager:
        details.append(f"Manager: {e.manager}")
    return IcsEvent(
        f"{e.kind}-{e.customer_id}-{e.day:%Y%m%d}@iqcadence.desktop",
        e.day,
        e.title,
        " · ".join(details),
        (KINDS[e.kind], e.band_label),
    )
