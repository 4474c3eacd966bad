"""The import preview: every conversion the import will make on the sample rows, and
every column it will not use, so nothing is changed or dropped without the user seeing it.

Conversions run through the importer's own RowParser, so the preview shows exactly what
the import will store ("Detractor" → 0, "1.200,50" → 1200.50, "03/04/2025" → 2025-03-04
under the chosen date order), including values it will read as blank or refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from iqcadence_desktop.services.csv_io import mapping as M
from iqcadence_desktop.services.csv_io.import_rows import RowParser, is_bad
from iqcadence_desktop.services.csv_io.read import Sniffed
from iqcadence_desktop.services.csv_io.results import (
    Conversion,
    ImportPreview,
    MatchKey,
    UnusedColumn,
)
from iqcadence_desktop.services.customers import display_id

#: Distinct sample values shown per column, and per unused column.
PER_COLUMN = 6
EXAMPLES = 3
BLANK = "(blank)"


def build_preview(
    sniffed: Sniffed,
    fields: Sequence[str | None],
    saved_used: bool,
    chosen: Mapping[str, str | None],
    parser: RowParser,
    date_order: str,
) -> ImportPreview:
    """The preview DTO for a file, its resolved mapping and a parser set up like the import's."""
    column, field = M.match_key(sniffed.headers, fields)
    return ImportPreview(
        sniffed,
        tuple(fields),
        saved_used,
        MatchKey(column, field, M.MATCH_LABELS[field]),
        conversions(sniffed, fields, parser),
        unused_columns(sniffed, fields, chosen),
        date_order,
    )


def _samples(sniffed: Sniffed, index: int) -> list[str]:
    """Distinct non-blank sample values of a column, in file order."""
    seen: dict[str, None] = {}
    for row in sniffed.rows:
        if index < len(row) and row[index].strip():
            seen.setdefault(row[index], None)
    return list(seen)


def conversions(
    sniffed: Sniffed, fields: Sequence[str | None], parser: RowParser
) -> tuple[Conversion, ...]:
    """Each sample value that is not stored exactly as written, and what it becomes."""
    out: list[Conversion] = []
    for index, (header, field) in enumerate(zip(sniffed.headers, fields, strict=True)):
        if field is None:
            continue
        found = 0
        for raw in _samples(sniffed, index):
            value = parser.convert_one(field, raw)
            if is_bad(value):
                out.append(Conversion(header, field, raw, "", str(value.message)))
            else:
                shown = show(field, value, parser.today)
                if shown == raw.strip():
                    continue
                out.append(Conversion(header, field, raw, shown))
            found += 1
            if found >= PER_COLUMN:
                break
    return tuple(out)


def show(field: str, value: Any, today: dt.date) -> str:
    """How a converted value reads in the preview (the stored form, in plain text)."""
    if value is None or value == []:
        return BLANK
    if field in ("mrr", "arr"):
        amount = f"{value // 100}.{value % 100:02d}"
        return amount if field == "mrr" else f"{amount} a year (MRR {_monthly(value)})"
    if field == "days":
        return f"last contact {(today - dt.timedelta(days=value)).isoformat()}"
    if field == "id":
        return display_id(value)
    if field == "growth" and value == "na":
        return "n/a"
    if field == "tags":
        return " | ".join(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _monthly(arr_cents: int) -> str:
    cents = (arr_cents * 2 + 12) // 24  # ARR ÷ 12, rounded half up, as the import does
    return f"{cents // 100}.{cents % 100:02d}"


def unused_columns(
    sniffed: Sniffed, fields: Sequence[str | None], chosen: Mapping[str, str | None]
) -> tuple[UnusedColumn, ...]:
    """Every column no field reads: unrecognised, or ignored by choice."""
    out = []
    for index, (header, field) in enumerate(zip(sniffed.headers, fields, strict=True)):
        if field is not None:
            continue
        examples = tuple(_samples(sniffed, index)[:EXAMPLES])
        if not header and not examples:
            continue  # an empty spreadsheet column with no header: nothing to lose
        ignored = header in chosen and chosen[header] is None
        out.append(
            UnusedColumn(
                header or f"(column {index + 1})",
                index,
                examples,
                "ignored" if ignored else "not recognised",
            )
        )
    return tuple(out)
