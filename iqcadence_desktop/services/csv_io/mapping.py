"""Which column feeds which customer field: recognition, user overrides and checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from iqcadence_desktop.services.csv_io.read import (
    ID_LIKE,
    ImportFileError,
    guess_field,
    normalise_header,
)
from iqcadence_desktop.services.csv_io.values import looks_like_own_id
from iqcadence_desktop.services.customers import CUSTOMER_FIELD_LABELS

#: Fields a column may feed (API names; `id` is the bulksheet's stable id, `external_id`
#: another system's id for the account).
IMPORT_FIELDS: tuple[str, ...] = (
    "id",
    "external_id",
    "name",
    "manager",
    "mrr",
    "arr",
    "logins",
    "adoption",
    "tickets",
    "nps",
    "csat",
    "days",
    "last_contact",
    "renewal_date",
    "growth",
    "tier",
    "tags",
    "lifecycle",
    "since",
    "next_touch",
    "profile",
    "note",
    "sentiment",
    "score",
)
FIELD_LABELS: dict[str, str] = {
    **CUSTOMER_FIELD_LABELS,
    "id": "Customer id",
    "score": "Manual score",
}


class NoNameColumnError(ImportFileError):
    """No column maps to the customer name."""

    def __init__(self, headers: Sequence[str]) -> None:
        found = ", ".join(f'"{h}"' for h in headers if h) or "none"
        super().__init__(
            "No column holds the customer name (looked for name, company, "
            f"customer, account). Columns found: {found}. Map one with "
            "--map COLUMN=name, or pick it in the mapping table."
        )
        self.headers = tuple(headers)


def field_for(text: str) -> str:
    """A field named by the user: an API name, an S1 header name or a synonym."""
    key = text.strip().lower()
    if key in IMPORT_FIELDS:
        return key
    guessed = guess_field(text)
    if guessed is None:
        raise ImportFileError(
            f'"{text}" is not a customer field. Fields: ' + ", ".join(IMPORT_FIELDS) + "."
        )
    return guessed


def _column_index(headers: Sequence[str], column: str) -> int:
    for exact in (True, False):
        for i, h in enumerate(headers):
            if (h == column) if exact else normalise_header(h) == normalise_header(column):
                return i
    found = ", ".join(f'"{h}"' for h in headers if h)
    raise ImportFileError(f'The file has no column "{column}". Columns found: {found}.')


#: Which column finds the stored customer, in order of preference.
MATCH_FIELDS: tuple[str, ...] = ("external_id", "id", "name")
MATCH_LABELS: dict[str, str] = {
    "external_id": "the account's id in another system (external id)",
    "id": "the iQcadence id, like CUS-000042",
    "name": "the customer name",
}


def recognise(header: str, samples: Sequence[str] = ()) -> str | None:
    """The field a header names. A generic id header ("Id", "CustomerID") holds our own id
    only when every sample value looks like one (CUS-000042); otherwise it is another
    system's id and feeds `external_id`."""
    field = guess_field(header) if header else None
    if field == "external_id" and normalise_header(header) in ID_LIKE:
        given = [v for v in samples if v.strip()]
        if given and all(looks_like_own_id(v) for v in given):
            return "id"
    return field


def resolve(
    headers: Sequence[str],
    saved: Mapping[str, str | None] | None = None,
    overrides: Mapping[str, str | None] | None = None,
    samples: Sequence[Sequence[str]] = (),
) -> list[str | None]:
    """The field of each column: recognised (from the header and the sample rows), then
    the saved mapping, then the user's choices."""
    fields: list[str | None] = [
        recognise(h, [r[i] for r in samples if i < len(r)]) for i, h in enumerate(headers)
    ]
    for source in (saved or {}), (overrides or {}):
        for column, field in source.items():
            fields[_column_index(headers, column)] = None if field is None else field_for(field)
    check(headers, fields)
    return fields


def check(headers: Sequence[str], fields: Sequence[str | None]) -> None:
    """Refuse two columns feeding one field, and a file with no name column."""
    first: dict[str, int] = {}
    for i, field in enumerate(fields):
        if field is None:
            continue
        if field in first:
            j = first[field]
            raise ImportFileError(
                f'Columns "{headers[j]}" (column {j + 1}) and "{headers[i]}" (column {i + 1}) '
                f"both hold {FIELD_LABELS.get(field, field)}. Ignore one of them "
                f"(--ignore COLUMN) or map it to another field."
            )
        first[field] = i
    if "name" not in first:
        raise NoNameColumnError(headers)


def as_dict(
    headers: Sequence[str], fields: Sequence[str | None]
) -> tuple[dict[str, str], list[str]]:
    """({column: field} for mapped columns, [ignored columns])."""
    mapped = {h: f for h, f in zip(headers, fields, strict=True) if f is not None}
    ignored = [h for h, f in zip(headers, fields, strict=True) if f is None and h]
    return mapped, ignored


def match_key(headers: Sequence[str], fields: Sequence[str | None]) -> tuple[str, str]:
    """(column, field) that finds the stored customer: external id, else id, else name."""
    for wanted in MATCH_FIELDS:
        for header, field in zip(headers, fields, strict=True):
            if field == wanted:
                return header, field
    raise NoNameColumnError(headers)


def differs_from_recognised(
    headers: Sequence[str], mapped: Mapping[str, str], samples: Sequence[Sequence[str]] = ()
) -> bool:
    """Whether the user changed anything that recognition alone would have chosen."""
    recognised = {
        h: f
        for i, h in enumerate(headers)
        if h and (f := recognise(h, [r[i] for r in samples if i < len(r)])) is not None
    }
    return recognised != dict(mapped)
