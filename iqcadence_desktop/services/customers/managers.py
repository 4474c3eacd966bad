"""Managing CSMs: list them with their books, rename, merge and reassign accounts.

A manager is the free-text `manager` field on customers, so every operation here is an
update of that field, audited, followed by a `customers_changed` event. The per-day
rollup is keyed by manager name, so it is kept in step in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import Customer, PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring import rebuild_portfolio_days
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.team import Permission, Scope

MAX_NAME = 120


@dataclass(frozen=True)
class ManagerDTO:
    """A CSM and the size of their book (live accounts only)."""

    name: str
    accounts: int
    mrr_cents: int


def clean_name(name: str) -> str:
    """Collapse spaces; refuse empty or over-long names with a clear message."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError("manager", "Enter the manager's name; it cannot be empty.")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(
            "manager",
            f"A manager's name can be at most {MAX_NAME} characters; this one has {len(cleaned)}.",
        )
    return cleaned


class ManagerService:
    """Rename, merge and reassign CSMs; every change is audited."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, events: EventBus, scope: Scope
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._audit = audit
        self._events = events

    def managers(self) -> list[ManagerDTO]:
        """Every manager with at least one live account, by name."""
        mrr = func.coalesce(func.sum(Customer.mrr_cents), 0)
        stmt = self._scope.customers(
            select(Customer.manager, func.count(), mrr)
            .where(Customer.deleted_at.is_(None), Customer.manager.is_not(None))
            .group_by(Customer.manager)
            .order_by(Customer.manager)
        )
        with self._db.session() as s:
            return [ManagerDTO(str(m), int(n), int(cents or 0)) for m, n, cents in s.execute(stmt)]

    def rename(self, old: str, new: str) -> int:
        """Give a manager a new name on all their accounts (trashed ones too)."""
        new = clean_name(new)
        self._scope.require(Permission.MANAGE_CSMS)
        with self._db.session() as s:
            self._require_known(s, old)
            if new != old and self._exists(s, new):
                raise ValidationError(
                    "manager",
                    f'"{new}" is already a manager. To combine '
                    f'the two books, merge "{old}" into "{new}" instead.',
                )
            count = self._move(s, [old], new)
            if self._scope.client_ids() is None:
                s.execute(
                    update(PortfolioDaily).where(PortfolioDaily.manager == old).values(manager=new)
                )
            else:  # only some clients' accounts moved: the rollup splits, recompute it
                self._rebuild_rollup(s)
            self._audit.record(
                s,
                "manager_renamed",
                f'Renamed manager "{old}" to "{new}" ({count} accounts)',
                details={"from": old, "to": new},
            )
        self._publish()
        return count

    def merge(self, sources: Sequence[str], target: str) -> int:
        """Move every account of `sources` to `target` (an existing or a new name)."""
        target = clean_name(target)
        sources = [m for m in dict.fromkeys(sources) if m != target]
        if not sources:
            raise ValidationError(
                "manager", f'Choose at least one other manager to merge into "{target}".'
            )
        self._scope.require(Permission.MANAGE_CSMS)
        with self._db.session() as s:
            for name in sources:
                self._require_known(s, name)
            count = self._move(s, sources, target)
            self._rebuild_rollup(s)
            text = f'Merged {", ".join(sources)} into "{target}" ({count} accounts)'
            self._audit.record(
                s, "managers_merged", text, details={"from": list(sources), "to": target}
            )
        self._publish()
        return count

    def reassign(self, customer_ids: Sequence[int], manager: str | None) -> int:
        """Give the chosen accounts to a manager (None = unassigned); one entry each."""
        target = None if manager is None else clean_name(manager)
        self._scope.require(Permission.MANAGE_CSMS)
        with self._db.session() as s:
            rows = s.execute(
                select(Customer.id, Customer.name, Customer.manager).where(
                    Customer.id.in_(customer_ids), self._scope.customer_clause()
                )
            ).all()
            if len(rows) != len(set(customer_ids)):
                raise NotFoundError(
                    "Some of the chosen accounts no longer exist; refresh the list and try again."
                )
            moved = [r for r in rows if r[2] != target]
            for cid, name, old in moved:
                self._audit.record(
                    s,
                    "customer_reassigned",
                    f'Manager of "{name}": {old or "none"} → {target or "none"}',
                    customer_id=cid,
                    customer_name=name,
                    details={"from": old, "to": target},
                )
            s.execute(
                update(Customer)
                .where(Customer.id.in_([r[0] for r in moved]))
                .values(manager=target, updated_at=self._clock.now(), version=Customer.version + 1)
            )
            if moved:
                self._rebuild_rollup(s)
        if moved:
            self._publish(tuple(r[0] for r in moved))
        return len(moved)

    def _move(self, s: Session, sources: Sequence[str], target: str) -> int:
        result = s.execute(
            update(Customer)
            .where(Customer.manager.in_(sources), self._scope.customer_clause())
            .values(manager=target, updated_at=self._clock.now(), version=Customer.version + 1)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _rebuild_rollup(self, s: Session) -> None:
        # The rollup groups history by each account's current manager; recompute it all.
        first, last = s.execute(
            select(func.min(ScoreSnapshot.day), func.max(ScoreSnapshot.day))
        ).one()
        if first is not None:
            rebuild_portfolio_days(s, int(first), int(last))

    def _exists(self, s: Session, name: str) -> bool:
        return (
            s.scalar(
                select(func.count())
                .select_from(Customer)
                .where(Customer.manager == name, self._scope.customer_clause())
            )
            != 0
        )

    def _require_known(self, s: Session, name: str) -> None:
        if not self._exists(s, name):
            raise NotFoundError(f'No account has the manager "{name}"; refresh the list.')

    def _publish(self, ids: tuple[int, ...] = ()) -> None:
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, ids))
