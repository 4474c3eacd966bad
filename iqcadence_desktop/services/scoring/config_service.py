"""Stores the scoring configuration and scoring profiles, with their history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, StaleEditError, ValidationError
from iqcadence_desktop.models import ConfigVersion, Customer, ScoringProfile
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring import config as cfg
from iqcadence_desktop.services.system import (
    CONFIG_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    when_text,
)
from iqcadence_desktop.services.team import Permission, Scope

SCORING_KIND = "scoring"


@dataclass(frozen=True)
class ProfileDTO:
    """A scoring profile and how many customers use it."""

    id: int
    name: str
    weights: dict[str, float]
    description: str
    customers: int


@dataclass(frozen=True)
class ConfigVersionDTO:
    """One entry of the config history, with what changed from the version before."""

    id: int
    kind: str
    created_at: dt.datetime
    user: str | None
    summary: str
    payload: dict[str, Any]
    changes: tuple[str, ...]


class ConfigService:
    """Reads and saves the configuration in force; keeps every version."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, events: EventBus, scope: Scope
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._events = events
        self._scope = scope
        self._current: cfg.ScoringConfig | None = None
        self._version = 0  # the stored version `_current` was read from (0: defaults)
        self._profiles: dict[int, dict[str, float]] | None = None

    def invalidate(self) -> None:
        """Forget cached configuration (after a restore replaced the tables)."""
        self._current = None
        self._profiles = None

    # -- the scoring configuration -------------------------------------------------
    def current(self) -> cfg.ScoringConfig:
        if self._current is None:
            with self._db.session() as s:
                row = s.scalars(
                    select(ConfigVersion)
                    .where(ConfigVersion.kind == SCORING_KIND)
                    .order_by(ConfigVersion.id.desc())
                    .limit(1)
                ).first()
            self._current = cfg.from_payload(row.payload) if row else cfg.ScoringConfig()
            self._version = row.version if row else 0
        return self._current

    def save(
        self, config: cfg.ScoringConfig, summary: str = "", overwrite: bool = False
    ) -> list[str]:
        """Validate and store a new version; returns the list of changes.

        When another laptop saved a version after this one read its own, StaleEditError
        says who and when; `overwrite=True` saves over it."""
        self._scope.require(Permission.EDIT_SETTINGS)
        cfg.validate(config)
        old = cfg.to_payload(self.current())
        new = cfg.to_payload(config)
        changes = cfg.diff_payloads(old, new)
        if not changes:
            return []
        text = summary or "Scoring settings changed: " + "; ".join(changes[:6])
        with self._db.session() as s:
            version = self._add_version(
                s, SCORING_KIND, new, text, None if overwrite else self._version
            )
            self._audit.record(s, "config_changed", text, details={"changes": changes})
        self._current, self._version = config, version
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": SCORING_KIND}))
        return changes

    def _add_version(
        self, s: Session, kind: str, payload: dict[str, Any], text: str, expected: int | None = None
    ) -> int:
        """Store the next version of `kind`; refuse when `expected` is not the latest."""
        version = add_config_version(
            s, kind, payload, text, self._audit_user(), self._clock.now(), expected
        )
        return version

    def _audit_user(self) -> str:
        return self._audit.user()

    def history(self, kind: str | None = None) -> list[ConfigVersionDTO]:
        """Every stored version, newest first, each with its diff from the previous one."""
        stmt = select(ConfigVersion).order_by(ConfigVersion.id)
        if kind:
            stmt = stmt.where(ConfigVersion.kind == kind)
        with self._db.session() as s:
            rows = s.scalars(stmt).all()
        previous: dict[str, dict[str, Any]] = {}
        out: list[ConfigVersionDTO] = []
        for r in rows:
            before = previous.get(r.kind)
            changes = (
                cfg.diff_payloads(before, r.payload)
                if before is not None
                else ["First saved version; its values:", *cfg.payload_lines(r.payload)]
            )
            previous[r.kind] = r.payload
            out.append(
                ConfigVersionDTO(
                    r.id, r.kind, r.created_at, r.user, r.summary, r.payload, tuple(changes)
                )
            )
        return out[::-1]

    # -- scoring profiles ------------------------------------------------------------
    def profiles(self) -> list[ProfileDTO]:
        with self._db.session() as s:
            counts = dict(
                s.execute(
                    select(Customer.scoring_profile_id, func.count())
                    .where(Customer.deleted_at.is_(None), self._scope.customer_clause())
                    .group_by(Customer.scoring_profile_id)
                ).all()
            )
            return [
                ProfileDTO(p.id, p.name, dict(p.weights), p.description, int(counts.get(p.id, 0)))
                for p in s.scalars(select(ScoringProfile).order_by(ScoringProfile.name))
            ]

    def profile_weights(self) -> dict[int, dict[str, float]]:
        """Weights of every profile by id (cached; refreshed on change)."""
        if self._profiles is None:
            with self._db.session() as s:
                self._profiles = {p.id: dict(p.weights) for p in s.scalars(select(ScoringProfile))}
        return self._profiles

    def weights_for(self, profile_id: int | None) -> dict[str, float]:
        """Effective weights for a customer with this profile (None = global)."""
        config = self.current()
        chosen = self.profile_weights().get(profile_id) if profile_id is not None else None
        return config.effective_weights(chosen)

    def profile_id_by_name(self, name: str) -> int:
        with self._db.session() as s:
            wanted = " ".join(name.split()).lower()
            found = s.scalars(
                select(ScoringProfile.id).where(func.lower(ScoringProfile.name) == wanted)
            ).first()
        if found is None:
            names = ", ".join(p.name for p in self.profiles()) or "none yet"
            raise ValidationError(
                "profile", f'There is no scoring profile named "{name}". Profiles: {names}.'
            )
        return found

    def save_profile(
        self,
        name: str,
        weights: dict[str, float],
        description: str = "",
        profile_id: int | None = None,
    ) -> ProfileDTO:
        """Create (no id) or update a profile; weights must total 100 %."""
        self._scope.require(Permission.EDIT_SETTINGS)
        name = " ".join(name.split())
        if not name:
            raise ValidationError("name", "A scoring profile needs a name.")
        cfg.validate_weights(weights, self.current().csat_enabled)
        now = self._clock.now()
        with self._db.session() as s:
            clash = s.scalars(
                select(ScoringProfile).where(func.lower(ScoringProfile.name) == name.lower())
            ).first()
            if clash is not None and clash.id != profile_id:
                raise ValidationError("name", f'A profile named "{name}" already exists.')
            row = s.get(ScoringProfile, profile_id) if profile_id else None
            if profile_id and row is None:
                raise NotFoundError(f"Scoring profile {profile_id} no longer exists.")
            if row is None:
                row = ScoringProfile(
                    name=name,
                    weights=weights,
                    description=description,
                    created_at=now,
                    updated_at=now,
                )
                s.add(row)
            else:
                row.name, row.weights, row.description, row.updated_at = (
                    name,
                    dict(weights),
                    description,
                    now,
                )
            s.flush()
            verb = "updated" if profile_id else "created"
            text = f'Scoring profile "{name}" {verb}'
            self._add_version(s, f"profile:{row.id}", {"name": name, "weights": weights}, text)
            self._audit.record(s, "profile_saved", text, details={"weights": weights})
            result = ProfileDTO(row.id, name, dict(weights), description, 0)
        self._profiles = None
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": "profile"}))
        return result

    def delete_profile(self, profile_id: int) -> None:
        """Remove a profile; its customers fall back to the global weights."""
        self._scope.require(Permission.EDIT_SETTINGS)
        with self._db.session() as s:
            row = s.get(ScoringProfile, profile_id)
            if row is None:
                raise NotFoundError(f"Scoring profile {profile_id} no longer exists.")
            text = f'Scoring profile "{row.name}" deleted'
            s.query(Customer).filter(Customer.scoring_profile_id == profile_id).update(
                {Customer.scoring_profile_id: None}
            )
            s.delete(row)
            self._add_version(s, f"profile:{profile_id}", {"name": row.name, "deleted": True}, text)
            self._audit.record(s, "profile_deleted", text)
        self._profiles = None
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": "profile"}))


