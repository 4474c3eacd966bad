"""The account fields a custom rule can test (S9), their operators and how values read.

Each field has a machine name (used in `--when` text and stored rules), a label for the
builder, a kind that decides its operators, and, for choice fields, the allowed values
with their labels. Values are checked here so a bad rule is refused with one sentence
that names the field and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.customers import GROWTHS, LIFECYCLES
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS, TIER_LABELS, TIERS, UNSCORED

FieldKind = Literal["number", "choice", "text", "tags"]
Value = float | str

OPERATORS: dict[str, tuple[str, ...]] = {
    "number": ("=", "!=", "<", "<=", ">", ">="),
    "choice": ("=", "!="),
    "text": ("=", "!="),
    "tags": ("has", "lacks"),
}
OPERATOR_LABELS: dict[str, str] = {
    "=": "is",
    "!=": "is not",
    "<": "is below",
    "<=": "is at most",
    ">": "is above",
    ">=": "is at least",
    "has": "include",
    "lacks": "do not include",
}
#: Other spellings accepted in `--when` text.
OPERATOR_SYNONYMS: dict[str, str] = {
    "==": "=",
    "is": "=",
    "<>": "!=",
    "contains": "has",
    "includes": "has",
    "excludes": "lacks",
}

LIFECYCLE_LABELS = {
    "onboarding": "Onboarding",
    "active": "Active",
    "atrisk": "At-risk lifecycle",
    "won": "Won",
    "churned": "Churned",
}
GROWTH_LABELS = {"strong": "Strong", "mild": "Mild", "none": "None", "na": "N/A"}
CADENCE_LABELS = {
    "ok": "On cadence",
    "due_soon": "Contact due soon",
    "overdue": "Contact overdue",
    "unknown": "No contact date",
}


@dataclass(frozen=True)
class RuleField:
    """One testable account field."""

    name: str
    label: str
    kind: FieldKind
    choices: tuple[tuple[str, str], ...] = ()  # (value, label) for choice fields
    synonyms: tuple[str, ...] = ()

    @property
    def operators(self) -> tuple[str, ...]:
        return OPERATORS[self.kind]

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


def _choices(values: tuple[str, ...], labels: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((v, labels.get(v, v)) for v in values)


FIELDS: dict[str, RuleField] = {
    f.name: f
    for f in (
        RuleField("score", "Health score", "number", synonyms=("health", "health_score")),
        RuleField(
            "status", "Status", "choice", _choices((*BANDS, UNSCORED), BAND_LABELS), ("band",)
        ),
        RuleField("tier", "Tier", "choice", _choices(TIERS, TIER_LABELS)),
        RuleField("lifecycle", "Lifecycle", "choice", _choices(LIFECYCLES, LIFECYCLE_LABELS)),
        RuleField("logins", "Logins (30 days)", "number", synonyms=("logins_30d",)),
        RuleField("adoption", "Feature adoption %", "number", synonyms=("feature_adoption_pct",)),
        RuleField("tickets", "Open tickets", "number", synonyms=("open_tickets",)),
        RuleField("nps", "NPS", "number"),
        RuleField("csat", "CSAT", "number"),
        RuleField("mrr", "MRR ($)", "number"),
        RuleField(
            "days_since_contact", "Days since contact", "number", synonyms=("contact_days", "days")
        ),
        RuleField(
            "growth",
            "Growth signal",
            "choice",
            _choices(GROWTHS, GROWTH_LABELS),
            ("growth_signal",),
        ),
        RuleField("momentum", "Momentum (7-day change)", "number"),
        RuleField("score_drop_7d", "Score drop in 7 days", "number", synonyms=("score_drop",)),
        RuleField(
            "cadence",
            "Cadence status",
            "choice",
            _choices(tuple(CADENCE_LABELS), CADENCE_LABELS),
            ("cadence_status",),
        ),
        RuleField(
            "renewal_days",
            "Days until renewal",
            "number",
            synonyms=("renewal_within", "days_until_renewal", "renewal"),
        ),
        RuleField("tags", "Tags", "tags", synonyms=("tag",)),
        RuleField("manager", "Manager", "text", synonyms=("csm", "owner")),
    )
}
_BY_ANY_NAME = {n: f for f in FIELDS.values() for n in (f.name, *f.synonyms)}


def field_named(name: str) -> RuleField:
    """The field by its name or a synonym (case-insensitive), or a clear refusal."""
    found = _BY_ANY_NAME.get(name.strip().lower())
    if found is None:
        raise ValidationError(
            "field", f'"{name}" is not a field a rule can test; use one of ' + ", ".join(FIELDS)
        )
    return found


def operator_named(field: RuleField, op: str) -> str:
    """The canonical operator, or a refusal naming the ones this field takes."""
    canonical = OPERATOR_SYNONYMS.get(op.strip().lower(), op.strip().lower())
    if canonical not in field.operators:
        raise ValidationError(
            "operator",
            f'{field.label} cannot be compared with "{op}"; use ' + ", ".join(field.operators),
        )
    return canonical


def parse_value(field: RuleField, raw: object) -> Value:
    """A condition's value, checked against the field: a number, a known choice or text."""
    text = str(raw).strip()
    if field.kind == "number":
        return _number(field, text)
    if not text:
        raise ValidationError("value", f"{field.label}: give a value to compare with.")
    if field.kind == "choice":
        return _choice(field, text)
    return text


def _number(field: RuleField, text: str) -> float:
    cleaned = text.replace(",", "").replace("$", "").replace("%", "").replace("−", "-")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValidationError(
            "value", f'{field.label}: "{text}" is not a number; write it like 15 or 2500.'
        ) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ValidationError("value", f"{field.label}: {text} is not a usable number.")
    return value


def _choice(field: RuleField, text: str) -> str:
    key = text.lower().replace(" ", "_").replace("-", "_")
    aliases = {v.replace("_", ""): v for v, _ in field.choices}
    for value, label in field.choices:
        if key in (value, label.lower().replace(" ", "_").replace("-", "_")):
            return value
    if key.replace("_", "") in aliases:
        return aliases[key.replace("_", "")]
    allowed = ", ".join(v for v, _ in field.choices)
    raise ValidationError("value", f'{field.label}: "{text}" is not one of {allowed}.')


def number_text(value: float) -> str:
    """15.0 -> '15', 2.5 -> '2.5', 12000 -> '12,000'."""
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
