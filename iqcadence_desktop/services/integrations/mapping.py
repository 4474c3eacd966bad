"""Field mapping (another system's field → our customer field), its defaults, and the
options each integration starts with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.customers import CUSTOMER_FIELD_LABELS, parse_value
from iqcadence_desktop.services.integrations.base import SYSTEM_LABELS, parse_day
from iqcadence_desktop.services.integrations.stripe import DEFAULT_PLAN_TIERS

#: Customer fields a sync may write (the name is the match key, never overwritten).
TARGETS: tuple[str, ...] = (
    "manager",
    "mrr",
    "logins",
    "adoption",
    "tickets",
    "nps",
    "csat",
    "last_contact",
    "renewal_date",
    "growth",
    "tier",
    "lifecycle",
    "since",
    "next_touch",
    "sentiment",
)
TARGET_LABELS = {t: CUSTOMER_FIELD_LABELS.get(t, t) for t in TARGETS}
#: Fields kept in the score history; pull-history writes only these.
HISTORY_TARGETS = frozenset(
    {"mrr", "logins", "adoption", "tickets", "nps", "csat", "last_contact", "growth"}
)
SIGNAL_TARGETS = frozenset(
    {"logins", "adoption", "tickets", "nps", "csat", "last_contact", "growth"}
)
_DATES = frozenset({"last_contact", "renewal_date", "since", "next_touch"})

DEFAULT_MAPPINGS: dict[str, dict[str, str]] = {
    "hubspot": {
        "owner": "manager",
        "deals_mrr": "mrr",
        "deals_renewal": "renewal_date",
        "feedback_nps": "nps",
        "feedback_csat": "csat",
        "notes_last_contacted": "last_contact",
        "createdate": "since",
    },
    "salesforce": {
        "Owner.Name": "manager",
        "opps_mrr": "mrr",
        "opps_renewal": "renewal_date",
        "CreatedDate": "since",
    },
    "stripe": {"subscriptions_mrr": "mrr", "plan_tier": "tier"},
}
DEFAULT_OPTIONS: dict[str, dict[str, Any]] = {
    "hubspot": {"create_accounts": True, "deal_amounts": "annual", "default_tier": "smb"},
    "salesforce": {
        "create_accounts": True,
        "deal_amounts": "annual",
        "default_tier": "mid",
        "login_url": "https://login.salesforce.com",
        "client_id": "",
        "callback_port": 8788,
    },
    "stripe": {"create_accounts": False, "currency": "usd", "plan_tiers": DEFAULT_PLAN_TIERS},
}
#: Stripe bills existing customers; it never adds accounts (S12).
CAN_CREATE = {"hubspot": True, "salesforce": True, "stripe": False}


def options_for(system: str, stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """The defaults overlaid with what the user chose."""
    merged = {**DEFAULT_OPTIONS[system], **dict(stored or {})}
    if not CAN_CREATE[system]:
        merged["create_accounts"] = False
    return merged


def mapping_for(system: str, options: Mapping[str, Any]) -> dict[str, str]:
    """{their field: our field}; a stored None unmaps a default."""
    mapping: dict[str, str | None] = {**DEFAULT_MAPPINGS[system], **(options.get("mapping") or {})}
    return {k: v for k, v in mapping.items() if v}


def check_mapping(system: str, mapping: Mapping[str, str | None]) -> dict[str, str | None]:
    """Refuse unknown targets and two fields feeding one target."""
    seen: dict[str, str] = {}
    for source, target in {**DEFAULT_MAPPINGS[system], **mapping}.items():
        if not target:
            continue
        if target not in TARGETS:
            raise ValidationError(
                "mapping",
                f'{SYSTEM_LABELS[system]} field "{source}" cannot feed "{target}"; choose '
                "one of " + ", ".join(TARGETS) + ".",
            )
        if target in seen:
            raise ValidationError(
                "mapping",
                f'{TARGET_LABELS[target]} is fed by both "{seen[target]}" and "{source}"; '
                "map only one of them.",
            )
        seen[target] = source
    return dict(mapping)


def parse_target(target: str, value: object) -> Any:
    """Another system's value as a stored customer value (None = no value there).

    Raises ValidationError naming the field when the value does not fit."""
    if value is None or value == "":
        return None
    if target in _DATES:
        day = parse_day(value)
        if day is None:
            raise ValidationError(target, f"{TARGET_LABELS[target]}: {value!r} is not a date.")
        value = day.isoformat()
    return parse_value(target, value)
