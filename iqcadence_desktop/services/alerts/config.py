"""Alert settings (S4): typed, validated and versioned as ConfigVersion kind "alerts".

Thresholds that already belong to the scoring settings (bands, renewal windows, contact
cadence, "quiet after", momentum points) are read from `ScoringConfig`, so one number
never lives in two places; this document holds the alert-only thresholds, the hysteresis
margins and the switches that turn rules off.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import ConfigVersion
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring import add_config_version, diff_payloads
from iqcadence_desktop.services.system import CONFIG_CHANGED, AuditLog, Clock, DomainEvent, EventBus
from iqcadence_desktop.services.team import Permission, Scope

ALERTS_KIND = "alerts"


@dataclass(frozen=True)
class AlertConfig:
    """Alert-only thresholds; margins are the hysteresis (points for scores and
    percentages, units for counts and days)."""

    tickets_warning: int = 5
    tickets_attention: int = 3
    logins_warning: int = 5
    adoption_attention: float = 25.0
    nps_detractor_max: int = 6
    margin_points: float = 2.0
    margin_units: int = 1
    disabled_rules: tuple[str, ...] = ()
    #: An account already At Risk or Critical raises one health alert; its weak signals
    #: (tickets, logins, adoption, NPS, sentiment) are the reasons, not more alerts.
    fold_into_health: bool = True
    #: A healthy account's renewal is an alert only this close (an unhealthy one's from
    #: the "upcoming" renewal window on).
    renewal_healthy_days: int = 30


def _require(ok: bool, field_name: str, message: str) -> None:
    if not ok:
        raise ValidationError(field_name, message)


def validate(c: AlertConfig, known_rules: tuple[str, ...]) -> None:
    """Refuse settings that cannot work, saying which and why."""
    _require(
        1 <= c.tickets_attention < c.tickets_warning,
        "tickets_attention",
        f"Ticket alerts: 'attention' ({c.tickets_attention}) must be at least 1 and "
        f"below 'warning' ({c.tickets_warning}).",
    )
    _require(
        c.logins_warning >= 1,
        "logins_warning",
        "The low-logins threshold must be at least 1 login in 30 days.",
    )
    _require(
        0 < c.adoption_attention <= 100,
        "adoption_attention",
        "The low-adoption threshold must be between 0 and 100 %.",
    )
    _require(
        0 <= c.nps_detractor_max <= 9,
        "nps_detractor_max",
        "The highest detractor NPS must be between 0 and 9.",
    )
    _require(
        0 <= c.margin_points <= 20,
        "margin_points",
        "The hysteresis margin in points must be between 0 and 20.",
    )
    _require(
        0 <= c.margin_units <= 30,
        "margin_units",
        "The hysteresis margin in units must be between 0 and 30.",
    )
    _require(
        1 <= c.renewal_healthy_days <= 365,
        "renewal_healthy_days",
        "The renewal alert window for healthy accounts must be 1 to 365 days.",
    )
    unknown = [r for r in c.disabled_rules if r not in known_rules]
    _require(
        not unknown,
        "disabled_rules",
        f'"{unknown[0] if unknown else ""}" is not an alert rule; use one of '
        + ", ".join(known_rules)
        + ".",
    )


def to_payload(c: AlertConfig) -> dict[str, Any]:
    payload = dataclasses.asdict(c)
    payload["disabled_rules"] = list(c.disabled_rules)
    return payload


def from_payload(payload: Mapping[str, Any]) -> AlertConfig:
    """Rebuild from the stored form; keys added later fall back to their defaults."""
    base = AlertConfig()
    values = {
        f.name: payload.get(f.name, getattr(base, f.name)) for f in dataclasses.fields(AlertConfig)
    }
    values["disabled_rules"] = tuple(values["disabled_rules"])
    values["fold_into_health"] = bool(values["fold_into_health"])
    return AlertConfig(**values)


class AlertConfigService:
    """Reads and saves the alert settings in force; every version stays in history."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        known_rules: tuple[str, ...],
        scope: Scope,
    ) -> None:
        self._db, self._clock, self._audit, self._events = db, clock, audit, events
        self._known_rules = known_rules
        self._scope = scope
        self._current: AlertConfig | None = None
        self._version = 0  # the stored version `_current` was read from (0: defaults)

    def current(self) -> AlertConfig:
        if self._current is None:
            with self._db.session() as s:
                row = s.scalars(
                    select(ConfigVersion)
                    .where(ConfigVersion.kind == ALERTS_KIND)
                    .order_by(ConfigVersion.id.desc())
                    .limit(1)
                ).first()
            self._current = from_payload(row.payload) if row else AlertConfig()
            self._version = row.version if row else 0
        return self._current

    def invalidate(self) -> None:
        """Forget the cached settings (another laptop saved; a restore replaced them)."""
        self._current = None

    def save(self, config: AlertConfig, overwrite: bool = False) -> list[str]:
        """Validate and store a new version; returns what changed (empty: nothing).

        A version saved elsewhere since this one was read raises StaleEditError unless
        `overwrite`."""
        self._scope.require(Permission.EDIT_RULES)
        validate(config, self._known_rules)
        changes = diff_payloads(to_payload(self.current()), to_payload(config))
        if not changes:
            return []
        text = "Alert settings changed: " + "; ".join(changes[:6])
        with self._db.session() as s:
            version = add_config_version(
                s,
                ALERTS_KIND,
                to_payload(config),
                text,
                self._audit.user(),
                self._clock.now(),
                None if overwrite else self._version,
            )
            self._audit.record(s, "config_changed", text, details={"changes": changes})
        self._current, self._version = config, version
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": ALERTS_KIND}))
        return changes
