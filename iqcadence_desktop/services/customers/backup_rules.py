"""The rules a restored customer row must pass: the same ones an edit enforces (S1).

Each check takes a row as stored (column names, cents, dates) and raises
`ValidationError` naming the column. A customer's folded name is recomputed from its
name, so two rows that are one customer twice are caught by the uniqueness check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.customers import fields as F
from iqcadence_desktop.services.scoring import BANDS, TIERS, UNSCORED

#: Column -> (API field its edit rule belongs to, low, high).
_NUMBERS: dict[str, tuple[str, float, float]] = {
    "logins_30d": ("logins", 0, 100_000),
    "feature_adoption_pct": ("adoption", 0, 100),
    "open_tickets": ("tickets", 0, 100_000),
    "nps": ("nps", 0, 10),
    "csat": ("csat", 1, 5),
    "score_override": ("score", 0, 100),
    "score": ("score", 0, 100),
    "coverage": ("coverage", 0, 1),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "growth_signal": F.GROWTHS,
    "tier": TIERS,
    "lifecycle": F.LIFECYCLES,
    "sentiment": F.SENTIMENTS,
    "status": (*BANDS, UNSCORED),
}


def _as_column(column: str, check: Callable[[], object]) -> None:
    try:
        check()
    except ValidationError as exc:
        raise ValidationError(column, exc.message) from None


def _check_text(column: str, value: object) -> None:
    _as_column(column, lambda: F.check_text(column, value))


def _customer_row(row: dict[str, Any]) -> None:
    _as_column("name", lambda: F.parse_name(row["name"]))
    row["name_key"] = F.name_key(row["name"])
    for column in ("manager", "note"):
        if row.get(column) is not None:
            _check_text(column, row[column])
    cents = row.get("mrr_cents")
    if cents is not None and not 0 <= cents <= F.MAX_MONEY_CENTS:
        raise ValidationError(
            "mrr_cents", f"MRR: {F.money_text(cents)} is not allowed; an amount of 0 or more"
        )
    for column, (field, low, high) in _NUMBERS.items():
        value = row.get(column)
        if value is not None and not low <= value <= high:
            label = F.CUSTOMER_FIELD_LABELS.get(field, field)
            raise ValidationError(
                column, f"{label}: {value!r} is not allowed; a value from {low:g} to {high:g}"
            )
    for column, choices in _CHOICES.items():
        value = row.get(column)
        if value is not None and value not in choices:
            raise ValidationError(column, f"{value!r} is not one of " + ", ".join(choices))


def _tag_row(row: dict[str, Any]) -> None:
    _as_column("tag", lambda: F.check_text("tags", row["tag"]))
    if not " ".join(str(row["tag"]).split()):
        raise ValidationError("tag", "a tag may not be blank")


def _contact_row(row: dict[str, Any]) -> None:
    if not str(row["name"]).strip():
        raise ValidationError("name", "a contact needs a name")


def _sentiment_row(row: dict[str, Any]) -> None:
    if row["sentiment"] not in F.SENTIMENTS:
        raise ValidationError(
            "sentiment", f"{row['sentiment']!r} is not one of " + ", ".join(F.SENTIMENTS)
        )


CUSTOMER_ROW_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "customers": _customer_row,
    "customer_tags": _tag_row,
    "contacts": _contact_row,
    "sentiment_entries": _sentiment_row,
}
