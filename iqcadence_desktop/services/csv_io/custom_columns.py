"""Keeping the columns an import cannot map as typed custom fields (S1, S7).

A column that no customer field takes would be dropped. The preview suggests a kind for
each such column from its data (`suggest_custom`); the user ticks the ones to keep
(`ImportOptions.keep`: column → kind, or "auto"). A column whose header names a custom
field that already exists fills that field without asking, so an exported file comes
back in losslessly. The kept columns are applied in the import's own unit of work,
after the customer rows (`keep_custom_columns`): one more streaming pass over the file
reads only the name, the id and the kept columns. Rows the import refused are skipped;
a bad custom value is reported by row, column and value like any other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer, CustomField
from iqcadence_desktop.services.csv_io import values as V
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue, parse_id
from iqcadence_desktop.services.csv_io.read import (
    ImportFileError,
    Sniffed,
    guess_field,
    normalise_header,
    open_rows,
)
from iqcadence_desktop.services.customers import (
    KIND_LABELS,
    KINDS,
    CustomFieldDTO,
    CustomValue,
    add_field,
    canonical,
    detect_kind,
    load_custom_values,
    parse_custom,
    read_fields,
    write_values,
)
from iqcadence_desktop.services.system import AuditLog

#: Rows read to suggest a kind in the preview.
SUGGEST_ROWS = 2000
AUTO = "auto"


@dataclass(frozen=True)
class CustomSuggestion:
    """An unmapped column, what it looks like and whether a field already takes it."""

    column: str
    kind: str
    choices: tuple[str, ...]
    existing: CustomFieldDTO | None

    @property
    def text(self) -> str:
        if self.existing is not None:
            return f'fills the custom field "{self.existing.label}" ({self.existing.kind_label})'
        extra = f": {', '.join(self.choices[:5])}" if self.choices else ""
        return f"looks like {KIND_LABELS[self.kind].lower()}{extra}"


@dataclass(frozen=True)
class CustomImport:
    """What the kept columns did."""

    values: int
    created: tuple[str, ...]


def _matching(header: str, fields: Sequence[CustomFieldDTO]) -> CustomFieldDTO | None:
    wanted = normalise_header(header)
    for f in fields:
        if wanted in (normalise_header(f.label), normalise_header(f.key)):
            return f
    return None


def _clean(kind: str, raw: str, day_first: bool) -> str | None:
    """A cell in the spelling the custom-value rules read (None when blank)."""
    if V.is_missing(raw, "note" if kind == "text" else "custom"):
        return None
    if kind == "text":
        return V.restore(raw)
    if kind == "number":
        return V.number(raw)
    return V.date(raw, day_first) if kind == "date" else raw.strip()


def unmapped(headers: Sequence[str], fields: Sequence[str | None]) -> list[int]:
    return [i for i, (h, f) in enumerate(zip(headers, fields, strict=True)) if h and f is None]


def _column_cells(sniffed: Sequence[Sequence[str]], index: int) -> list[str]:
    return [row[index] if index < len(row) else "" for row in sniffed]


def _sample(path: Path, sniffed: Sniffed, limit: int) -> list[list[str]]:
    rows: list[list[str]] = []
    with open_rows(path, sniffed.format) as reader:
        for i, row in enumerate(reader):
            if i:
                rows.append(row)
            if i >= limit:
                break
    return rows


def _detect(cells: Sequence[str], day_first: bool) -> tuple[str, tuple[str, ...]]:
    """The kind of a column of raw cells, read the way the import will read them."""
    cleaned: list[str | None] = []
    for raw in cells:
        if V.is_missing(raw, "custom"):
            cleaned.append(None)
            continue
        iso = V.date(raw, day_first)
        if len(iso) == 10 and iso[4] == "-" and iso[7] == "-":
            cleaned.append(iso)
            continue
        number = V.number(raw)
        try:
            float(number)
        except ValueError:
            cleaned.append(raw.strip())
        else:
            cleaned.append(number)
    return detect_kind(cleaned)


def suggest_custom(
    sniffed: Sniffed,
    fields: Sequence[str | None],
    existing: Sequence[CustomFieldDTO],
    day_first: bool = False,
) -> list[CustomSuggestion]:
    """A suggestion for every column the mapping leaves out, from the file's first rows."""
    rows = _sample(sniffed.path, sniffed, SUGGEST_ROWS)
    out = []
    for i in unmapped(sniffed.headers, fields):
        header = sniffed.headers[i]
        found = _matching(header, existing)
        if found is not None:
            out.append(CustomSuggestion(header, found.kind, found.choices, found))
        else:
            kind, choices = _detect(_column_cells(rows, i), day_first)
            out.append(CustomSuggestion(header, kind, choices, None))
    return out


@dataclass(frozen=True)
class _Kept:
    index: int
    header: str
    field: CustomFieldDTO | None  # None: create it
    kind: str


def _plan(
    headers: Sequence[str],
    fields: Sequence[str | None],
    keep: Mapping[str, str],
    ignored: set[str],
    existing: Sequence[CustomFieldDTO],
) -> list[_Kept]:
    wanted = {normalise_header(c): k for c, k in keep.items()}
    plan: list[_Kept] = []
    for i in unmapped(headers, fields):
        header = headers[i]
        found = _matching(header, existing)
        kind = wanted.pop(normalise_header(header), None)
        if found is not None and header not in ignored:
            plan.append(_Kept(i, header, found, found.kind))
        elif kind is not None:
            if kind != AUTO and kind not in KINDS:
                raise ImportFileError(
                    f'"{kind}" is not a kind of custom field; use one of {", ".join(KINDS)}.'
                )
            if guess_field(header) is not None:
                raise ImportFileError(
                    f'"{header}" is the name of a customer field; map it instead of keeping it.'
                )
            plan.append(_Kept(i, header, None, kind))
    if wanted:
        column = next(iter(keep))
        raise ImportFileError(
            f'Cannot keep "{column}" as a custom field: the file has no such unused column.'
        )
    return plan


