"""Which rows of one file name the same customer, before anything is read from the database.

A row is known by its external id, then our own id, then its folded name. The first row
that mentions any of these starts a customer of the file; a later row with one of its
keys is the same customer again (a duplicate: the later row wins). Two rows that share a
name but carry different external ids are two accounts that cannot both have the name,
so the later one is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from iqcadence_desktop.services.csv_io.import_rows import ImportIssue, ParsedRow

#: A name key is the folded name itself; ids are ("x", external id) and ("i", our id).
Key = str | tuple[str, object]
MATCH_WORDS = {"external_id": "external id", "id": "id", "name": "name"}


class Placed(NamedTuple):
    """Where a row landed: its customer of the file (the number of the first row that
    named it), the earlier row when it repeats one, or the reason it is refused."""

    identity: int
    first_row: int | None
    notice: ImportIssue | None
    error: ImportIssue | None


class FileIdentities:
    """Remembers, for one import, which keys each customer of the file has used.

    `columns` maps external_id / id / name to the header of the column holding it.
    """

    def __init__(self, columns: Mapping[str, str]) -> None:
        self._columns = dict(columns)
        self._keys: dict[Key, int] = {}
        self._ext: dict[int, str | None] = {}

    def place(self, row: ParsedRow) -> int | Placed:
        """The row's customer of the file: a plain int (the row's own line) for a customer
        seen for the first time, else where it landed (hot loop: kept flat on purpose)."""
        keys = self._keys
        if row.ext is None and row.id is None:  # the usual file: names only
            first = keys.get(row.key)
            if first is None:
                keys[row.key] = row.line
                return row.line
            return self._by_name(row, first)
        if row.ext is not None and ("x", row.ext) in keys:
            return self._repeat(row, keys[("x", row.ext)], "external_id")
        if row.id is not None and ("i", row.id) in keys:
            return self._repeat(row, keys[("i", row.id)], "id")
        if row.key in keys:
            return self._by_name(row, keys[row.key])
        self._register(row, row.line)
        return row.line

    def _by_name(self, row: ParsedRow, first: int) -> Placed:
        known = self._ext.get(first)
        if row.ext is not None and known is not None and known != row.ext:
            return Placed(first, None, None, self._clash(row, first, known))
        return self._repeat(row, first, "name")

    def _register(self, row: ParsedRow, identity: int) -> None:
        if row.ext is not None:
            self._keys[("x", row.ext)] = identity
            self._ext.setdefault(identity, row.ext)
        if row.id is not None:
            self._keys[("i", row.id)] = identity
        self._keys[row.key] = identity

    def _repeat(self, row: ParsedRow, first: int, how: str) -> Placed:
        self._register(row, first)
        value = {"external_id": row.ext, "id": row.id, "name": row.edit[0]}[how]
        shown = f"CUS-{value:06d}" if how == "id" and isinstance(value, int) else str(value)
        notice = ImportIssue(
            row.line,
            self._columns.get(how, how),
            shown,
            f"Same customer as row {first} (same {MATCH_WORDS[how]}); the last row for "
            "this customer wins.",
            first_row=first,
        )
        return Placed(first, first, notice, None)

    def _clash(self, row: ParsedRow, first: int, known: str) -> ImportIssue:
        return ImportIssue(
            row.line,
            self._columns.get("name", "name"),
            row.edit[0],
            f"Row {first} already uses this name for external id {known!r}, and this row "
            f"has external id {row.ext!r}: two accounts cannot share a name. Rename one of "
            "them, or correct the external id.",
        )