def add_config_version(
    s: Session,
    kind: str,
    payload: dict[str, Any],
    text: str,
    user: str,
    now: dt.datetime,
    expected: int | None,
) -> int:
    """Append version N+1 of a configuration document (optimistic locking).

    `expected` is the version the editor started from: when the latest stored one is
    newer, StaleEditError names who saved it and when. Two saves racing from the same
    version cannot both land: (kind, version) is unique, the loser gets the same error.
    """
    latest = s.execute(
        select(ConfigVersion.version, ConfigVersion.user, ConfigVersion.created_at)
        .where(ConfigVersion.kind == kind)
        .order_by(ConfigVersion.version.desc())
        .limit(1)
    ).first()
    top = latest.version if latest else 0
    if expected is not None and latest is not None and top != expected:
        raise StaleEditError(
            "The " + _kind_label(kind), latest.user, when_text(latest.created_at), top
        )
    try:
        with s.begin_nested():
            s.add(
                ConfigVersion(
                    kind=kind,
                    payload=payload,
                    created_at=now,
                    user=user,
                    summary=text,
                    version=top + 1,
                )
            )
    except IntegrityError:
        raise StaleEditError("The " + _kind_label(kind), None, None, top + 1) from None
    return top + 1


def _kind_label(kind: str) -> str:
    return {"scoring": "scoring settings", "alerts": "alert settings"}.get(kind, "profile")
