"""Any CSV file as plain columns of text (for analysis such as `churn-model evaluate`).

The same reader as an import: encoding and delimiter are detected, spreadsheet blanks
("", NA, #N/A, null, -) become None and a formula guard added by our export is undone.
Rows whose width does not match the header are reported, not guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from iqcadence_desktop.services.csv_io import values as V
from iqcadence_desktop.services.csv_io.read import ImportFileError, open_rows, sniff


@dataclass(frozen=True)
class RawTable:
    """Headers, and each column's cells (None where blank)."""

    headers: tuple[str, ...]
    columns: tuple[tuple[str | None, ...], ...]
    encoding: str
    delimiter: str

    @property
    def rows(self) -> int:
        return len(self.columns[0]) if self.columns else 0


def read_table(path: Path) -> RawTable:
    """Every row of a CSV file, column by column."""
    sniffed = sniff(Path(path))
    headers = sniffed.headers
    if not headers:
        raise ImportFileError(f"{Path(path).name} has no header row.")
    rows: list[list[str | None]] = []
    with open_rows(sniffed.path, sniffed.format) as reader:
        iterator = iter(reader)
        next(iterator, None)
        for number, cells in enumerate(iterator, start=2):
            if not "".join(cells).strip():
                continue
            extra = [c for c in cells[len(headers) :] if c.strip()]
            if extra or len(cells) < len(headers):
                raise ImportFileError(
                    f"Row {number} has {len(cells)} values but the header has {len(headers)} "
                    "columns; fix the file (a missing or extra delimiter?) and try again."
                )
            rows.append(
                [
                    None if V.is_missing(c, "custom") else V.restore(c.strip())
                    for c in cells[: len(headers)]
                ]
            )
    if not rows:
        raise ImportFileError(f"{Path(path).name} holds a header row but no data rows.")
    columns = tuple(tuple(column) for column in zip(*rows, strict=True))
    return RawTable(headers, columns, sniffed.format.encoding, sniffed.format.delimiter)
