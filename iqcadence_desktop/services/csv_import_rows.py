"""Turning CSV rows into checked customer fields, with every problem reported.

Each cell goes through csv_values (spreadsheet spellings) and then the foundation's
field rules (services/fields.py). Parsed values are cached per column, because real
files repeat the same tiers, stages, dates and counts thousands of times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services import csv_values as V
from iqcadence_desktop.services import fields as F
from iqcadence_desktop.services.dto import display_id


@dataclass(frozen=True)
class ImportIssue:
    """One problem (or notice) at a row (file line), column and value."""

    row: int
    column: str
    value: str
    message: str

    def to_json(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "value": self.value,
                "message": self.message}


CACHE_LIMIT = 50_000
_MISS = object()
_MISSING_TEXT = ("#n/a", "null")  # what csv_values.is_missing drops for names and notes


def _fast_name(raw: str) -> Any:
    """The common name (no formula guard, not missing, short) without the generic rules."""
    name = " ".join(raw.split())
    if not name or len(name) > 200 or raw[0] == "'" or name.casefold() in _MISSING_TEXT:
        return _MISS  # the generic path gives the exact message or restores the text
    return name


def _fast_note(raw: str) -> Any:
    text = raw.strip()
    if not text or raw[0] == "'" or text.casefold() in _MISSING_TEXT:
        return _MISS
    return text


def _fast_money(raw: str) -> Any:
    """Plain whole dollars ("5000") are most money cells: cents without Decimal."""
    if raw.isdigit() and raw.isascii() and len(raw) <= 9:  # far below MAX_MONEY_CENTS
        return int(raw) * 100
    return _MISS


#: Columns whose values are nearly always unique: caching them would only cost memory,
#: so each has a specialised converter for the common spelling (anything else, or an
#: error, falls back to the generic rules, which give the same value or message).
_FAST: dict[str, Callable[[str], Any]] = {
    "name": _fast_name, "note": _fast_note, "mrr": _fast_money, "arr": _fast_money}
_UNCACHED = frozenset(_FAST)


class _Bad:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def parse_id(text: str) -> int:
    """'CUS-000042' (or a bare 42) → 42."""
    body = text.strip().upper().removeprefix("CUS-").removeprefix("CUS")
    if not body.isdigit():
        raise ValidationError("id", f"Customer id: {text!r} is not an id like "
                              f"{display_id(42)}; leave it blank for a new customer.")
    return int(body)


class RowParser:
    """Parses rows of one file: columns are (index, header, field)."""

    def __init__(self, columns: Sequence[tuple[int, str, str]], width: int, today: dt.date,
                 day_first: bool, profiles: dict[str, int]) -> None:
        self.columns = list(columns)
        self.width = width
        self.today = today
        self.day_first = day_first
        self.profiles = profiles
        self._plan: list[tuple[int, str, str, dict[str, Any] | None]] = [
            (i, h, f, None if f in _UNCACHED else {}) for i, h, f in columns]

    def parse(self, cells: Sequence[str], line: int,
              issues: list[ImportIssue]) -> dict[str, Any] | None:
        """The row's fields (API names), or None when it has a problem (reported)."""
        if len(cells) != self.width and not self._shape_ok(cells, line, issues):
            return None
        out: dict[str, Any] = {}
        bad = False
        for index, header, field, cache in self._plan:  # hot loop: kept flat on purpose
            raw = cells[index]
            value = _FAST[field](raw) if cache is None else cache.get(raw, _MISS)
            if value is _MISS:
                value = self._fresh(field, raw, cache)
            if type(value) is _Bad:
                issues.append(ImportIssue(line, header, raw, value.message))
                bad = True
            else:
                out[field] = value
        return None if bad else self._merge(out, cells, line, issues)

    def _shape_ok(self, cells: Sequence[str], line: int, issues: list[ImportIssue]) -> bool:
        extra = [c for c in cells[self.width:] if c.strip()]
        if extra or len(cells) < self.width:
            issues.append(ImportIssue(
                line, "", ", ".join(cells)[:120],
                f"This row has {len(cells)} values but the header has {self.width} columns, "
                "so its values cannot be matched to columns safely. Check for a missing or "
                "extra delimiter (or an unquoted delimiter inside a value)."))
            return False
        return True

    def _fresh(self, field: str, raw: str, cache: dict[str, Any] | None) -> Any:
        try:
            value = self._convert(field, raw)
        except ValidationError as exc:
            value = _Bad(exc.message)
        if cache is not None and len(cache) < CACHE_LIMIT:
            cache[raw] = value
        return value

    def _convert(self, field: str, raw: str) -> Any:
        text = V.clean(field, raw, self.day_first)
        if field == "id":
            return None if text is None else parse_id(text)
        if field == "tags":
            return [] if text is None else F.parse_value("tags", text.split("|"))
        if field == "profile":
            return None if text is None else self._profile(text)
        return F.parse_value(field, "" if text is None else text)

    def _profile(self, text: str) -> int:
        found = self.profiles.get(text.strip().casefold())
        if found is None:
            names = ", ".join(sorted(self.profiles)) or "none yet"
            raise ValidationError("profile", f'There is no scoring profile named "{text}". '
                                  f"Profiles: {names}.")
        return found

    def _merge(self, out: dict[str, Any], cells: Sequence[str], line: int,
               issues: list[ImportIssue]) -> dict[str, Any] | None:
        if "days" in out or "arr" in out:
            try:
                F.merge_derived(out, self.today)
            except ValidationError as exc:
                header, raw = self._cell(exc.field, cells)
                issues.append(ImportIssue(line, header, raw, exc.message))
                return None
        return out

    def _cell(self, field: str, cells: Sequence[str]) -> tuple[str, str]:
        for index, header, f in self.columns:
            if f == field:
                return header, cells[index] if index < len(cells) else ""
        return field, ""
