"""CSV export (S7): the enriched view and the bulksheet for round-trip editing in Excel.

Files are UTF-8 with a byte-order mark so Excel reads accents right. Text that a
spreadsheet would run as a formula gets a leading `'` (restored on import); numbers are
written as plain numbers and never touched. The file is written aside and moved into
place, so a failed export never leaves half a file.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.csv_io.values import neutralise
from iqcadence_desktop.services.customers import (
    CustomerDTO,
    CustomerFilter,
    CustomerService,
    CustomFieldDTO,
    canonical,
)
from iqcadence_desktop.services.scoring import nps_category
from iqcadence_desktop.services.system import atomic_write

FORMATS = ("enriched", "bulksheet")
Cell = str | int | float | None
Column = tuple[str, Callable[[CustomerDTO], Cell]]


def amount(cents: int | None) -> str | None:
    """Exact dollars from cents: 500050 → '5000.50' (no binary float on the way)."""
    if cents is None:
        return None
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def _iso(day: dt.date | dt.datetime | None) -> str | None:
    return None if day is None else day.isoformat()


def _text(value: str | None) -> str | None:
    return None if value is None else neutralise(value)


def _growth(c: CustomerDTO) -> str | None:
    return "n/a" if c.growth_signal == "na" else c.growth_signal


#: Every editable field plus the stable id; importing it unedited changes nothing.
BULKSHEET: tuple[Column, ...] = (
    ("id", lambda c: c.display_id),
    ("external_id", lambda c: _text(c.external_id)),
    ("name", lambda c: _text(c.name)),
    ("manager", lambda c: _text(c.manager)),
    ("mrr", lambda c: amount(c.mrr_cents)),
    ("logins_30d", lambda c: c.logins_30d),
    ("feature_adoption_pct", lambda c: c.feature_adoption_pct),
    ("open_tickets", lambda c: c.open_tickets),
    ("nps", lambda c: c.nps),
    ("csat", lambda c: c.csat),
    ("last_contact_date", lambda c: _iso(c.last_contact_date)),
    ("renewal_date", lambda c: _iso(c.renewal_date)),
    ("growth_signal", _growth),
    ("tier", lambda c: c.tier),
    ("tags", lambda c: _text("|".join(c.tags))),
    ("lifecycle", lambda c: c.lifecycle),
    ("customer_since", lambda c: _iso(c.customer_since)),
    ("next_touch", lambda c: _iso(c.next_touch)),
    ("scoring_profile", lambda c: _text(c.scoring_profile)),
    ("sentiment", lambda c: c.sentiment),
    ("score_override", lambda c: c.score if c.manual_score else None),
    ("note", lambda c: _text(c.note)),
)

#: The view as a CSM reads it: stored fields, live score and everything derived.
ENRICHED: tuple[Column, ...] = (
    ("id", lambda c: c.display_id),
    ("external_id", lambda c: _text(c.external_id)),
    ("name", lambda c: _text(c.name)),
    ("manager", lambda c: _text(c.manager)),
    ("tier", lambda c: c.tier),
    ("lifecycle", lambda c: c.lifecycle),
    ("score", lambda c: c.shown_score),
    ("status", lambda c: c.status),
    ("coverage_pct", lambda c: round(c.coverage * 100)),
    ("score_is_manual", lambda c: "yes" if c.manual_score else "no"),
    ("momentum_7d", lambda c: None if c.momentum is None else round(c.momentum, 1)),
    ("priority_score", lambda c: round(c.priority, 1)),
    ("cadence_status", lambda c: c.cadence_status),
    ("mrr", lambda c: amount(c.mrr_cents)),
    ("arr", lambda c: amount(c.arr_cents)),
    ("logins_30d", lambda c: c.logins_30d),
    ("feature_adoption_pct", lambda c: c.feature_adoption_pct),
    ("open_tickets", lambda c: c.open_tickets),
    ("nps", lambda c: c.nps),
    ("nps_group", lambda c: nps_category(c.nps)),
    ("csat", lambda c: c.csat),
    ("days_since_contact", lambda c: c.days_since_contact),
    ("last_contact_date", lambda c: _iso(c.last_contact_date)),
    ("renewal_date", lambda c: _iso(c.renewal_date)),
    ("days_until_renewal", lambda c: c.days_until_renewal),
    ("months_to_renewal", lambda c: c.months_to_renewal),
    ("renewal_window", lambda c: c.renewal_window),
    ("growth_signal", _growth),
    (
        "expansion_estimate",
        lambda c: amount(c.expansion_estimate_cents) if c.expansion_estimate_cents else None,
    ),
    ("tags", lambda c: _text("|".join(c.tags))),
    ("sentiment", lambda c: c.sentiment),
    ("next_touch", lambda c: _iso(c.next_touch)),
    ("customer_since", lambda c: _iso(c.customer_since)),
    ("scoring_profile", lambda c: _text(c.scoring_profile)),
    ("note", lambda c: _text(c.note)),
    ("updated_at", lambda c: _iso(c.updated_at)),
)


def custom_columns(fields: Sequence[CustomFieldDTO]) -> tuple[Column, ...]:
    """One column per custom field, headed by its name (the import finds it again)."""

    def cell(key: str) -> Callable[[CustomerDTO], Cell]:
        def value(c: CustomerDTO) -> Cell:
            found = c.custom.get(key)
            return None if found is None else _text(canonical(found))

        return value

    return tuple((f.label, cell(f.key)) for f in fields)


class ExportService:
    """Writes the enriched CSV or the bulksheet of a filter or a list of customer ids.

    Both carry one column per custom field after the built-in ones.
    """

    def __init__(
        self,
        customers: CustomerService,
        custom_fields: Callable[[], Sequence[CustomFieldDTO]] = list,
    ) -> None:
        self._customers = customers
        self._custom_fields = custom_fields

    def rows(self, selection: CustomerFilter | Sequence[int]) -> list[CustomerDTO]:
        if isinstance(selection, CustomerFilter):
            return self._customers.list_customers(selection)
        return self._customers.list_customers(CustomerFilter(ids=tuple(selection)))

    def export(
        self,
        path: Path,
        kind: str = "enriched",
        selection: CustomerFilter | Sequence[int] = CustomerFilter(),
    ) -> int:
        """Write the file; returns how many customers it holds."""
        if kind not in FORMATS:
            raise UserFacingError(f'"{kind}" is not an export format; use enriched or bulksheet.')
        columns = ENRICHED if kind == "enriched" else BULKSHEET
        columns += custom_columns(self._custom_fields())
        customers = self.rows(selection)
        write_csv(
            Path(path),
            [name for name, _ in columns],
            ([fn(c) for _, fn in columns] for c in customers),
        )
        return len(customers)


def write_csv(path: Path, header: Sequence[str], rows: object) -> None:
    """Write UTF-8-with-BOM CSV whole or not at all (services.system.atomic_write)."""
    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]
