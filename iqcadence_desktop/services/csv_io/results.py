"""What an import is asked to do, what its preview shows and what it reports (S7, S15).

The counts are defined once, here: `created`, `updated` and `unchanged` count customers
in the database (each customer once, however many rows name it); a later row for a
customer already seen in the same file is a duplicate (the later row wins; each listed
with its row numbers); `skipped` rows were refused with an error. So, always,
rows = created + updated + unchanged + duplicates + skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from iqcadence_desktop.services.csv_io.custom_columns import CustomImport
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue
from iqcadence_desktop.services.csv_io.read import FileFormat, Sniffed


@dataclass(frozen=True)
class ImportOptions:
    """How to read and apply a file. `mapping` overrides {column: field or None=ignore}."""

    mapping: Mapping[str, str | None] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date_order: str | None = None  # "dmy" or "mdy"; None = the setting (default mdy)
    dry_run: bool = False
    all_or_nothing: bool = False
    #: Unmapped columns to keep as custom fields: column → kind, or "auto" (custom_columns.py).
    keep: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Conversion:
    """One sample value and what the import will store for it ("Detractor" → 0).

    `problem` is set when the value will be refused (the row is then skipped).
    """

    column: str
    field: str
    raw: str
    result: str
    problem: str = ""

    def to_json(self) -> dict[str, str]:
        out = {"column": self.column, "field": self.field, "value": self.raw}
        out.update({"problem": self.problem} if self.problem else {"becomes": self.result})
        return out


@dataclass(frozen=True)
class UnusedColumn:
    """A column the import will not read: the user can map it or knowingly leave it.

    `reason` is "not recognised" (no field matched its header) or "ignored" (the user or
    a saved mapping chose to leave it out). Kept apart from the mapping on purpose: a
    later feature may offer to keep such columns as custom fields.
    """

    column: str
    index: int
    examples: tuple[str, ...]
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "column": self.column,
            "position": self.index + 1,
            "examples": list(self.examples),
            "reason": self.reason,
        }


@dataclass(frozen=True)
class MatchKey:
    """The column that finds the stored customer for each row, and the field it holds."""

    column: str
    field: str
    label: str

    def to_json(self) -> dict[str, str]:
        return {"column": self.column, "field": self.field, "meaning": self.label}


@dataclass(frozen=True)
class ImportPreview:
    """What the wizard shows before importing: the mapping, the match key, every
    conversion seen on the sample rows, and the columns that will not be used."""

    sniffed: Sniffed
    fields: tuple[str | None, ...]
    saved_mapping_used: bool
    match: MatchKey
    conversions: tuple[Conversion, ...] = ()
    unused: tuple[UnusedColumn, ...] = ()
    date_order: str = "mdy"

    def to_json(self) -> dict[str, Any]:
        return {
            "match_key": self.match.to_json(),
            "date_order": self.date_order,
            "sample_rows": len(self.sniffed.rows),
            "conversions": [c.to_json() for c in self.conversions],
            "unused_columns": [u.to_json() for u in self.unused],
        }


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run or a refused all-or-nothing run, would do)."""

    created: int
    updated: int
    unchanged: int
    skipped: int
    rows: int
    errors: tuple[ImportIssue, ...]
    duplicates: tuple[ImportIssue, ...]
    mapping: dict[str, str]
    ignored: tuple[str, ...]
    format: FileFormat
    dry_run: bool
    applied: bool
    preview: ImportPreview | None = None
    custom: CustomImport = CustomImport(0, ())
    #: The customers created or changed (empty for a dry run or a refused file).
    customer_ids: tuple[int, ...] = ()

    @property
    def changed(self) -> int:
        return self.created + self.updated

    @property
    def notices(self) -> tuple[ImportIssue, ...]:
        """The duplicate rows (the name older callers use)."""
        return self.duplicates

    def to_json(self) -> dict[str, Any]:
        out = {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "duplicates": [n.to_json() for n in self.duplicates],
            "skipped": self.skipped,
            "errors": [e.to_json() for e in self.errors],
            "mapping": self.mapping,
            "ignored": list(self.ignored),
            "encoding": self.format.encoding,
            "delimiter": self.format.delimiter,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "custom_values": self.custom.values,
            "custom_fields_created": list(self.custom.created),
        }
        if self.preview is not None:
            out["preview"] = self.preview.to_json()
        return out
