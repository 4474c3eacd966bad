"""Alert rules: create, edit, toggle, delete; every change audited and published.

A new, edited or re-enabled rule forgets what it matched: its next evaluation records
today's matches as the baseline without sending, so switching a rule on never floods a
channel with every account that already matched. From then on it fires on transitions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import (
    AutomationConnection,
    AutomationEvent,
    AutomationRule,
    AutomationRuleChannel,
)
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.conditions import (
    check_groups,
    groups_from_json,
    groups_to_json,
)
from iqcadence_desktop.services.automations.connections import AUTOMATIONS_CHANGED
from iqcadence_desktop.services.automations.dto import ChannelRef, RuleDraft, RuleDTO
from iqcadence_desktop.services.automations.events import check_timing, triggers_from_json
from iqcadence_desktop.services.system import AuditLog, Clock, DomainEvent, EventBus


class RuleService:
    """The rules list and its edits."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._db, self._clock, self._audit, self._events = db, clock, audit, events
        self._guard = guard  # refuses a change the signed-in role may not make (team mode)

    # -- reading ---------------------------------------------------------------------
    def all(self) -> list[RuleDTO]:
        with self._db.session() as s:
            rows = s.scalars(select(AutomationRule).order_by(AutomationRule.name)).all()
            return self._dtos(s, rows)

    def get(self, rule_id: int) -> RuleDTO:
        with self._db.session() as s:
            return self._dtos(s, [self._row(s, rule_id)])[0]

    def find(self, name: str) -> RuleDTO:
        with self._db.session() as s:
            row = s.scalars(
                select(AutomationRule).where(
                    func.lower(AutomationRule.name) == name.strip().lower()
                )
            ).first()
            if row is None:
                raise NotFoundError(
                    f'No rule is named "{name}". List them with: iqcadence-cli rule list'
                )
            return self._dtos(s, [row])[0]

    def _dtos(self, s: Session, rows: Sequence[AutomationRule]) -> list[RuleDTO]:
        ids = [r.id for r in rows]
        channels: dict[int, list[ChannelRef]] = defaultdict(list)
        for rid, cid, name, kind in s.execute(
            select(
                AutomationRuleChannel.rule_id,
                AutomationConnection.id,
                AutomationConnection.name,
                AutomationConnection.kind,
            )
            .join(
                AutomationConnection, AutomationConnection.id == AutomationRuleChannel.connection_id
            )
            .where(AutomationRuleChannel.rule_id.in_(ids))
            .order_by(AutomationConnection.name)
        ):
            channels[rid].append(ChannelRef(cid, name, kind))
        fired = {
            rid: (int(n), last)
            for rid, n, last in s.execute(
                select(AutomationEvent.rule_id, func.count(), func.max(AutomationEvent.occurred_at))
                .where(AutomationEvent.rule_id.in_(ids))
                .group_by(AutomationEvent.rule_id)
            )
        }
        return [
            RuleDTO(
                r.id,
                r.name,
                r.kind,
                triggers_from_json(r.triggers),
                groups_from_json(r.groups),
                r.manager,
                r.timing,
                tuple(channels[r.id]),
                r.enabled,
                r.created_at,
                r.updated_at,
                *fired.get(r.id, (0, None)),
            )
            for r in rows
        ]

    @staticmethod
    def _row(s: Session, rule_id: int) -> AutomationRule:
        row = s.get(AutomationRule, rule_id)
        if row is None:
            raise NotFoundError(f"Rule {rule_id} does not exist any more.")
        return row

    # -- writing ---------------------------------------------------------------------
    def create(self, draft: RuleDraft) -> RuleDTO:
        self._guard()
        d = self._checked(draft)
        with self._db.session() as s:
            self._check_names(s, d, None)
            now = self._clock.now()
            row = AutomationRule(
                name=d.name,
                kind="custom" if d.groups else "event",
                triggers=[t.to_json() for t in d.triggers],
                groups=groups_to_json(d.groups),
                manager=d.manager,
                timing=d.timing,
                enabled=d.enabled,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            self._set_channels(s, row.id, d.channel_ids)
            dto = self._dtos(s, [row])[0]
            self._audit.record(
                s,
                "automation_rule_added",
                f'Added rule "{d.name}": {dto.describe()} → '
                + ", ".join(c.name for c in dto.channels)
                + f" ({dto.timing_label.lower()})",
                details={"rule": dto.to_json()},
            )
        self._publish()
        return dto

    def update(self, rule_id: int, draft: RuleDraft) -> RuleDTO:
        self._guard()
        d = self._checked(draft)
        with self._db.session() as s:
            row = self._row(s, rule_id)
            self._check_names(s, d, rule_id)
            before = (row.triggers, row.groups, row.manager, row.enabled)
            row.name, row.kind = d.name, "custom" if d.groups else "event"
            row.triggers = [t.to_json() for t in d.triggers]
            row.groups = groups_to_json(d.groups)
            row.manager, row.timing, row.enabled = d.manager, d.timing, d.enabled
            row.updated_at = self._clock.now()
            if (row.triggers, row.groups, row.manager, row.enabled) != before:
                _forget(row)  # what it matches changed: start a new baseline
            self._set_channels(s, row.id, d.channel_ids)
            dto = self._dtos(s, [row])[0]
            self._audit.record(
                s,
                "automation_rule_changed",
                f'Changed rule "{d.name}": {dto.describe()}',
                details={"rule": dto.to_json()},
            )
        self._publish()
        return dto

    def set_enabled(self, rule_id: int, enabled: bool) -> RuleDTO:
        self._guard()
        with self._db.session() as s:
            row = self._row(s, rule_id)
            if row.enabled != enabled:
                row.enabled = enabled
                row.updated_at = self._clock.now()
                _forget(row)
                self._audit.record(
                    s,
                    "automation_rule_enabled" if enabled else "automation_rule_disabled",
                    f'{"Turned on" if enabled else "Turned off"} rule "{row.name}"',
                )
            dto = self._dtos(s, [row])[0]
        self._publish()
        return dto

    def delete(self, rule_id: int) -> str:
        self._guard()
        with self._db.session() as s:
            row = self._row(s, rule_id)
            name = row.name
            s.execute(delete(AutomationRuleChannel).where(AutomationRuleChannel.rule_id == rule_id))
            s.delete(row)
            self._audit.record(s, "automation_rule_removed", f'Removed rule "{name}"')
        self._publish()
        return name

    # -- checks ----------------------------------------------------------------------
    @staticmethod
    def _checked(d: RuleDraft) -> RuleDraft:
        name = " ".join(d.name.split())
        if not name or len(name) > 120:
            raise ValidationError("name", "Give the rule a name of 1 to 120 characters.")
        if bool(d.triggers) == bool(d.groups):
            raise ValidationError(
                "triggers",
                "Choose at least one alert type, or build custom conditions (not both).",
            )
        groups = check_groups(d.groups) if d.groups else ()
        if len({t.event for t in d.triggers}) != len(d.triggers) or len(d.triggers) > 16:
            raise ValidationError("triggers", "Choose each alert type once.")
        if not d.channel_ids:
            raise ValidationError(
                "channels", "Choose at least one connection to send to (add one first if needed)."
            )
        manager = (d.manager or "").strip() or None
        return RuleDraft(
            name,
            d.triggers,
            groups,
            manager,
            check_timing(d.timing),
            tuple(dict.fromkeys(d.channel_ids)),
            d.enabled,
        )

    @staticmethod
    def _check_names(s: Session, d: RuleDraft, own: int | None) -> None:
        other = s.scalar(
            select(AutomationRule.id).where(func.lower(AutomationRule.name) == d.name.lower())
        )
        if other is not None and other != own:
            raise ValidationError("name", f'A rule named "{d.name}" already exists.')
        known = set(
            s.scalars(
                select(AutomationConnection.id).where(
                    AutomationConnection.id.in_(list(d.channel_ids))
                )
            )
        )
        if len(known) != len(d.channel_ids):
            raise ValidationError("channels", "One of the chosen connections no longer exists.")

    @staticmethod
    def _set_channels(s: Session, rule_id: int, channel_ids: tuple[int, ...]) -> None:
        s.execute(delete(AutomationRuleChannel).where(AutomationRuleChannel.rule_id == rule_id))
        s.add_all(AutomationRuleChannel(rule_id=rule_id, connection_id=c) for c in channel_ids)
        s.flush()

    def _publish(self) -> None:
        self._events.publish(DomainEvent(AUTOMATIONS_CHANGED))


def _forget(row: AutomationRule) -> None:
    """The next evaluation starts a new baseline (no flood after an edit or a re-enable)."""
    row.state = None
    row.evaluated_day = None
    row.evaluated_mark = None
