"""Turning rules into messages: evaluate every enabled rule over the portfolio, record the
transitions, and put what must be sent in the outbox in the same transaction.

Evaluation is skipped when nothing can have changed: each rule remembers the day it was
evaluated and the newest audit entry id it saw (every change to customers, settings or
rules writes an audit entry), so the next run evaluates only after a change or when the
day turns (scores decay and renewals come closer day by day).

Real-time rules send one message per transition; a burst of more than BURST_LIMIT in
one evaluation goes to chat and email as one summary (webhooks still get one call per
event). Digest rules keep their transitions until the period ends, then send one digest.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.models import (
    AuditEntry,
    AutomationEvent,
    AutomationRule,
    AutomationRuleChannel,
)
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.conditions import describe, groups_from_json
from iqcadence_desktop.services.automations.delivery import Message, Target, render
from iqcadence_desktop.services.automations.events import CUSTOM, triggers_from_json
from iqcadence_desktop.services.automations.matching import (
    Columns,
    RuleSpec,
    Transition,
    match_keys,
    pack,
    transitions,
    unpack,
)
from iqcadence_desktop.services.automations.messages import (
    event_message,
    event_payload,
    group_message,
    new_event_id,
    rule_json,
)
from iqcadence_desktop.services.automations.outbox import enqueue, entry_row
from iqcadence_desktop.services.automations.timeutil import digest_due
from iqcadence_desktop.services.customers import CustomerDTO, CustomerService
from iqcadence_desktop.services.system import Clock

BURST_LIMIT = 20
TargetFor = Callable[[int], Target | None]


@dataclass(frozen=True)
class Preload:
    """Accounts loaded for an evaluation, with the audit mark read before loading them."""

    mark: int
    day: dt.date
    customers: Sequence[CustomerDTO]


def audit_mark(s: Session) -> int:
    return int(s.scalar(select(func.coalesce(func.max(AuditEntry.id), 0))) or 0)


def spec_of(row: AutomationRule) -> RuleSpec:
    return RuleSpec(triggers_from_json(row.triggers), groups_from_json(row.groups), row.manager)


def describe_row(row: AutomationRule, spec: RuleSpec) -> str:
    if row.kind == "custom":
        return describe(spec.groups)
    return "; ".join(t.describe() for t in spec.triggers)


class Evaluator:
    """Evaluates rules, records transitions, queues real-time messages and digests."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        customers: CustomerService,
        target_for: TargetFor,
        tz: dt.tzinfo | None,
    ) -> None:
        self._db, self._clock, self._customers = db, clock, customers
        self._target_for, self._tz = target_for, tz

    # -- evaluation ------------------------------------------------------------------
    def stale_rules(self) -> tuple[list[int], int]:
        """(enabled rules that need evaluating now, the audit mark they will record)."""
        day = self._clock.today().toordinal()
        with self._db.session() as s:
            mark = audit_mark(s)
            rows = s.execute(
                select(
                    AutomationRule.id, AutomationRule.evaluated_day, AutomationRule.evaluated_mark
                ).where(AutomationRule.enabled.is_(True))
            ).all()
        return [rid for rid, d, m in rows if d != day or m != mark], mark

    def preload(self) -> Preload | None:
        """Today's accounts for an evaluation, read ahead (off the write lane in the app);
        None when no rule needs evaluating. The mark is read first, so a change made
        while the accounts load is seen by the next check."""
        ids, mark = self.stale_rules()
        if not ids:
            return None
        return Preload(mark, self._clock.today(), self._live(self._clock.today()))

    def evaluate(self, preload: Preload | None = None) -> int:
        """Evaluate what needs it; returns how many transitions (events) were recorded."""
        ids, mark = self.stale_rules()
        if not ids:
            return 0
        today = self._clock.today()
        if preload is None or preload.day != today:
            preload = Preload(mark, today, self._live(today))
        mark = min(mark, preload.mark)
        cols = Columns(preload.customers)
        created = 0
        with self._db.session() as s:
            for rule_id in ids:
                row = s.get(AutomationRule, rule_id)
                if row is None or not row.enabled:
                    continue  # deleted or switched off meanwhile
                created += self._evaluate_rule(s, row, cols, today)
                row.evaluated_day, row.evaluated_mark = today.toordinal(), mark
        return created

    def _live(self, today: dt.date) -> list[CustomerDTO]:
        return self._customers.list_customers(as_of=today)

    def _evaluate_rule(self, s: Session, row: AutomationRule, cols: Columns, day: dt.date) -> int:
        spec = spec_of(row)
        keys = match_keys(spec, cols)
        found: list[Transition] = []
        if row.evaluated_day is not None:  # otherwise this is the baseline: record only
            found = transitions(keys, unpack(row.state), cols)
        packed = pack(keys) or None
        if packed != row.state:
            row.state = packed
        if found:
            self._record(s, row, spec, found, day)
        return len(found)

    def _record(
        self, s: Session, row: AutomationRule, spec: RuleSpec, found: list[Transition], day: dt.date
    ) -> None:
        now = self._clock.now()
        rule = rule_json(row.id, row.name, describe_row(row, spec), row.timing)
        payloads = [self._payload(row, spec, t, rule, now) for t in found]
        period, due = (
            (None, None) if row.timing == "realtime" else digest_due(row.timing, day, self._tz)
        )
        s.execute(
            insert(AutomationEvent),
            [
                {
                    "event_id": p["event_id"],
                    "rule_id": row.id,
                    "rule_name": row.name,
                    "customer_id": p["customer"]["id"],
                    "customer_name": p["customer"]["name"],
                    "type": p["type"],
                    "occurred_at": now,
                    "payload": p,
                    "digest_period": period,
                    "digest_due_at": due,
                    "digested": period is None,
                }
                for p in payloads
            ],
        )
        if row.timing == "realtime":
            self._queue_realtime(s, row, payloads, day)

    @staticmethod
    def _payload(
        row: AutomationRule, spec: RuleSpec, t: Transition, rule: dict[str, Any], now: dt.datetime
    ) -> dict[str, Any]:
        trig = None if row.kind == "custom" else spec.triggers[t.trigger]
        return event_payload(
            event_id=new_event_id(),
            event=CUSTOM if trig is None else trig.event,
            trigger=trig,
            token=t.token,
            customer=t.customer,
            rule=rule,
            occurred_at=now,
        )

    def _queue_realtime(
        self, s: Session, row: AutomationRule, payloads: list[dict[str, Any]], day: dt.date
    ) -> None:
        for target_id, target in self._targets(s, row.id):
            messages: list[tuple[Message, dict[str, Any] | None]]
            if target.kind == "webhook" or len(payloads) <= BURST_LIMIT:
                messages = [(event_message(p), p) for p in payloads]
            else:
                batch_id = f"batch_{payloads[0]['event_id']}"
                rule = payloads[0]["rule"]
                messages = [
                    (group_message("batch", batch_id, rule, payloads, day.isoformat()), None)
                ]
            enqueue(s, [self._row(target_id, target, row, m, p) for m, p in messages])

    def _targets(self, s: Session, rule_id: int) -> list[tuple[int, Target]]:
        ids = s.scalars(
            select(AutomationRuleChannel.connection_id).where(
                AutomationRuleChannel.rule_id == rule_id
            )
        ).all()
        found = [(cid, self._target_for(cid)) for cid in ids]
        return [(cid, t) for cid, t in found if t is not None]

    def _row(
        self,
        target_id: int,
        target: Target,
        row: AutomationRule,
        message: Message,
        payload: dict[str, Any] | None,
    ) -> dict[str, Any]:
        customer = None if payload is None else payload["customer"]
        return entry_row(
            event_id=message.event_id,
            connection_id=target_id,
            connection_name=target.name,
            channel=target.kind,
            kind=message.kind,
            subject=message.title,
            body=render(message, target),
            now=self._clock.now(),
            rule_id=row.id,
            rule_name=row.name,
            customer_id=None if customer is None else customer["id"],
            customer_name=None if customer is None else customer["name"],
        )

    # -- digests ---------------------------------------------------------------------
    def queue_digests(self) -> int:
        """One digest per rule and period whose time has come; returns messages queued."""
        now = self._clock.now()
        queued = 0
        with self._db.session() as s:
            rows = s.execute(
                select(
                    AutomationEvent.id,
                    AutomationEvent.rule_id,
                    AutomationEvent.digest_period,
                    AutomationEvent.payload,
                )
                .where(AutomationEvent.digested.is_(False), AutomationEvent.digest_due_at <= now)
                .order_by(AutomationEvent.occurred_at, AutomationEvent.id)
            ).all()
            groups: dict[tuple[int | None, str], list[Any]] = defaultdict(list)
            for r in rows:
                groups[(r.rule_id, r.digest_period or "")].append(r)
            for (rule_id, period), items in groups.items():
                queued += self._queue_digest(s, rule_id, period, [r.payload for r in items])
                s.execute(
                    update(AutomationEvent)
                    .where(AutomationEvent.id.in_([r.id for r in items]))
                    .values(digested=True)
                )
        return queued

    def _queue_digest(
        self, s: Session, rule_id: int | None, period: str, payloads: list[dict[str, Any]]
    ) -> int:
        row = None if rule_id is None else s.get(AutomationRule, rule_id)
        if row is None:
            return 0  # the rule was deleted: its channels went with it
        message = group_message(
            "digest", f"digest_{rule_id}_{period}", payloads[0]["rule"], payloads, period
        )
        rows = [self._row(cid, t, row, message, None) for cid, t in self._targets(s, row.id)]
        enqueue(s, rows)
        return len(rows)
