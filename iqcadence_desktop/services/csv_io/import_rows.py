"""Turning CSV rows into checked customer fields, with every problem reported.

Each cell goes through csv_values (spreadsheet spellings) and then the foundation's
field rules (services/fields.py). Parsed values are cached per column, because real
files repeat the same tiers, stages, dates and counts thousands of times.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress, repeat
from operator import mul
from typing import Any, NamedTuple

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.csv_io import values as V
from iqcadence_desktop.services.customers import (
    CUSTOMER_FIELD_COLUMNS,
    display_id,
    merge_derived,
    parse_value,
)


@dataclass(frozen=True)
class ImportIssue:
    """One problem (or notice) at a row (file line), column and value. A duplicate row
    also names the first row of the same customer (`first_row`)."""

    row: int
    column: str
    value: str
    message: str
    first_row: int | None = None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }
        if self.first_row is not None:
            out["rows"] = [self.first_row, self.row]
        return out


CACHE_LIMIT = 50_000
#: API field name -> the customers column it writes.
FIELD_COLUMN: dict[str, str] = {**CUSTOMER_FIELD_COLUMNS, "profile": "scoring_profile_id"}
_MISS = object()
_MISSING_TEXT = ("#n/a", "null")  # what csv_values.is_missing drops for names and notes


def _fast_name(raw: str) -> Any:
    """The common name (no formula guard, not missing, short) without the generic rules."""
    name = " ".join(raw.split())
    if (
        not name
        or len(name) > 200
        or raw[0] == "'"
        or not raw.isprintable()  # control characters: the generic rules refuse them
        or name.casefold() in _MISSING_TEXT
    ):
        return _MISS  # the generic path gives the exact message or restores the text
    return name


def _fast_note(raw: str) -> Any:
    text = raw.strip()
    if not text or raw[0] == "'" or not text.isprintable() or text.casefold() in _MISSING_TEXT:
        return _MISS
    return text


def _fast_money(raw: str) -> Any:
    """Plain whole dollars ("5000") are most money cells: cents without Decimal."""
    if raw.isdigit() and raw.isascii() and len(raw) <= 9:  # far below MAX_MONEY_CENTS
        return int(raw) * 100
    return _MISS


def _money_column(raw: Sequence[str]) -> list[Any] | None:
    """Every cell plain whole dollars (the common export): cents at C speed, else None."""
    joined = "".join(raw)
    if all(raw) and joined.isdigit() and joined.isascii() and max(map(len, raw)) <= 9:
        return list(map(mul, map(int, raw), repeat(100)))
    return None


#: Columns whose values are nearly always unique: caching them would only cost memory,
#: so each has a specialised converter for the common spelling (anything else, or an
#: error, falls back to the generic rules, which give the same value or message).
_FAST: dict[str, Callable[[str], Any]] = {
    "name": _fast_name,
    "note": _fast_note,
    "mrr": _fast_money,
    "arr": _fast_money,
}
_UNCACHED = frozenset(_FAST)
#: Whole-column shortcuts tried before the per-cell ones.
_FAST_COLUMN: dict[str, Callable[[Sequence[str]], list[Any] | None]] = {
    "mrr": _money_column,
    "arr": _money_column,
}


class _Bad:
    __slots__ = ("message",)

    def __init__(self, message: str) -> None:
        self.message = message


def is_bad(value: Any) -> bool:
    """Whether a converted value is a refusal (it then has a `message`)."""
    return type(value) is _Bad


def parse_id(text: str) -> int:
    """'CUS-000042' → 42. Only our own shape: a bare 42 is another system's id."""
    found = V.OWN_ID.match(text.strip())
    if found is None:
        raise ValidationError(
            "id",
            f"Customer id: {text!r} is not an id like {display_id(42)}; "
            "another system's id belongs in External id (map the column there), "
            "and a new customer leaves it blank.",
        )
    return int(found.group(1))


#: The customers columns an import can write, in the order of ParsedRow.edit.
EDIT_COLUMNS: tuple[str, ...] = (
    "name",
    "manager",
    "mrr_cents",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "last_contact_date",
    "renewal_date",
    "growth_signal",
    "tier",
    "lifecycle",
    "customer_since",
    "next_touch",
    "scoring_profile_id",
    "note",
    "sentiment",
    "score_override",
    "external_id",
)
EXTERNAL_POS = EDIT_COLUMNS.index("external_id")


