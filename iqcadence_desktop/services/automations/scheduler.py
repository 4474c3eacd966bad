"""Scheduled reports (S8): any report, daily / weekly / monthly at a local time, emailed
through the outbox with the report attached.

A run that finds a schedule due queues one message and moves the schedule to its next
time after now, so a laptop that was closed for a week sends one report, not seven.
The report itself is rendered when the message is sent, as of the scheduled day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import AutomationConnection, ReportSchedule
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.connections import (
    AUTOMATIONS_CHANGED,
    ConnectionService,
    parse_emails,
)
from iqcadence_desktop.services.automations.delivery import render
from iqcadence_desktop.services.automations.dto import WEEKDAYS, ScheduleDTO
from iqcadence_desktop.services.automations.messages import report_message
from iqcadence_desktop.services.automations.outbox import enqueue, entry_row
from iqcadence_desktop.services.automations.timeutil import next_run, parse_hhmm, to_local, to_utc
from iqcadence_desktop.services.reports import ReportService
from iqcadence_desktop.services.system import AuditLog, Clock, DomainEvent, EventBus

EVERY = ("daily", "weekly", "monthly")
FORMATS = ("pdf", "csv")


def parse_day(every: str, raw: str | int | None) -> int | None:
    """Weekday (0 = Monday; names accepted) for weekly, day 1-28 for monthly."""
    if raw in (None, ""):
        return None
    text = str(raw).strip().lower()
    if every == "weekly":
        for i, name in enumerate(WEEKDAYS):
            if text in (name.lower(), name.lower()[:3], str(i)):
                return i
        raise ValidationError("day", f'"{raw}" is not a weekday; use monday … sunday.')
    if every == "monthly" and text.isdigit() and 1 <= int(text) <= 28:
        return int(text)
    raise ValidationError(
        "day", "Monthly reports go out on a day from 1 to 28 (every month has those)."
    )


class ScheduleService:
    """Add, list, toggle and remove report schedules; queue the due ones."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        reports: ReportService,
        connections: ConnectionService,
        tz: dt.tzinfo | None,
        guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._db, self._clock, self._audit, self._events = db, clock, audit, events
        self._reports, self._connections, self._tz = reports, connections, tz
        self._guard = guard  # refuses a change the signed-in role may not make (team mode)

    def all(self) -> list[ScheduleDTO]:
        with self._db.session() as s:
            rows = s.execute(
                select(ReportSchedule, AutomationConnection.name)
                .join(AutomationConnection, AutomationConnection.id == ReportSchedule.connection_id)
                .order_by(ReportSchedule.id)
            ).all()
            return [self._dto(r, name) for r, name in rows]

    def _dto(self, r: ReportSchedule, connection: str) -> ScheduleDTO:
        return ScheduleDTO(
            r.id,
            r.report,
            self._reports.kind(r.report).title,
            r.format,
            r.customer_id,
            r.manager,
            r.every,
            r.at_time,
            r.day,
            tuple(r.recipients),
            connection,
            r.enabled,
            r.next_due_at,
            r.last_queued_at,
        )

    def add(
        self,
        report: str,
        every: str,
        at: str,
        connection_id: int,
        recipients: tuple[str, ...] = (),
        fmt: str = "pdf",
        day: str | int | None = None,
        customer_id: int | None = None,
        manager: str | None = None,
    ) -> ScheduleDTO:
        self._guard()
        kind = self._reports.kind(report)
        if every not in EVERY:
            raise ValidationError("every", "Send reports daily, weekly or monthly.")
        if fmt not in FORMATS:
            raise ValidationError("format", f'"{fmt}" is not a report format; use pdf or csv.')
        if kind.customer == "required" and customer_id is None:
            raise ValidationError("customer", f"The {kind.title} report needs a customer.")
        if kind.customer == "none" and customer_id is not None:
            raise ValidationError("customer", f"The {kind.title} report covers the portfolio.")
        try:
            at_time = parse_hhmm(at)
        except ValueError:
            raise ValidationError(
                "at", f'"{at}" is not a time; write it as HH:MM, e.g. 07:30.'
            ) from None
        connection = self._connections.get(connection_id)
        if connection.kind != "email":
            raise ValidationError(
                "via", f'"{connection.name}" is not an email connection; reports go by email.'
            )
        to = parse_emails(list(recipients)) or connection.recipients
        weekday = parse_day(every, day)
        first = next_run(every, at_time, weekday, to_local(self._clock.now(), self._tz))
        with self._db.session() as s:
            row = ReportSchedule(
                report=kind.id,
                format=fmt,
                customer_id=customer_id,
                manager=manager or None,
                every=every,
                at_time=at_time.strftime("%H:%M"),
                day=weekday,
                recipients=list(to),
                connection_id=connection.id,
                enabled=True,
                next_due_at=to_utc(first, self._tz),
                created_at=self._clock.now(),
            )
            s.add(row)
            s.flush()
            dto = self._dto(row, connection.name)
            self._audit.record(
                s,
                "report_schedule_added",
                f"Scheduled {kind.title} ({fmt.upper()}): {dto.describe()} to {', '.join(to)}",
                details=dto.to_json(),
            )
        self._publish()
        return dto

    def set_enabled(self, schedule_id: int, enabled: bool) -> None:
        self._guard()
        with self._db.session() as s:
            row = self._row(s, schedule_id)
            if row.enabled == enabled:
                return
            row.enabled = enabled
            if enabled:  # no catching up on what was skipped while off
                local = next_run(
                    row.every,
                    parse_hhmm(row.at_time),
                    row.day,
                    to_local(self._clock.now(), self._tz),
                )
                row.next_due_at = to_utc(local, self._tz)
            title = self._reports.kind(row.report).title
            verb = "Resumed" if enabled else "Paused"
            self._audit.record(s, "report_schedule_changed", f"{verb} the {title} schedule")
        self._publish()

    def remove(self, schedule_id: int) -> None:
        self._guard()
        with self._db.session() as s:
            row = self._row(s, schedule_id)
            title = self._reports.kind(row.report).title
            s.delete(row)
            self._audit.record(s, "report_schedule_removed", f"Removed the {title} schedule")
        self._publish()

    @staticmethod
    def _row(s: Session, schedule_id: int) -> ReportSchedule:
        row = s.get(ReportSchedule, schedule_id)
        if row is None:
            raise NotFoundError(f"Schedule {schedule_id} does not exist.")
        return row

    # -- running ---------------------------------------------------------------------
    def queue_due(self) -> int:
        """Queue every due schedule's report; returns how many were queued."""
        now = self._clock.now()
        with self._db.session() as s:
            due = s.scalars(
                select(ReportSchedule).where(
                    ReportSchedule.enabled.is_(True), ReportSchedule.next_due_at <= now
                )
            ).all()
            for row in due:
                self._queue(s, row, now)
        return len(due)

    def _queue(self, s: Session, row: ReportSchedule, now: dt.datetime) -> None:
        local_due = to_local(row.next_due_at, self._tz)
        target = self._connections.target(row.connection_id, with_secret=False)
        if target is not None:
            kind = self._reports.kind(row.report)
            spec = attachment_spec(
                row.report, row.format, local_due.date(), row.manager, row.customer_id
            )
            event_id = f"report_{row.id}_{row.next_due_at:%Y%m%dT%H%M}"
            message = report_message(event_id, kind.title, local_due.date(), spec)
            body = render(message, target, tuple(row.recipients))
            enqueue(s, [_entry(row.connection_id, target.name, message.title, body, event_id, now)])
        row.last_queued_at = now
        local_now = to_local(now, self._tz)
        row.next_due_at = to_utc(
            next_run(row.every, parse_hhmm(row.at_time), row.day, local_now), self._tz
        )

    def _publish(self) -> None:
        self._events.publish(DomainEvent(AUTOMATIONS_CHANGED))


def attachment_spec(
    report: str, fmt: str, as_of: dt.date, manager: str | None, customer_id: int | None
) -> dict[str, Any]:
    return {
        "report": report,
        "format": fmt,
        "as_of": as_of.isoformat(),
        "manager": manager,
        "customer_id": customer_id,
    }


def _entry(
    connection_id: int,
    name: str,
    subject: str,
    body: dict[str, Any],
    event_id: str,
    now: dt.datetime,
) -> dict[str, Any]:
    return entry_row(
        event_id=event_id,
        connection_id=connection_id,
        connection_name=name,
        channel="email",
        kind="report",
        subject=subject,
        body=body,
        now=now,
    )
