"""The automation service: rules, connections, schedules and the event log, and running
due work (evaluate rules, queue digests and reports, deliver the outbox).

Due work has two halves with a lease each: `prepare_due` writes (events, outbox
entries) and is quick; `deliver_due` waits on the network. The app runs them on its
write and read lanes; `run-due` runs both. Two runners at once never do the same half
twice: the second finds the lease taken and steps aside (`busy`).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import tempfile
import threading
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, TextClause, bindparam, select, text, update

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import OutboxEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations import outbox
from iqcadence_desktop.services.automations.connections import ConnectionService, parse_emails
from iqcadence_desktop.services.automations.delivery import Message, Target, render
from iqcadence_desktop.services.automations.dto import (
    DeliveryResult,
    PrepareResult,
    RunDueResult,
    SendOutcome,
)
from iqcadence_desktop.services.automations.engine import Evaluator, Preload
from iqcadence_desktop.services.automations.eventlog import OUTBOX_CHANGED, EventLogService
from iqcadence_desktop.services.automations.lease import Lease, new_holder
from iqcadence_desktop.services.automations.matching import Columns, RuleSpec, matching_customers
from iqcadence_desktop.services.automations.messages import (
    new_event_id,
    report_message,
    test_message,
)
from iqcadence_desktop.services.automations.rules import RuleService
from iqcadence_desktop.services.automations.scheduler import ScheduleService, attachment_spec
from iqcadence_desktop.services.automations.sender import (
    DeliverySettings,
    Sender,
    WriteGate,
    direct,
)
from iqcadence_desktop.services.automations.timeutil import to_local
from iqcadence_desktop.services.automations_due import QUESTIONS, DueWork, parameters
from iqcadence_desktop.services.customers import CustomerDTO, CustomerService
from iqcadence_desktop.services.reports import ReportFormat, ReportRequest, ReportService
from iqcadence_desktop.services.system import AuditLog, Clock, DomainEvent, EventBus, SecretStore
from iqcadence_desktop.services.team import Permission, Scope


def _query(sql: str) -> TextClause:
    """The probe's SQL for SQLAlchemy, with `now` typed so SQLite gets its text format."""
    names = set(re.findall(r":(\w+)", sql))
    stmt = text(sql)
    return stmt.bindparams(bindparam("now", type_=DateTime())) if "now" in names else stmt


class LiveMatcher:
    """Today's accounts, loaded once, for counting what a draft rule would match."""

    def __init__(self, customers: list[CustomerDTO]) -> None:
        self._cols = Columns(customers)

    @property
    def total(self) -> int:
        return self._cols.n

    def count(self, spec: RuleSpec) -> int:
        return matching_customers(spec, self._cols)


