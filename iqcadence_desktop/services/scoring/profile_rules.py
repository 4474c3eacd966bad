"""Scoring profiles assigned by rule: "tier is enterprise → Enterprise".

Rules are tried in order; the first whose field equals its value decides the account's
profile, and an account no rule matches uses the global weights. A profile chosen by hand
(`Customer.scoring_profile_manual`) wins over every rule. Rules are applied wherever an
account's facts may change: on import, on an edit, on a bulk rescore, and when the rules
themselves are saved.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer, CustomerTag, ProfileRule, ScoringProfile
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring.config import TIER_LABELS, TIERS
from iqcadence_desktop.services.scoring.config_service import ConfigService
from iqcadence_desktop.services.scoring.rescore import rescore_all
from iqcadence_desktop.services.system import (
    CHUNK,
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.team import Permission, Scope

RULE_FIELDS: dict[str, str] = {
    "tier": "Tier",
    "manager": "Manager",
    "lifecycle": "Lifecycle",
    "tag": "Tag",
}
LIFECYCLE_STAGES = ("onboarding", "active", "atrisk", "won", "churned")


@dataclass(frozen=True)
class ProfileRuleDTO:
    """One rule, in the order rules are tried."""

    id: int
    position: int
    field: str
    value: str
    profile_id: int
    profile: str

    def text(self) -> str:
        shown = TIER_LABELS.get(self.value, self.value) if self.field == "tier" else self.value
        return f'{RULE_FIELDS[self.field]} is "{shown}" → {self.profile}'


@dataclass(frozen=True)
class _Rule:
    field: str
    value: str
    profile_id: int


def _folded(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def matching_profile(
    rules: Sequence[_Rule],
    tier: str | None,
    manager: str | None,
    lifecycle: str | None,
    tags: Iterable[str],
) -> int | None:
    """The profile of the first rule the account matches, else None (global weights)."""
    facts = {"tier": _folded(tier), "manager": _folded(manager), "lifecycle": _folded(lifecycle)}
    folded_tags = {_folded(t) for t in tags}
    for rule in rules:
        if rule.field == "tag":
            if rule.value in folded_tags:
                return rule.profile_id
        elif facts[rule.field] == rule.value:
            return rule.profile_id
    return None


def load_profile_rules(s: Session) -> list[_Rule]:
    rows = s.execute(
        select(ProfileRule.field, ProfileRule.value, ProfileRule.profile_id).order_by(
            ProfileRule.position, ProfileRule.id
        )
    )
    return [_Rule(f, _folded(v), p) for f, v, p in rows]


_CUSTOMERS: Table = Customer.__table__  # type: ignore[assignment]
_SET_PROFILE = (
    update(_CUSTOMERS)
    .where(_CUSTOMERS.c.id == bindparam("_id"))
    .values(scoring_profile_id=bindparam("_profile"))
)


def apply_profile_rules(s: Session, ids: Sequence[int] | None = None) -> list[int]:
    """Give every live account not assigned by hand (or just `ids`) its rule's profile.

    Returns the ids whose profile changed (they need rescoring).
    """
    rules = load_profile_rules(s)
    stmt = select(
        Customer.id,
        Customer.tier,
        Customer.manager,
        Customer.lifecycle,
        Customer.scoring_profile_id,
    ).where(Customer.deleted_at.is_(None), Customer.scoring_profile_manual.is_(False))
    if not rules:  # only accounts a removed rule left behind need anything
        stmt = stmt.where(Customer.scoring_profile_id.is_not(None))
    rows = _rows(s, stmt, ids)
    tags = _tags(s, [r[0] for r in rows]) if any(r.field == "tag" for r in rules) else {}
    changes = []
    for cid, tier, manager, lifecycle, current in rows:
        wanted = matching_profile(rules, tier, manager, lifecycle, tags.get(cid, ()))
        if wanted != current:
            changes.append({"_id": cid, "_profile": wanted})
    for start in range(0, len(changes), CHUNK):
        s.connection().execute(_SET_PROFILE, changes[start : start + CHUNK])
    return [c["_id"] for c in changes]


def _rows(s: Session, stmt: Any, ids: Sequence[int] | None) -> list[Any]:
    if ids is None:
        return list(s.execute(stmt))
    wanted = list(ids)
    out: list[Any] = []
    for start in range(0, len(wanted), CHUNK):
        out += s.execute(stmt.where(Customer.id.in_(wanted[start : start + CHUNK]))).all()
    return out


def _tags(s: Session, ids: list[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for cid, tag in s.execute(
            select(CustomerTag.customer_id, CustomerTag.tag).where(
                CustomerTag.customer_id.in_(chunk)
            )
        ):
            out.setdefault(cid, []).append(tag)
    return out


class ProfileRuleService:
    """Lists and replaces the profile rules; saving them re-assigns and rescores."""

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
        self._clock = clock
        self._config = config
        self._audit = audit
        self._events = events
        self._scope = scope  # the rules are team-wide, like the weights: saving is guarded

    def rules(self) -> list[ProfileRuleDTO]:
        with self._db.session() as s:
            rows = s.execute(
                select(ProfileRule, ScoringProfile.name)
                .join(ScoringProfile, ScoringProfile.id == ProfileRule.profile_id)
                .order_by(ProfileRule.position, ProfileRule.id)
            ).all()
            return [
                ProfileRuleDTO(r.id, i, r.field, r.value, r.profile_id, name)
                for i, (r, name) in enumerate(rows)
            ]

    def save_rules(self, rules: Sequence[tuple[str, str, int]]) -> int:
        """Replace every rule with (field, value, profile id) in this order.

        Returns how many accounts changed profile; they are rescored in the same unit of
        work.
        """
        self._scope.require(Permission.EDIT_SETTINGS)
        cleaned = [self._check(field, value, pid) for field, value, pid in rules]
        with self._db.session() as s:
            self._check_profiles(s, [pid for _f, _v, pid in cleaned])
            s.execute(delete(ProfileRule))
            now = self._clock.now()
            s.add_all(
                ProfileRule(position=i, field=f, value=v, profile_id=p, created_at=now)
                for i, (f, v, p) in enumerate(cleaned)
            )
            s.flush()
            changed = apply_profile_rules(s)
            if changed:
                config, weights = self._config.current(), self._config.weights_for
                rescore_all(s, config, weights, self._clock.today(), ids=changed)
            self._audit.record(
                s,
                "profile_rules_saved",
                f"Profile rules saved ({len(cleaned)} rules): {len(changed):,} accounts changed "
                "profile",
                details={"rules": [list(r) for r in cleaned], "changed": len(changed)},
            )
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": "profile_rules"}))
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, tuple(changed)))
        return len(changed)

    @staticmethod
    def _check(field: str, value: str, profile_id: int) -> tuple[str, str, int]:
        if field not in RULE_FIELDS:
            raise ValidationError(
                "field", f'"{field}" cannot be used in a rule; use one of ' + ", ".join(RULE_FIELDS)
            )
        text = " ".join(str(value).split())
        if not text:
            raise ValidationError("value", f"A rule on {RULE_FIELDS[field].lower()} needs a value.")
        if field == "tier" and text.casefold() not in TIERS:
            raise ValidationError("value", "A tier rule needs enterprise, mid or smb.")
        if field == "lifecycle" and text.casefold() not in LIFECYCLE_STAGES:
            raise ValidationError(
                "value", "A lifecycle rule needs one of " + ", ".join(LIFECYCLE_STAGES) + "."
            )
        return field, text, profile_id

    @staticmethod
    def _check_profiles(s: Session, ids: list[int]) -> None:
        known = set(s.scalars(select(ScoringProfile.id).where(ScoringProfile.id.in_(ids))))
        missing = [i for i in ids if i not in known]
        if missing:
            raise ValidationError("profile", f"Scoring profile {missing[0]} no longer exists.")
