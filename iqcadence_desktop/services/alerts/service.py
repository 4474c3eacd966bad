"""The alert service (S4): current alerts per day, and the user's actions on them.

Alerts are derived (services/alerts_rules.py); only episodes and user actions are stored
(services/alerts_store.py). Snooze, dismiss, wake and outcome marks are audited and
publish `alerts_changed` after commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from operator import attrgetter
from typing import NamedTuple

from sqlalchemy import func, select

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import AlertOutcome, AlertState
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.alerts import store
from iqcadence_desktop.services.alerts.config import AlertConfigService
from iqcadence_desktop.services.alerts.insights import AlertOverview, overview
from iqcadence_desktop.services.alerts.rules import (
    RULE_LABELS,
    RULES,
    SEVERITY_RANK,
    Alert,
    derive,
    parse_alert_id,
    thresholds,
)
from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter, CustomerService
from iqcadence_desktop.services.scoring import ConfigService
from iqcadence_desktop.services.system import (
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    gc_paused,
    optional_write,
)
from iqcadence_desktop.services.team import Scope

ALERTS_CHANGED = "alerts_changed"
OUTCOMES: dict[str, str] = {
    "acted_on": "Acted on",
    "false_alarm": "False alarm",
    "too_early": "Too early",
}
SNOOZE_CHOICES: tuple[int, ...] = (1, 7, 30)


class AlertBoard(NamedTuple):
    """All alerts for a view and their overview."""

    alerts: list[Alert]
    overview: AlertOverview


class HitRate(NamedTuple):
    """How often a rule's alerts were worth it, from the users' outcome marks."""

    rule: str
    category: str
    label: str
    marked: int
    acted_on: int
    false_alarm: int
    too_early: int

    @property
    def rate(self) -> float | None:
        return None if self.marked == 0 else self.acted_on / self.marked


def sort_key(a: Alert) -> tuple[int, float, str]:
    """Most serious first, then the account that most needs attention."""
    account = a.account
    return SEVERITY_RANK[a.severity], -account.priority, account.name


def sort_alerts(alerts: list[Alert]) -> list[Alert]:
    """The order of `sort_key`, as three stable sorts on C-level keys (large lists)."""
    alerts.sort(key=attrgetter("account.name"))
    alerts.sort(key=attrgetter("account.priority"), reverse=True)
    alerts.sort(key=lambda a: SEVERITY_RANK[a.severity])
    return alerts


class AlertService:
    """Derives alerts as of a day and records snooze / dismiss / wake / outcome."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        customers: CustomerService,
        config: ConfigService,
        alert_config: AlertConfigService,
        audit: AuditLog,
        events: EventBus,
        scope: Scope,
    ) -> None:
        self._db, self._clock, self._customers = db, clock, customers
        self._scope = scope
        self._config, self._alert_config = config, alert_config
        self._audit, self._events = audit, events

    def current(
        self,
        as_of: dt.date | None = None,
        manager: str | None = None,
        customer_id: int | None = None,
        record: bool = True,
    ) -> list[Alert]:
        """Every alert (active, snoozed or dismissed), most serious first.

        `record=False` looks without recording episode starts and ends (a what-if look
        at another day must not move 'since' or the hysteresis state).
        """
        return self.evaluate(as_of, manager, customer_id, record)[0]

    def active_for(self, customer_id: int) -> list[Alert]:
        """A customer's active alerts, looked at without recording anything (QBR points)."""
        found = self.current(customer_id=customer_id, record=False)
        return [a for a in found if a.state == "active"]

    def board(self, manager: str | None = None, as_of: dt.date | None = None) -> AlertBoard:
        """The alerts and what they add up to (the Alerts page in one call)."""
        alerts, customers = self.evaluate(as_of, manager)
        days = self._config.current().renewal.critical
        return AlertBoard(alerts, overview(alerts, customers, days))

    def evaluate(
        self,
        as_of: dt.date | None = None,
        manager: str | None = None,
        customer_id: int | None = None,
        record: bool = True,
    ) -> tuple[list[Alert], list[CustomerDTO]]:
        """(alerts, the live customers they were derived from), both for the manager."""
        day = as_of or self._clock.today()
        ids = None if customer_id is None else (customer_id,)
        # A look that records nothing may read only the manager's book; a recording pass
        # must see everyone, or other managers' episodes would be taken as ended.
        narrow = None if record else manager
        customers = self._customers.list_customers(CustomerFilter(ids=ids, manager=narrow), day)
        t = thresholds(self._config.current(), self._alert_config.current())
        with gc_paused(), self._db.session() as s:
            states = store.load_states(s, ids, self._scope.by_customer(AlertState.customer_id))
            alerts = derive(customers, t, day, store.cleared_pairs(states))
            if record and store.may_write(s, day):
                # Episodes are bookkeeping: a page load never waits for another write.
                optional_write(s, lambda: store.sync_states(s, alerts, states, day, ids))
            alerts = store.with_states(alerts, states, day)
        if manager:
            alerts = [a for a in alerts if a.manager == manager]
            customers = [c for c in customers if c.manager == manager]
        return sort_alerts(alerts), customers

    def active_count(self, alerts: Sequence[Alert]) -> int:
        return sum(1 for a in alerts if a.state == "active")

    # -- user actions ----------------------------------------------------------------
    def snooze(self, ids: Sequence[str], days: int) -> int:
        """Hide these alerts for `days` days (they return on that day)."""
        if not 1 <= days <= 365:
            raise ValidationError("days", f"Snooze for 1 to 365 days, not {days}.")
        until = self._clock.today() + dt.timedelta(days=days)
        return self._act(
            ids,
            "alert_snoozed",
            f"Snoozed for {days} d until {until:%Y-%m-%d}",
            snoozed_until=until,
        )

    def dismiss(self, ids: Sequence[str]) -> int:
        """Hide these alerts until their condition clears and comes back."""
        return self._act(ids, "alert_dismissed", "Dismissed until it clears", dismissed=True)

    def wake(self, ids: Sequence[str]) -> int:
        """Undo a snooze or a dismissal."""
        return self._act(ids, "alert_woken", "Woken")

    def _act(
        self,
        ids: Sequence[str],
        action: str,
        verb: str,
        *,
        snoozed_until: dt.date | None = None,
        dismissed: bool = False,
    ) -> int:
        found = self._find(ids)
        today = self._clock.today()
        with self._db.session() as s:
            store.set_action(s, found, today, snoozed_until=snoozed_until, dismissed=dismissed)
            for a in found:
                self._audit.record(
                    s,
                    action,
                    f"{verb}: {RULE_LABELS[a.rule]} — {a.message}",
                    customer_id=a.customer_id,
                    customer_name=a.customer,
                    details={"alert_id": a.id},
                )
        self._events.publish(DomainEvent(ALERTS_CHANGED, tuple({a.customer_id for a in found})))
        return len(found)

    def _find(self, ids: Sequence[str]) -> list[Alert]:
        """The current alerts with these ids; refuses unknown or malformed ids."""
        wanted: dict[str, int] = {}
        for text in ids:
            try:
                wanted[text.strip()] = parse_alert_id(text)[0]
            except ValueError:
                raise ValidationError(
                    "id", f'"{text}" is not an alert id; ids look like "42:tickets:open_tickets".'
                ) from None
        if not wanted:
            raise ValidationError("id", "Choose at least one alert.")
        by_id = {a.id: a for cid in set(wanted.values()) for a in self.current(customer_id=cid)}
        missing = [i for i in wanted if i not in by_id]
        if missing:
            raise ValidationError(
                "id",
                f'No current alert has the id "{missing[0]}"; its '
                "condition may have cleared. List alerts to see the ids.",
            )
        return [by_id[i] for i in wanted]

    def mark_outcome(self, alert_id: str, outcome: str) -> None:
        """Record whether this alert was worth it (feeds the rule's hit rate)."""
        if outcome not in OUTCOMES:
            raise ValidationError(
                "outcome", f'"{outcome}" is not an outcome; use one of ' + ", ".join(OUTCOMES) + "."
            )
        a = self._find([alert_id])[0]
        with self._db.session() as s:
            row = s.scalars(
                select(AlertOutcome).where(
                    AlertOutcome.alert_id == a.id, AlertOutcome.since_day == a.since.toordinal()
                )
            ).first()
            if row is None:
                row = AlertOutcome(
                    alert_id=a.id,
                    since_day=a.since.toordinal(),
                    customer_id=a.customer_id,
                    category=a.category,
                    rule=a.rule,
                )
                s.add(row)
            row.outcome, row.marked_at, row.user = outcome, self._clock.now(), self._audit.user()
            self._audit.record(
                s,
                "alert_outcome",
                f"Marked {OUTCOMES[outcome].lower()}: {RULE_LABELS[a.rule]} — {a.message}",
                customer_id=a.customer_id,
                customer_name=a.customer,
                details={"alert_id": a.id},
            )
        self._events.publish(DomainEvent(ALERTS_CHANGED, (a.customer_id,)))

    def hit_rates(self) -> list[HitRate]:
        """Per rule: how many alerts were marked, and how."""
        with self._db.session() as s:
            counts = s.execute(
                select(AlertOutcome.rule, AlertOutcome.outcome, func.count())
                .where(self._scope.by_customer(AlertOutcome.customer_id))
                .group_by(AlertOutcome.rule, AlertOutcome.outcome)
            ).all()
        by: dict[tuple[str, str], int] = {(r, o): int(n) for r, o, n in counts}
        return [
            HitRate(
                rule,
                RULES[rule],
                RULE_LABELS[rule],
                sum(by.get((rule, o), 0) for o in OUTCOMES),
                by.get((rule, "acted_on"), 0),
                by.get((rule, "false_alarm"), 0),
                by.get((rule, "too_early"), 0),
            )
            for rule in RULES
        ]
