"""Scoring configuration (S2, S3, S10 subset): typed, validated, versioned.

The configuration in force is the newest `ConfigVersion` of kind "scoring"; saving a
new one keeps the old ones as config history. Invalid input is refused with a message
that names the problem.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.scoring.engine import SIGNALS, BandThresholds, SignalParams
from iqcadence_desktop.services.scoring.factors import FACTOR_LABELS, FACTORS, FactorSettings


class Tier(StrEnum):
    """An account's size class (S1); each has its own contact cadence (S3)."""

    ENTERPRISE = "enterprise"
    MID = "mid"
    SMB = "smb"


TIERS: tuple[Tier, ...] = tuple(Tier)
TIER_LABELS: dict[str, str] = {
    Tier.ENTERPRISE: "Enterprise",
    Tier.MID: "Mid-Market",
    Tier.SMB: "SMB",
}
DEFAULT_WEIGHTS: dict[str, float] = {
    "logins": 25,
    "adoption": 25,
    "tickets": 20,
    "nps": 15,
    "csat": 0,
    "days": 10,
    "growth": 5,
}


@dataclass(frozen=True)
class Cadence:
    """Days since contact after which a touch is due soon / overdue."""

    due_soon: int
    overdue: int


DEFAULT_CADENCE: dict[str, Cadence] = {
    "enterprise": Cadence(14, 21),
    "mid": Cadence(21, 30),
    "smb": Cadence(30, 45),
}


@dataclass(frozen=True)
class RenewalWindows:
    """Days before renewal that put an account in each window."""

    critical: int = 30
    warning: int = 60
    upcoming: int = 90


@dataclass(frozen=True)
class ScoringConfig:
    """Everything the scoring engine and the derived state need."""

    weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    csat_enabled: bool = False
    bands: BandThresholds = BandThresholds()
    params: SignalParams = SignalParams()
    cadence: dict[str, Cadence] = field(default_factory=lambda: dict(DEFAULT_CADENCE))
    renewal: RenewalWindows = RenewalWindows()
    expansion_method: str = "percent"
    expansion_percent: float = 20.0
    expansion_flat_cents: int = 0
    quiet_after_days: int = 30
    momentum_points: float = 10.0
    #: Signal-model factor switches (scoring/factors.py); all off by default.
    factors: dict[str, bool] = field(default_factory=lambda: dict.fromkeys(FACTORS, False))

    def factor_settings(self) -> FactorSettings:
        """The thresholds the factor rules share with the rest of the configuration."""
        return FactorSettings(
            login_saturation=float(self.params.login_saturation),
            quiet_after_days=float(self.quiet_after_days),
            momentum_points=float(self.momentum_points),
            healthy_from=float(self.bands.healthy),
            upcoming_days=float(self.renewal.upcoming),
        )

    def effective_weights(self, weights: Mapping[str, float] | None = None) -> dict[str, float]:
        """Weights the engine uses: CSAT counts only when it is enabled."""
        chosen = dict(weights if weights is not None else self.weights)
        if not self.csat_enabled:
            chosen["csat"] = 0.0
        return {s: float(chosen.get(s, 0.0)) for s in SIGNALS}

    def cadence_for(self, tier: str | None) -> Cadence:
        return self.cadence.get(tier or "mid", self.cadence["mid"])


def validate_weights(weights: Mapping[str, float], csat_enabled: bool) -> None:
    """Each weight 0-100 and the enabled ones totalling exactly 100 %."""
    for signal, value in weights.items():
        if signal not in SIGNALS:
            raise ValidationError(
                "weights", f'"{signal}" is not a signal; use one of ' + ", ".join(SIGNALS) + "."
            )
        if not 0 <= float(value) <= 100:
            raise ValidationError(
                "weights",
                f"The weight of {signal} is {value:g} %; each weight must be between 0 and 100 %.",
            )
    total = sum(float(v) for s, v in weights.items() if csat_enabled or s != "csat")
    if abs(total - 100.0) > 0.001:
        raise ValidationError("weights", f"weights total {total:g} %; they must total 100 %.")


def validate(config: ScoringConfig) -> None:
    """Refuse a configuration that cannot be used, naming the problem."""
    validate_weights(config.weights, config.csat_enabled)
    _check_bands(config.bands)
    _check_params(config.params)
    _check_cadence(config.cadence)
    _check_renewal(config.renewal)
    if config.expansion_method not in ("percent", "flat"):
        raise ValidationError(
            "expansion_method", 'The expansion estimate method must be "percent" or "flat".'
        )
    _require(
        0 <= config.expansion_percent <= 1000,
        "expansion_percent",
        "The expansion percentage must be between 0 and 1000 %.",
    )
    _require(
        config.expansion_flat_cents >= 0,
        "expansion_flat_cents",
        "The flat expansion amount cannot be negative.",
    )
    _require(
        config.quiet_after_days >= 1, "quiet_after_days", "'Quiet after' must be at least 1 day."
    )
    _require(
        config.momentum_points > 0,
        "momentum_points",
        "The momentum threshold must be more than 0 points.",
    )
    for name in config.factors:
        _require(
            name in FACTOR_LABELS,
            "factors",
            f'"{name}" is not a signal-model factor; use one of ' + ", ".join(FACTORS) + ".",
        )


