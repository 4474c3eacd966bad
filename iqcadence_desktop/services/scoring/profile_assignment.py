"""Assigning scoring profiles to accounts, by hand-picked ids, managers or tiers.

The assignment and the rescore it causes are one unit of work with one audit entry.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import Customer, ScoringProfile
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring.config_service import ConfigService
from iqcadence_desktop.services.scoring.rescore import rescore_all
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.team import Permission, Scope


class ProfileAssignmentService:
    """Points accounts at a scoring profile (or back to the global weights)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: ConfigService,
        audit: AuditLog,
        events: EventBus,
        scope: Scope,
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._config = config
        self._audit = audit
        self._events = events

    def assign(
        self,
        profile_id: int | None,
        *,
        customer_ids: Sequence[int] = (),
        managers: Sequence[str] = (),
        tiers: Sequence[str] = (),
    ) -> int:
        """Assign live accounts matching any of the selectors; returns how many changed."""
        if not (customer_ids or managers or tiers):
            raise ValidationError(
                "selection", "Choose accounts, managers or tiers to assign the profile to."
            )
        picked = or_(
            Customer.id.in_(customer_ids), Customer.manager.in_(managers), Customer.tier.in_(tiers)
        )
        self._scope.require(Permission.EDIT_SETTINGS)
        with self._db.session() as s:
            label = self._label(s, profile_id)
            ids = list(
                s.scalars(
                    select(Customer.id).where(
                        Customer.deleted_at.is_(None),
                        picked,
                        Customer.scoring_profile_id.is_distinct_from(profile_id),
                        self._scope.customer_clause(),
                    )
                )
            )
            if not ids:
                return 0
            s.execute(
                update(Customer)
                .where(Customer.id.in_(ids))
                # Chosen by hand: no profile rule will move these accounts again.
                .values(
                    scoring_profile_id=profile_id,
                    scoring_profile_manual=True,
                    updated_at=self._clock.now(),
                    version=Customer.version + 1,
                )
            )
            rescore_all(
                s,
                self._config.current(),
                self._config.weights_for,
                self._clock.today(),
                scope=self._scope,
            )
            self._audit.record(
                s,
                "profile_assigned",
                f"Assigned {label} to {len(ids):,} accounts",
                details={
                    "profile_id": profile_id,
                    "customers": len(ids),
                    "managers": list(managers),
                    "tiers": list(tiers),
                },
            )
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, tuple(ids)))
        return len(ids)

    @staticmethod
    def _label(s: Session, profile_id: int | None) -> str:
        if profile_id is None:
            return "the global weights"
        # A column read, not an ORM object: the bulk rescore after it needs a clean session.
        name = s.scalar(select(ScoringProfile.name).where(ScoringProfile.id == profile_id))
        if name is None:
            raise NotFoundError(f"Scoring profile {profile_id} no longer exists.")
        return f'profile "{name}"'