def _read(
    sniffed: Sniffed, columns: Sequence[int], name_at: int, id_at: int | None
) -> list[tuple[int, list[str]]]:
    """(file line, [name, id, kept cells...]) of every non-blank row."""
    out: list[tuple[int, list[str]]] = []
    with open_rows(sniffed.path, sniffed.format) as reader:
        iterator = iter(reader)
        next(iterator, None)
        end = reader.csv.line_num
        for cells in iterator:
            line, end = end + 1, reader.csv.line_num
            if not "".join(cells).strip():
                continue
            pick = [name_at, -1 if id_at is None else id_at, *columns]
            out.append((line, [cells[i] if 0 <= i < len(cells) else "" for i in pick]))
    return out


def _customer_ids(s: Session, rows: Sequence[tuple[int, list[str]]]) -> list[int | None]:
    keys = {" ".join(r[1][0].split()).casefold() for r in rows}
    by_key: dict[str, int] = {}
    listed = sorted(keys)
    for start in range(0, len(listed), 900):
        part = listed[start : start + 900]
        found = s.execute(select(Customer.name_key, Customer.id).where(Customer.name_key.in_(part)))
        by_key.update((key, cid) for key, cid in found)
    out: list[int | None] = []
    for _, cells in rows:
        cid = None
        if cells[1].strip():
            try:
                cid = parse_id(cells[1])
            except ValidationError:
                cid = None
        out.append(cid if cid is not None else by_key.get(" ".join(cells[0].split()).casefold()))
    return out


def _prepare(
    s: Session,
    kept: list[_Kept],
    rows: list[tuple[int, list[str]]],
    now: dt.datetime,
    day_first: bool,
) -> list[_Kept]:
    """Create the new fields (kind from the whole column when asked to detect it) and
    add the new values of choice fields to their choices."""
    out = []
    for j, k in enumerate(kept):
        column = [r[1][2 + j] for r in rows]
        values = sorted({c.strip() for c in column if not V.is_missing(c, "custom")})
        if k.field is None:
            kind, choices = _detect(column, day_first) if k.kind == AUTO else (k.kind, ())
            if kind == "choice":
                choices = choices or tuple(values)
            row = add_field(s, now, k.header, kind, choices)
        else:
            row = s.get(CustomField, k.field.id)  # type: ignore[assignment]
            known = {c.casefold() for c in row.choices or ()}
            fresh = [v for v in values if v.casefold() not in known]
            if row.kind == "choice" and fresh:
                row.choices = [*(row.choices or []), *fresh]
        field = CustomFieldDTO(
            row.id, row.key, row.label, row.kind, tuple(row.choices or ()), row.in_model
        )
        out.append(_Kept(k.index, k.header, field, row.kind))
    return out


def keep_custom_columns(
    s: Session,
    sniffed: Sniffed,
    fields: Sequence[str | None],
    keep: Mapping[str, str],
    ignored: set[str],
    day_first: bool,
    errors: list[ImportIssue],
    now: dt.datetime,
    audit: AuditLog,
) -> CustomImport:
    """Write the kept columns' values inside the import's unit of work."""
    plan = _plan(sniffed.headers, fields, keep, ignored, read_fields(s))
    if not plan:
        return CustomImport(0, ())
    id_at = fields.index("id") if "id" in fields else None
    rows = _read(sniffed, [k.index for k in plan], fields.index("name"), id_at)
    created = [k.header for k in plan if k.field is None]
    plan = _prepare(s, plan, rows, now, day_first)
    refused = {e.row for e in errors}
    ids = _customer_ids(s, rows)
    current = load_custom_values(s, [i for i in ids if i is not None]) or []
    stored = dict(zip([i for i in ids if i is not None], current, strict=True))
    items = _values(plan, rows, ids, stored, refused, day_first, errors)
    write_values(s, items)
    if items or created:
        audit.record(
            s,
            "custom_fields_imported",
            f"Imported {sniffed.path.name}: {len(items):,} custom values set"
            + (f"; new custom fields: {', '.join(created)}" if created else ""),
            details={"file": sniffed.path.name, "values": len(items), "created": created},
        )
    return CustomImport(len(items), tuple(created))


def _values(
    plan: list[_Kept],
    rows: list[tuple[int, list[str]]],
    ids: list[int | None],
    stored: dict[int, dict[str, CustomValue]],
    refused: set[int],
    day_first: bool,
    errors: list[ImportIssue],
) -> list[tuple[int, int, str | None]]:
    items: list[tuple[int, int, str | None]] = []
    for (line, cells), cid in zip(rows, ids, strict=True):
        if cid is None or line in refused:
            continue
        for j, k in enumerate(plan):
            assert k.field is not None
            raw = cells[2 + j]
            try:
                value = parse_custom(
                    k.kind, k.header, _clean(k.kind, raw, day_first), k.field.choices
                )
            except ValidationError as exc:
                errors.append(ImportIssue(line, k.header, raw, exc.message))
                continue
            text = None if value is None else canonical(value)
            old = stored.get(cid, {}).get(k.field.key)
            if (None if old is None else canonical(old)) != text:
                items.append((cid, k.field.id, text))
    return items