def _require(ok: bool, field_name: str, message: str) -> None:
    if not ok:
        raise ValidationError(field_name, message)


def _check_bands(b: BandThresholds) -> None:
    edges = [
        ("At Risk", b.at_risk),
        ("Watch", b.watch),
        ("Healthy", b.healthy),
        ("Expansion", b.expansion),
    ]
    previous_name, previous = "Critical", 0
    for name, value in edges:
        _require(
            previous < value <= 100,
            "bands",
            f"The {name} band starts at {value}; it must be above {previous_name} "
            f"({previous}) and at most 100, so the bands stay in order.",
        )
        previous_name, previous = name, value


def _check_params(p: SignalParams) -> None:
    for name, label in (
        ("login_saturation", "Logins for full points"),
        ("ticket_saturation", "Tickets for zero points"),
        ("contact_saturation", "Days since contact for zero points"),
    ):
        _require(getattr(p, name) >= 1, name, f"{label} must be at least 1.")
    for name in (
        "nps_promoter",
        "nps_passive",
        "nps_detractor",
        "growth_strong",
        "growth_mild",
        "growth_none",
    ):
        _require(
            0 <= getattr(p, name) <= 100,
            name,
            f"{name.replace('_', ' ').capitalize()} must be between 0 and 100 points.",
        )


def _check_cadence(cadence: Mapping[str, Cadence]) -> None:
    for tier in TIERS:
        _require(
            tier in cadence, "cadence", f"The contact cadence for {TIER_LABELS[tier]} is missing."
        )
        c = cadence[tier]
        _require(
            1 <= c.due_soon < c.overdue,
            "cadence",
            f"{TIER_LABELS[tier]} cadence: 'due soon' ({c.due_soon} d) must be at least "
            f"1 and less than 'overdue' ({c.overdue} d).",
        )


def _check_renewal(r: RenewalWindows) -> None:
    _require(
        1 <= r.critical < r.warning < r.upcoming,
        "renewal",
        f"Renewal windows must grow: critical ({r.critical} d) < warning "
        f"({r.warning} d) < upcoming ({r.upcoming} d), all at least 1 day.",
    )


def to_payload(config: ScoringConfig) -> dict[str, Any]:
    """A JSON-ready dict (the stored form, also used in backups and diffs)."""
    return dataclasses.asdict(config)


def from_payload(payload: Mapping[str, Any]) -> ScoringConfig:
    """Rebuild a configuration from its stored form, filling new keys with defaults."""
    base = ScoringConfig()
    cadence = {t: Cadence(**c) for t, c in payload.get("cadence", {}).items()}
    return ScoringConfig(
        weights={**base.weights, **payload.get("weights", {})},
        csat_enabled=bool(payload.get("csat_enabled", base.csat_enabled)),
        bands=BandThresholds(**payload.get("bands", {})),
        params=SignalParams(**payload.get("params", {})),
        cadence={**base.cadence, **cadence},
        renewal=RenewalWindows(**payload.get("renewal", {})),
        expansion_method=str(payload.get("expansion_method", base.expansion_method)),
        expansion_percent=float(payload.get("expansion_percent", base.expansion_percent)),
        expansion_flat_cents=int(payload.get("expansion_flat_cents", base.expansion_flat_cents)),
        quiet_after_days=int(payload.get("quiet_after_days", base.quiet_after_days)),
        momentum_points=float(payload.get("momentum_points", base.momentum_points)),
        factors={**base.factors, **{k: bool(v) for k, v in payload.get("factors", {}).items()}},
    )


def diff_payloads(old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Human-readable list of changed keys: 'weights.logins: 25 → 30'."""
    changes: list[str] = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        path = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping):
            changes.extend(diff_payloads(a, b, path + "."))
        elif a != b:
            changes.append(f"{path}: {_fmt(a)} → {_fmt(b)}")
    return changes


def payload_lines(payload: Mapping[str, Any], prefix: str = "") -> list[str]:
    """Every value of a stored version, 'weights.logins: 25' (for a first version, which
    has nothing before it to differ from)."""
    lines: list[str] = []
    for key in sorted(payload):
        value, path = payload[key], f"{prefix}{key}"
        if isinstance(value, Mapping):
            lines.extend(payload_lines(value, path + "."))
        else:
            lines.append(f"{path}: {_fmt(value)}")
    return lines


def _fmt(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "—" if value is None else str(value)
