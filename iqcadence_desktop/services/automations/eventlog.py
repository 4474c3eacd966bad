"""The event log: every delivery attempt (and entries still waiting for their first),
the outbox as a list, and re-sending a dead entry by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from sqlalchemy import Select, func, or_, select, update

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import DeliveryAttempt, OutboxEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.dto import AttemptDTO, EventLogFilter, OutboxDTO
from iqcadence_desktop.services.system import AuditLog, Clock, DomainEvent, EventBus
from iqcadence_desktop.services.team import Scope

OUTBOX_CHANGED = "outbox_changed"
Sel = TypeVar("Sel", bound=Select[*tuple[Any, ...]])
OUTCOMES: dict[str, str] = {
    "sent": "Sent",
    "retry": "Will retry",
    "dead": "Failed for good",
    "queued": "Waiting",
}
STATUSES = ("pending", "sending", "sent", "dead")


class EventLogService:
    """Reads the event log and the outbox; re-sends dead entries."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, events: EventBus, scope: Scope
    ) -> None:
        self._db, self._clock, self._audit, self._events = db, clock, audit, events
        # Team mode: a narrowed scope sees messages about its own clients' customers only
        # (not digests, which may list anyone's).
        self._scope = scope

    def attempts(self, flt: EventLogFilter = EventLogFilter()) -> list[AttemptDTO]:
        """Newest first: attempts, plus entries that have not been tried yet."""
        out: list[AttemptDTO] = []
        if flt.outcome in (None, "sent", "retry", "dead"):
            out += self._tried(flt)
        if flt.outcome in (None, "queued"):
            out += self._untried(flt)
        out.sort(key=lambda a: a.at, reverse=True)
        return out[: flt.limit]

    def _tried(self, flt: EventLogFilter) -> list[AttemptDTO]:
        a, o = DeliveryAttempt, OutboxEntry
        stmt = select(a, o).join(o, o.id == a.outbox_id)
        if flt.outcome:
            stmt = stmt.where(a.outcome == flt.outcome)
        stmt = self._narrow(stmt, flt).order_by(a.at.desc(), a.id.desc()).limit(flt.limit)
        with self._db.session() as s:
            return [
                _attempt(e, t.at, t.outcome, t.status_code, t.error, t.retry_at)
                for t, e in s.execute(stmt)
            ]

    def _untried(self, flt: EventLogFilter) -> list[AttemptDTO]:
        o = OutboxEntry
        stmt = select(o).where(o.attempts == 0, o.status.in_(("pending", "sending")))
        stmt = self._narrow(stmt, flt).order_by(o.created_at.desc()).limit(flt.limit)
        with self._db.session() as s:
            return [
                _attempt(e, e.created_at, "queued", None, None, e.next_attempt_at)
                for e in s.scalars(stmt)
            ]

    def _narrow(self, stmt: Sel, flt: EventLogFilter) -> Sel:
        o = OutboxEntry
        stmt = self._visible(stmt)
        if flt.connection:
            stmt = stmt.where(o.connection_name == flt.connection)
        if flt.text:
            like = f"%{flt.text}%"
            stmt = stmt.where(
                or_(o.customer_name.ilike(like), o.rule_name.ilike(like), o.subject.ilike(like))
            )
        return stmt

    def _visible(self, stmt: Sel) -> Sel:
        return self._scope.keyed_by_customer(stmt, OutboxEntry.customer_id)

    def connections(self) -> list[str]:
        """Connection names seen in the outbox (for the filter)."""
        with self._db.session() as s:
            return list(
                s.scalars(
                    select(OutboxEntry.connection_name)
                    .distinct()
                    .order_by(OutboxEntry.connection_name)
                )
            )

    def entries(self, status: str | None = None, limit: int = 500) -> list[OutboxDTO]:
        if status is not None and status not in STATUSES:
            raise ValidationError(
                "status", f'"{status}" is not an outbox status; use ' + ", ".join(STATUSES) + "."
            )
        stmt = self._visible(select(OutboxEntry)).order_by(
            OutboxEntry.created_at.desc(), OutboxEntry.id.desc()
        )
        if status:
            stmt = stmt.where(OutboxEntry.status == status)
        with self._db.session() as s:
            return [_outbox_dto(e) for e in s.scalars(stmt.limit(limit))]

    def counts(self) -> dict[str, int]:
        with self._db.session() as s:
            stmt = select(OutboxEntry.status, func.count()).group_by(OutboxEntry.status)
            rows = s.execute(self._visible(stmt)).all()
        found = {str(k): int(v) for k, v in rows}
        return {k: found.get(k, 0) for k in STATUSES}

    def resend(self, outbox_id: int) -> OutboxDTO:
        """Put a dead entry back in the queue, due now (with the same event id)."""
        with self._db.session() as s:
            entry = s.get(OutboxEntry, outbox_id)
            if entry is None:
                raise NotFoundError(f"Outbox entry {outbox_id} does not exist.")
            if entry.status != "dead":
                raise ValidationError(
                    "id", f"Entry {outbox_id} is {entry.status}; only failed entries are re-sent."
                )
            if entry.connection_id is None:
                raise ValidationError(
                    "id", "Its connection was removed; add the connection again to send it."
                )
            s.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id == outbox_id, OutboxEntry.status == "dead")
                .values(status="pending", next_attempt_at=self._clock.now())
            )
            self._audit.record(
                s,
                "automation_resent",
                f'Re-sent "{entry.subject}" to {entry.connection_name}',
                customer_id=entry.customer_id,
                customer_name=entry.customer_name,
                details={"outbox_id": outbox_id, "event_id": entry.event_id},
            )
            s.flush()
            s.refresh(entry)
            dto = _outbox_dto(entry)
        self._events.publish(DomainEvent(OUTBOX_CHANGED))
        return dto


def _attempt(
    e: OutboxEntry,
    at: dt.datetime,
    outcome: str,
    status_code: int | None,
    error: str | None,
    retry_at: dt.datetime | None,
) -> AttemptDTO:
    return AttemptDTO(
        e.id,
        at,
        e.rule_name,
        e.customer_name,
        e.connection_name,
        e.channel,
        e.kind,
        e.subject,
        outcome,
        status_code,
        error,
        retry_at,
        e.status,
    )


def _outbox_dto(e: OutboxEntry) -> OutboxDTO:
    return OutboxDTO(
        e.id,
        e.event_id,
        e.connection_name,
        e.channel,
        e.kind,
        e.rule_name,
        e.customer_name,
        e.subject,
        e.status,
        e.attempts,
        e.next_attempt_at,
        e.last_status,
        e.last_error,
        e.created_at,
        e.sent_at,
    )