class AutomationService:
    """Everything the Automations and Event Log pages and the CLI commands use."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        customers: CustomerService,
        reports: ReportService,
        audit: AuditLog,
        events: EventBus,
        secrets: SecretStore,
        scope: Scope,
        *,
        settings: DeliverySettings | None = None,
        tz: dt.tzinfo | None = None,
        rng: random.Random | None = None,
        environ: Mapping[str, str] = os.environ,
    ) -> None:
        self._db, self._clock, self._customers = db, clock, customers
        self._reports, self._audit, self._events, self._tz = reports, audit, events, tz
        self._scope = scope
        rules_guard = partial(scope.require, Permission.EDIT_RULES)
        settings_guard = partial(scope.require, Permission.EDIT_SETTINGS)
        self.connections = ConnectionService(
            db, clock, audit, events, secrets, environ, settings_guard
        )
        self.rules = RuleService(db, clock, audit, events, rules_guard)
        self.schedules = ScheduleService(
            db, clock, audit, events, reports, self.connections, tz, rules_guard
        )
        self.log = EventLogService(db, clock, audit, events, scope)
        self.holder = new_holder()
        self._evaluator = Evaluator(
            db, clock, customers, lambda cid: self.connections.target(cid, False), tz
        )
        self._sender = Sender(
            db,
            clock,
            self.connections.target,
            self._render_attachment,
            settings or DeliverySettings(),
            rng or random.Random(),
            self.holder,
        )
        self._render_lock = threading.Lock()
        self._gate: WriteGate = direct

    def set_write_gate(self, gate: WriteGate) -> None:
        """Route the writes made while sending through `gate` (the app's write lane)."""
        self._gate = gate
        self._sender.gate = gate

    def _lease(self, name: str) -> Lease:
        return Lease(self._db, self._clock, name, self.holder, gate=self._gate)

    # -- due work --------------------------------------------------------------------
    def due_work(self) -> DueWork:
        """What is due now (the same questions `run-due` asks before loading anything)."""
        params = parameters(self._clock.today(), self._clock.now(), text_times=False)
        with self._db.session() as s:
            counts = {
                key: int(s.execute(_query(sql), params).scalar_one())
                for key, sql in QUESTIONS.items()
            }
        return DueWork(**counts)

    def preload(self) -> Preload | None:
        """Read today's accounts ahead of `prepare_due` (the slow, read-only part)."""
        return self._evaluator.preload()

    def prepare_due(self, preload: Preload | None = None) -> PrepareResult:
        """Evaluate rules and queue digests and scheduled reports (database work only).

        Not on a copy whose user sees only some clients: the rules are the team's and would
        see part of the book; an admin's copy, or `run-due` on a server, evaluates them."""
        if self._scope.client_ids() is not None:
            return PrepareResult()
        lease = self._lease("prepare")
        if not lease.acquire():
            return PrepareResult(busy=True)
        try:
            result = PrepareResult(
                self._evaluator.evaluate(preload),
                self._evaluator.queue_digests(),
                self.schedules.queue_due(),
            )
        finally:
            lease.release()
        if result.events or result.digests or result.reports:
            self._note_prepared(result)
        return result

    def deliver_due(self) -> DeliveryResult:
        """Send what is due in the outbox (network work)."""
        lease = self._lease("deliver")
        if not lease.acquire():
            with self._db.session() as s:
                return DeliveryResult(pending=outbox.waiting(s), busy=True)
        try:
            result = self._sender.deliver(renew=lease.renew)
        finally:
            lease.release()
        if result.sent or result.failed:
            self._events.publish(DomainEvent(OUTBOX_CHANGED))
        return result

    def run_due(self) -> RunDueResult:
        """Both halves, as `iqcadence-cli run-due` does."""
        work = self.due_work()
        if not work.any:
            return RunDueResult(pending=work.waiting)
        prepared = self.prepare_due()
        delivered = self.deliver_due()
        return RunDueResult(
            events=prepared.events,
            sent=delivered.sent,
            failed=delivered.failed,
            pending=delivered.pending,
            reports=prepared.reports,
            digests=prepared.digests,
            busy=prepared.busy or delivered.busy,
        )

    def _note_prepared(self, r: PrepareResult) -> None:
        parts = [
            f"{n} {word}{'s' * (n != 1)}"
            for n, word in ((r.events, "new event"), (r.digests, "digest"), (r.reports, "report"))
            if n
        ]
        with self._db.session() as s:
            self._audit.record(
                s,
                "automations_run",
                "Due work queued " + ", ".join(parts),
                details={"events": r.events, "digests": r.digests, "reports": r.reports},
            )
        self._events.publish(DomainEvent(OUTBOX_CHANGED))

    # -- sending now -----------------------------------------------------------------
    def send_test(self, connection_id: int) -> SendOutcome:
        """Send a test message through a connection now and say how it went."""
        target = self._target(connection_id)
        event_id = new_event_id("test")
        message = test_message(event_id, target.name, self._clock.now())
        note = ("automation_test_sent", f'Sent a test message to "{target.name}"')
        entry_id = self._queue_one(connection_id, target, message, render(message, target), note)
        self._sender.deliver(only=[entry_id])
        outcome = self._outcome(entry_id, test=True)
        self._events.publish(DomainEvent(OUTBOX_CHANGED))
        return outcome

    def email_report(
        self,
        request: ReportRequest,
        fmt: str,
        connection_id: int,
        recipients: tuple[str, ...] = (),
    ) -> SendOutcome:
        """ "Email now": queue the report for these recipients and try to send it at once;
        if the server cannot be reached it stays queued and goes out later."""
        target = self._target(connection_id)
        if target.kind != "email":
            raise ValidationError("via", f'"{target.name}" is not an email connection.')
        kind = self._reports.kind(request.kind)
        to = parse_emails(list(recipients)) or tuple(target.settings.get("to", []))
        spec = attachment_spec(kind.id, fmt, request.as_of, request.manager, request.customer_id)
        message = report_message(new_event_id("email"), kind.title, request.as_of, spec)
        note = ("report_emailed", f"Emailed {message.title} to {', '.join(to)} via {target.name}")
        body = render(message, target, to)
        entry_id = self._queue_one(connection_id, target, message, body, note)
        self._sender.deliver(only=[entry_id])
        self._events.publish(DomainEvent(OUTBOX_CHANGED))
        return self._outcome(entry_id)

    def _target(self, connection_id: int) -> Target:
        target = self.connections.target(connection_id, with_secret=False)
        if target is None:
            raise NotFoundError(f"Connection {connection_id} does not exist any more.")
        return target

    def _queue_one(
        self,
        connection_id: int,
        target: Target,
        message: Message,
        body: dict[str, Any],
        note: tuple[str, str],
    ) -> int:
        """Queue one message, audited in the same unit of work; returns its entry id."""
        row = outbox.entry_row(
            event_id=message.event_id,
            connection_id=connection_id,
            connection_name=target.name,
            channel=target.kind,
            kind=message.kind,
            subject=message.title,
            body=body,
            now=self._clock.now(),
        )

        def queue() -> int | None:
            with self._db.session() as s:
                outbox.enqueue(s, [row])
                self._audit.record(s, note[0], note[1], details={"event_id": message.event_id})
                return s.scalar(
                    select(OutboxEntry.id).where(OutboxEntry.event_id == message.event_id)
                )

        found = self._gate(queue)
        assert found is not None
        return int(found)

    def _outcome(self, entry_id: int, test: bool = False) -> SendOutcome:
        with self._db.session() as s:
            e = s.get(OutboxEntry, entry_id)
            assert e is not None
        if e.status == "sent":
            code = f" ({e.last_status})" if e.last_status else ""
            return SendOutcome(True, e.last_status, f"Sent to {e.connection_name}{code}.", e.id)
        error = e.last_error or "It could not be sent."
        if e.status == "pending" and test:
            self._gate(lambda: self._give_up(entry_id))  # a failed test is not retried later
        elif e.status == "pending":
            at = to_local(e.next_attempt_at, self._tz)
            return SendOutcome(
                False,
                e.last_status,
                f"Not sent yet: {error} It stays queued and is tried again at {at:%H:%M}.",
                e.id,
            )
        return SendOutcome(False, e.last_status, f"Not sent: {error}", e.id)

    def _give_up(self, entry_id: int) -> None:
        with self._db.session() as s:
            s.execute(
                update(OutboxEntry)
                .where(OutboxEntry.id == entry_id, OutboxEntry.status == "pending")
                .values(status="dead")
            )

    def _render_attachment(self, spec: dict[str, Any]) -> tuple[str, bytes, str]:
        fmt: ReportFormat = "csv" if spec.get("format") == "csv" else "pdf"
        request = ReportRequest(
            str(spec["report"]),
            dt.date.fromisoformat(str(spec["as_of"])),
            spec.get("manager") or None,
            spec.get("customer_id"),
            False,
        )
        # reportlab keeps module-level state: one report at a time.
        with self._render_lock, tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / f"{request.kind}-{request.as_of.isoformat()}.{fmt}"
            self._reports.render(request, out, fmt)
            data = out.read_bytes()
        return out.name, data, "application/pdf" if fmt == "pdf" else "text/csv"

    # -- previews --------------------------------------------------------------------
    def live_matcher(self) -> LiveMatcher:
        """Load today's accounts once for the rule builder's live count (slow: off-thread)."""
        return LiveMatcher(self._customers.list_customers(as_of=self._clock.today()))
