"""The S9 event types a rule can watch for, their thresholds, and how each reads.

A trigger is an event type plus its threshold (for the types that have one). Matching
is done in `matching.py`; this module says what each type means in words, for the
wizard, the rules list, messages and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations.fields import number_text

TIMINGS: dict[str, str] = {
    "realtime": "Real-time",
    "daily": "Daily digest",
    "weekly": "Weekly digest",
}
CUSTOM = "custom"


@dataclass(frozen=True)
class EventType:
    """One S9 event type: its id, label, and threshold (None when it takes none)."""

    id: str
    label: str
    default: float | None
    unit: str  # what the threshold counts, for the wizard ("points", "days")
    help: str
    minimum: float = 0
    maximum: float = 100


EVENT_TYPES: dict[str, EventType] = {
    e.id: e
    for e in (
        EventType(
            "health_below",
            "Health score below a threshold",
            50,
            "points",
            "The health score drops under the threshold.",
            1,
            100,
        ),
        EventType(
            "became_at_risk",
            "Became At Risk or Critical",
            None,
            "",
            "The account moves into the At Risk or the Critical band.",
        ),
        EventType(
            "renewal_within",
            "Renewal approaching",
            30,
            "days",
            "The renewal date comes within this many days.",
            1,
            365,
        ),
        EventType(
            "no_contact",
            "No contact",
            14,
            "days",
            "Nobody has been in touch for this many days.",
            1,
            365,
        ),
        EventType(
            "nps_detractor",
            "NPS became detractor",
            None,
            "",
            "The latest NPS answer is 0 to 6.",
        ),
        EventType(
            "lifecycle_change",
            "Lifecycle became at-risk or churned",
            None,
            "",
            "The lifecycle stage changes to atrisk or churned.",
        ),
        EventType(
            "score_drop",
            "Rapid score drop",
            15,
            "points",
            "The score falls by at least this many points within 7 days.",
            1,
            100,
        ),
    )
}


@dataclass(frozen=True)
class Trigger:
    """An event type with its threshold (None for the types without one)."""

    event: str
    threshold: float | None = None

    def to_json(self) -> dict[str, object]:
        return {"event": self.event, "threshold": self.threshold}

    def describe(self) -> str:
        return describe_trigger(self)


def trigger(event: str, threshold: object = None) -> Trigger:
    """A checked trigger; a missing threshold takes the type's default."""
    kind = EVENT_TYPES.get(event.strip().lower())
    if kind is None:
        raise ValidationError(
            "event", f'"{event}" is not an event type; use one of ' + ", ".join(EVENT_TYPES) + "."
        )
    if kind.default is None:
        if threshold not in (None, ""):
            raise ValidationError("threshold", f'"{kind.label}" takes no threshold.')
        return Trigger(kind.id)
    value = kind.default if threshold in (None, "") else _threshold(kind, threshold)
    return Trigger(kind.id, value)


def _threshold(kind: EventType, raw: object) -> float:
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValidationError(
            "threshold", f'{kind.label}: the threshold "{raw}" is not a number.'
        ) from None
    if not kind.minimum <= value <= kind.maximum:
        raise ValidationError(
            "threshold",
            f"{kind.label}: choose a threshold from {number_text(kind.minimum)} to "
            f"{number_text(kind.maximum)} {kind.unit}, not {number_text(value)}.",
        )
    return value


def triggers_from_json(raw: object) -> tuple[Trigger, ...]:
    if not isinstance(raw, list):
        return ()
    return tuple(trigger(str(t["event"]), t.get("threshold")) for t in raw if isinstance(t, dict))


def describe_trigger(t: Trigger) -> str:
    """'Health score below 50', 'Renewal within 30 days', 'Became At Risk or Critical'."""
    v = "" if t.threshold is None else number_text(t.threshold)
    return {
        "health_below": f"Health score below {v}",
        "became_at_risk": "Became At Risk or Critical",
        "renewal_within": f"Renewal within {v} days",
        "no_contact": f"No contact for {v}+ days",
        "nps_detractor": "NPS became detractor",
        "lifecycle_change": "Lifecycle became at-risk or churned",
        "score_drop": f"Score fell {v}+ points in 7 days",
    }[t.event]


def check_timing(timing: str) -> str:
    value = timing.strip().lower()
    if value not in TIMINGS:
        raise ValidationError(
            "timing", f'"{timing}" is not a timing; use one of ' + ", ".join(TIMINGS) + "."
        )
    return value
