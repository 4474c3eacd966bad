"""Typing the columns of any table for the churn model: numbers, categories, identifiers.

Cells arrive as text (None when blank; the CSV reader decides what blank means). A column
is a number when nearly every present cell reads as one ("$1,200", "75 %" and "4,5"
included); otherwise it is a category. A column whose values are all different and that
holds text or whole numbers is an identifier and is dropped, as is a column with one
value only. The label column says which rows churned.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.model.binning import FloatArray, IntArray

#: Share of present cells that must read as numbers for a column to be numeric.
NUMERIC_SHARE = 0.97
POSITIVE_WORDS = frozenset(
    {"1", "yes", "y", "true", "t", "churn", "churned", "exited", "lost", "left", "cancelled"}
)
_CURRENCY = re.compile(r"[$€£¥]")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_number(text: str) -> float | None:
    """A number in a spreadsheet spelling, or None when the text is not one."""
    body = _CURRENCY.sub("", text).strip().rstrip("%").strip().replace("\u00a0", "")
    if _THOUSANDS.match(body):
        body = body.replace(",", "")
    elif body.count(",") == 1 and "." not in body:
        body = body.replace(",", ".")
    try:
        value = float(body)
    except ValueError:
        return None
    return value if np.isfinite(value) else None


@dataclass(frozen=True)
class Feature:
    """One usable column: numbers (NaN = missing) or category texts (None = missing)."""

    name: str
    numbers: FloatArray | None = None
    texts: tuple[str | None, ...] | None = None

    @property
    def kind(self) -> str:
        return "number" if self.numbers is not None else "category"

    def take(self, rows: IntArray) -> Feature:
        if self.numbers is not None:
            return Feature(self.name, numbers=self.numbers[rows])
        assert self.texts is not None
        return Feature(self.name, texts=tuple(self.texts[i] for i in rows.tolist()))


@dataclass(frozen=True)
class Dropped:
    """A column left out, and why (in plain words)."""

    name: str
    reason: str


@dataclass(frozen=True)
class TypedTable:
    """The features of a table, its 0/1 label and the columns that were left out."""

    features: tuple[Feature, ...]
    label: FloatArray
    dropped: tuple[Dropped, ...]
    unlabelled_rows: int = 0


def type_column(name: str, cells: Sequence[str | None]) -> Feature | Dropped:
    present = [c for c in cells if c is not None]
    if not present:
        return Dropped(name, "every value is blank")
    distinct = set(present)
    if len(distinct) == 1:
        return Dropped(name, "the same value on every row")
    numbers = [parse_number(c) for c in present]
    parsed = [v for v in numbers if v is not None]
    numeric = len(parsed) >= NUMERIC_SHARE * len(present)
    unique = len(distinct) == len(cells)
    if unique and (not numeric or all(float(v).is_integer() for v in parsed)):
        return Dropped(name, "an identifier (a different value on every row)")
    if numeric:
        values = np.array(
            [np.nan if c is None else _as_float(c) for c in cells],
            dtype=float,
        )
        return Feature(name, numbers=values)
    return Feature(name, texts=tuple(None if c is None else c.strip() for c in cells))


def _as_float(text: str) -> float:
    value = parse_number(text)
    return float("nan") if value is None else value


def label_values(name: str, cells: Sequence[str | None], positive: str | None) -> FloatArray:
    """1.0 for churned rows, 0.0 for the others, NaN where the label is blank."""
    present = sorted({c.strip() for c in cells if c is not None})
    if positive is None:
        if len(present) != 2:
            shown = ", ".join(present[:6]) + (" …" if len(present) > 6 else "")
            raise UserFacingError(
                f'The label column "{name}" has {len(present)} different values ({shown}); '
                "it needs exactly two, or say which value means churned with --positive VALUE."
            )
        hits = [v for v in present if v.casefold() in POSITIVE_WORDS]
        if len(hits) != 1:
            raise UserFacingError(
                f'Cannot tell which value of "{name}" means churned ({present[0]} or '
                f"{present[1]}); say it with --positive VALUE."
            )
        positive = hits[0]
    wanted = positive.strip().casefold()
    if wanted not in {v.casefold() for v in present}:
        raise UserFacingError(
            f'No row has "{positive}" in the label column "{name}"; its values are '
            + ", ".join(present[:6])
            + "."
        )
    return np.array(
        [np.nan if c is None else float(c.strip().casefold() == wanted) for c in cells], dtype=float
    )


def type_table(
    headers: Sequence[str],
    columns: Sequence[Sequence[str | None]],
    label: str,
    positive: str | None = None,
    drop: Sequence[str] = (),
) -> TypedTable:
    """Type every column but the label (and the ones asked to be dropped)."""
    index = {h.strip().casefold(): i for i, h in enumerate(headers)}
    if label.strip().casefold() not in index:
        raise UserFacingError(
            f'The file has no column "{label}". Columns found: '
            + ", ".join(f'"{h}"' for h in headers)
            + "."
        )
    unknown = [d for d in drop if d.strip().casefold() not in index]
    if unknown:
        raise UserFacingError(f'The file has no column "{unknown[0]}" to drop.')
    y = label_values(label, columns[index[label.strip().casefold()]], positive)
    keep = ~np.isnan(y)
    rows = np.flatnonzero(keep)
    skip = {label.strip().casefold(), *(d.strip().casefold() for d in drop)}
    features: list[Feature] = []
    dropped: list[Dropped] = [Dropped(d, "dropped on request") for d in drop]
    for header, cells in zip(headers, columns, strict=True):
        if header.strip().casefold() in skip:
            continue
        kept_cells = [cells[i] for i in rows.tolist()] if not keep.all() else list(cells)
        typed = type_column(header, kept_cells)
        (features if isinstance(typed, Feature) else dropped).append(typed)  # type: ignore[arg-type]
    return TypedTable(tuple(features), y[keep], tuple(dropped), int((~keep).sum()))