class ParsedRow(NamedTuple):
    """A row that passed every check. `edit` holds every EDIT_COLUMNS value (None where
    the file has no such column; see RowParser.written for which ones it has); `key` is
    the folded name, `ext` the external id and `id` our own id, when given."""

    line: int
    key: str
    edit: tuple[Any, ...]
    tags: list[str] | None
    id: int | None
    ext: str | None


_SIDE_FIELDS = ("tags", "id")  # kept beside the column values, not among them


class RowParser:
    """Parses the rows of one file a chunk at a time: columns are (index, header, field).

    Work goes column by column (one conversion per distinct value, C-level lookups for
    the rest), which is several times faster than walking cells row by row.
    """

    def __init__(
        self,
        columns: Sequence[tuple[int, str, str]],
        width: int,
        today: dt.date,
        day_first: bool,
        profiles: dict[str, int],
    ) -> None:
        self.columns = list(columns)
        self.width = width
        self.today = today
        self.day_first = day_first
        self.profiles = profiles
        self._caches: dict[str, dict[str, Any]] = {
            f: {} for _, _, f in columns if f not in _UNCACHED
        }
        self._bad: dict[str, set[str]] = {f: set() for _, _, f in columns}
        fields = {f for _, _, f in columns}
        derived = {"days": "last_contact", "arr": "mrr"}
        fields |= {derived[f] for f in fields if f in derived}
        #: The EDIT_COLUMNS the file gives values for (ParsedRow.edit has None elsewhere).
        self.written = frozenset(FIELD_COLUMN[f] for f in fields if f in FIELD_COLUMN)

    def parse_chunk(
        self, lines: Sequence[int], rows: Sequence[Sequence[str]], issues: list[ImportIssue]
    ) -> list[ParsedRow]:
        """The rows (at these file lines) that pass, in file order; each problem is added
        to `issues`, ordered by line and then column."""
        shape: list[ImportIssue] = []
        width = self.width
        if any(len(r) != width for r in rows):
            kept = [
                i
                for i, r in enumerate(rows)
                if len(r) == width or self._shape_ok(r, lines[i], shape)
            ]
            lines, rows = [lines[i] for i in kept], [rows[i] for i in kept]
        if not rows:
            issues.extend(shape)
            return []
        # Rows may carry empty cells past `width` (checked above): zip stops at the shortest.
        cells = list(zip(*rows, strict=False))
        values, found = self._values(cells, lines)
        self._derive(values, cells, lines, {i for i, _ in found}, found)
        # `found` runs column by column; a stable sort by line keeps each row's columns in order.
        issues.extend(sorted([*shape, *(issue for _, issue in found)], key=_line))
        return self._rows(values, lines, {i for i, _ in found})

    def _values(
        self, cells: Sequence[Sequence[str]], lines: Sequence[int]
    ) -> tuple[dict[str, list[Any]], list[tuple[int, ImportIssue]]]:
        """Each mapped column's values, and the (row, problem) pairs of its bad cells."""
        values: dict[str, list[Any]] = {}
        found: list[tuple[int, ImportIssue]] = []
        for index, header, field in self.columns:
            raw = cells[index]
            values[field], bad = self._column(field, raw)
            found.extend(
                (i, ImportIssue(lines[i], header, raw[i], values[field][i].message)) for i in bad
            )
        return values, found

    def _shape_ok(self, cells: Sequence[str], line: int, issues: list[ImportIssue]) -> bool:
        extra = [c for c in cells[self.width :] if c.strip()]
        if extra or len(cells) < self.width:
            issues.append(
                ImportIssue(
                    line,
                    "",
                    ", ".join(cells)[:120],
                    f"This row has {len(cells)} values but the header has {self.width} columns, "
                    "so its values cannot be matched to columns safely. Check for a missing or "
                    "extra delimiter (or an unquoted delimiter inside a value).",
                )
            )
            return False
        return True

    def _column(self, field: str, raw: Sequence[str]) -> tuple[list[Any], list[int]]:
        """The column's values and the positions of bad ones (values are then `_Bad`)."""
        cache = self._caches.get(field)
        if cache is None:
            whole = _FAST_COLUMN[field](raw) if field in _FAST_COLUMN else None
            if whole is not None:
                return whole, []
            col = list(map(_FAST[field], raw))
            bad = []
            if _MISS in col:  # an unusual spelling: the generic rules decide
                for i, value in enumerate(col):
                    if value is _MISS:
                        col[i] = self._value(field, raw[i])
                        if type(col[i]) is _Bad:
                            bad.append(i)
            return col, bad
        unknown = set(raw).difference(cache)
        if unknown:
            if len(cache) + len(unknown) > CACHE_LIMIT:
                cache.clear()  # bounded memory; values are recomputed when seen again
            for text in unknown:
                cache[text] = self._value(field, text)
        col = list(map(cache.__getitem__, raw))
        known_bad = self._bad[field]
        if not known_bad or known_bad.isdisjoint(raw):
            return col, []
        return col, [i for i, value in enumerate(col) if type(value) is _Bad]

    def convert_one(self, field: str, raw: str) -> Any:
        """One cell as the import would store it, or a bad value (see `is_bad`)."""
        return self._value(field, raw)

    def _value(self, field: str, raw: str) -> Any:
        try:
            return self._convert(field, raw)
        except ValidationError as exc:
            self._bad[field].add(raw)
            return _Bad(exc.message)

    def _convert(self, field: str, raw: str) -> Any:
        text = V.clean(field, raw, self.day_first)
        if field == "id":
            return None if text is None else parse_id(text)
        if field == "tags":
            return [] if text is None else parse_value("tags", text.split("|"))
        if field == "profile":
            return None if text is None else self._profile(text)
        return parse_value(field, "" if text is None else text)

    def _profile(self, text: str) -> int:
        found = self.profiles.get(text.strip().casefold())
        if found is None:
            names = ", ".join(sorted(self.profiles)) or "none yet"
            raise ValidationError(
                "profile", f'There is no scoring profile named "{text}". Profiles: {names}.'
            )
        return found

    def _derive(
        self,
        values: dict[str, list[Any]],
        cells: Sequence[Sequence[str]],
        lines: Sequence[int],
        failed: set[int],
        found: list[tuple[int, ImportIssue]],
    ) -> None:
        """Days since contact → last contact date; ARR → MRR (and their agreement)."""
        n = len(lines)
        pairs = (("days", "last_contact", self._days_fine), ("arr", "mrr", self._arr_fine))
        for source, target, fine in pairs:
            if source not in values:
                continue
            given = values.pop(source)
            kept = values.setdefault(target, [None] * n)
            for i, (a, b) in enumerate(zip(given, kept, strict=True)):
                if i in failed:
                    continue
                result = fine(a, b)
                if result is not _MISS:
                    kept[i] = result
                    continue
                row = {source: a, target: b}
                try:
                    merge_derived(row, self.today)
                    kept[i] = row[target]
                except ValidationError as exc:
                    header, raw = self._cell(exc.field, cells, i)
                    found.append((i, ImportIssue(lines[i], header, raw, exc.message)))

    def _days_fine(self, days: Any, contact: Any) -> Any:
        """The contact date when no check is needed, else _MISS (the generic rule decides)."""
        if contact is None:
            return None if days is None else _days_ago(self.today, days)
        return contact if days is None else _MISS

    @staticmethod
    def _arr_fine(arr: Any, mrr: Any) -> Any:
        if arr is None:
            return mrr
        if mrr is not None and abs(mrr * 12 - arr) <= 6:
            return mrr
        return _MISS

    def _cell(self, field: str, cells: Sequence[Sequence[str]], row: int) -> tuple[str, str]:
        for index, header, f in self.columns:
            if f == field:
                return header, cells[index][row]
        return field, ""

    def _rows(
        self, values: dict[str, list[Any]], lines: Sequence[int], skip: set[int]
    ) -> list[ParsedRow]:
        n = len(lines)
        tags, ids = (values.pop(f) if f in values else [None] * n for f in _SIDE_FIELDS)
        by_column = {FIELD_COLUMN[f]: v for f, v in values.items()}
        edits: Iterable[tuple[Any, ...]] = zip(
            *(by_column[c] if c in by_column else repeat(None) for c in EDIT_COLUMNS), strict=False
        )  # the `repeat` fillers are endless on purpose
        names: Iterable[Any] = by_column["name"]
        exts: Iterable[Any] = by_column.get("external_id", repeat(None))
        if skip:  # rare: drop the refused rows' values first
            keep = [i not in skip for i in range(n)]
            names = list(compress(names, keep))
            lines, tags, ids = (list(compress(v, keep)) for v in (lines, tags, ids))
            edits = compress(edits, keep)
            exts = compress(exts, keep)
        # Names arrive whitespace-folded (parse_name), so casefold alone gives name_key.
        keys = map(str.casefold, names)
        return list(map(ParsedRow, lines, keys, edits, tags, ids, exts))


def _line(issue: ImportIssue) -> int:
    return issue.row


@lru_cache(maxsize=8192)
def _days_ago(today: dt.date, days: int) -> dt.date:
    return today - dt.timedelta(days=days)
