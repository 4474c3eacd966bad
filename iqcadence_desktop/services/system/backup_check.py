"""Reading a JSON backup and checking ALL of it before a restore may touch anything.

Checked, in this order, and the first problem is reported with its table, row and field:
the format name and version; the schema revision (one this app knows); every table the
backup's schema had is present and no unknown one is; each table's columns; every row's
values by column type, length and nullability; the rules an edit must pass (injected by
the capability that owns the table: NPS 0–10, MRR not negative, a known lifecycle, …);
primary keys and unique columns (two customers whose names fold to the same text are one
customer twice); and every reference between tables.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Table,
    Text,
)

from iqcadence_desktop.errors import UserFacingError, ValidationError
from iqcadence_desktop.models import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_NAME, Base
from iqcadence_desktop.models.db import head_revision, known_revisions, tables_at

FORMAT = "iqcadence-backup"
VERSION = 1
NOTHING_CHANGED = " Nothing was changed."
#: Checks a row (a dict by column name) by the rules an edit follows; may normalise it in
#: place; raises ValidationError naming the column.
RowCheck = Callable[[dict[str, Any]], None]
#: How a unique column is named in messages when it is derived from another.
UNIQUE_LABELS = {("customers", "name_key"): "name"}


class BackupError(UserFacingError):
    """A backup file cannot be restored; nothing was changed."""


Rows = dict[Table, list[dict[str, Any]]]
#: Never in a backup and never replaced by a restore: team members and their password
#: hashes belong to the team database, not to a portfolio's data.
KEPT_TABLES = ("users",)


class BackupReader:
    """Loads a backup file and checks it completely (see the module docstring)."""

    def __init__(self, row_checks: Mapping[str, RowCheck] | None = None) -> None:
        self._checks = dict(row_checks or {})

    def read(self, path: Path, now: dt.datetime) -> Rows:
        """The checked rows by table; `now` dates the default client an older backup gets."""
        data = _load_json(path)
        schema = _check_header(path, data)
        expected = _expected_tables(schema)
        known = {t.name: t for t in Base.metadata.sorted_tables}
        present = data["tables"]
        for name in present:
            if name not in known and name not in KEPT_TABLES:
                raise BackupError(
                    f'{path.name} holds a table "{name}" this version does not know; it was '
                    "made by a newer version of iQcadence." + NOTHING_CHANGED
                )
        out: Rows = {}
        for table in Base.metadata.sorted_tables:
            if table.name in KEPT_TABLES:
                continue
            if table.name not in present:
                if table.name in expected:
                    raise BackupError(
                        f'{path.name} has no "{table.name}" table, so it is incomplete and '
                        "restoring it would lose data." + NOTHING_CHANGED
                    )
                continue
            where = _Where(path.name, table.name)
            out[table] = self._table(where, table, present[table.name], expected.get(table.name))
        _give_default_client(out, now)
        _check_references(path.name, out)
        return out

    def _table(
        self, where: _Where, table: Table, body: Any, columns_then: set[str] | None
    ) -> list[dict[str, Any]]:
        names = _check_columns(where, table, body, columns_then)
        check = self._checks.get(table.name)
        uniques = _unique_columns(table)
        seen: dict[tuple[str, ...], dict[tuple[Any, ...], int]] = {u: {} for u in uniques}
        rows = []
        for number, raw in enumerate(body["rows"], start=1):
            if not isinstance(raw, list) or len(raw) != len(names):
                raise where.fail(number, None, f"expected {len(names)} values")
            row = {
                n: _load(where, number, table.columns[n], v)
                for n, v in zip(names, raw, strict=True)
            }
            _fill_defaults(where, number, table, row)
            if check is not None:
                try:
                    check(row)
                except ValidationError as exc:
                    raise where.fail(number, exc.field, exc.message) from None
            _check_unique(where, number, row, seen)
            rows.append(row)
        return rows


class _Where:
    """Builds messages that name the file, table, row and field."""

    def __init__(self, file: str, table: str) -> None:
        self.file = file
        self.table = table

    def fail(self, row: int | None, field: str | None, problem: str) -> BackupError:
        place = f'{self.file}, table "{self.table}"'
        if row is not None:
            place += f", row {row}"
        if field:
            place += f', field "{field}"'
        return BackupError(f"{place}: {problem.rstrip('.')}.{NOTHING_CHANGED}")


def _load_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.{NOTHING_CHANGED}") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder; choose a backup file.{NOTHING_CHANGED}") from None
    except PermissionError:
        raise BackupError(f"{path} cannot be read (permission denied).{NOTHING_CHANGED}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise BackupError(
            f"{path.name} is not a readable iQcadence backup (not valid JSON: {exc})."
            + NOTHING_CHANGED
        ) from None


def _check_header(path: Path, data: Any) -> str:
    """The backup's schema revision, after checking format, version and tables section."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(
            f'{path.name} is not an iQcadence backup (its format is not "{FORMAT}").'
            + NOTHING_CHANGED
        )
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > VERSION:
        raise BackupError(
            f"{path.name} is a backup format version {version!r}; this app reads up to "
            f"version {VERSION}. Update the app to restore it."
        )
    if not isinstance(data.get("tables"), dict):
        raise BackupError(f"{path.name} has no tables section; the file is damaged.")
    schema = data.get("schema")
    if not isinstance(schema, str) or schema not in known_revisions():
        raise BackupError(
            f"{path.name} was made with database schema {schema!r}, which this version of "
            "iQcadence does not know (a newer version, or a damaged file). Update the app "
            "to restore it." + NOTHING_CHANGED
        )
    return schema


@functools.cache
def _expected_tables(schema: str) -> dict[str, set[str]]:
    """{table: columns} the backup's schema had (the head's own tables need no migrating)."""
    if schema == head_revision():
        return {t.name: {c.name for c in t.columns} for t in Base.metadata.sorted_tables}
    return tables_at(schema)


def _check_columns(
    where: _Where, table: Table, body: Any, columns_then: set[str] | None
) -> list[str]:
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("columns"), list)
        or not isinstance(body.get("rows"), list)
    ):
        raise where.fail(None, None, "expected columns and rows; the file is damaged")
    names: list[str] = body["columns"]
    unknown = [n for n in names if not isinstance(n, str) or n not in table.columns]
    if unknown:
        raise where.fail(None, None, f'unknown column "{unknown[0]}" (a newer app version?)')
    if len(set(names)) != len(names):
        raise where.fail(None, None, "a column is listed twice; the file is damaged")
    wanted = columns_then if columns_then is not None else {c.name for c in table.columns}
    missing = [c.name for c in table.columns if c.name in wanted and c.name not in names]
    if missing:
        raise where.fail(None, missing[0], "the column is missing; the file is incomplete")
    return names


def _fill_defaults(where: _Where, number: int, table: Table, row: dict[str, Any]) -> None:
    """Columns newer than the backup get their default; a required one without is refused."""
    for column in table.columns:
        if column.name in row:
            continue
        default = getattr(column.default, "arg", None)
        if default is not None and not callable(default):
            row[column.name] = default
        elif column.nullable:
            row[column.name] = None
        else:
            raise where.fail(number, column.name, "a value is required")


def _load(where: _Where, number: int, column: Column[Any], value: Any) -> Any:
    """A JSON value as the column's Python type, or a message saying why it is not one."""
    if value is None:
        if not column.nullable:
            raise where.fail(number, column.name, "may not be empty")
        return None
    kind = column.type
    try:
        loaded = _convert(kind, value)
    except (TypeError, ValueError):
        raise where.fail(
            number, column.name, f"{value!r} is not a valid {_kind_name(kind)}"
        ) from None
    length = getattr(kind, "length", None)
    if isinstance(loaded, str) and length is not None and len(loaded) > length:
        raise where.fail(number, column.name, f"longer than {length} characters")
    return loaded


def _convert(kind: Any, value: Any) -> Any:
    if isinstance(kind, DateTime):
        if not isinstance(value, str):
            raise TypeError
        return dt.datetime.fromisoformat(value)
    if isinstance(kind, Date):
        if not isinstance(value, str):
            raise TypeError
        return dt.date.fromisoformat(value)
    if isinstance(kind, JSON):
        return value
    if isinstance(kind, Boolean):
        if not isinstance(value, bool) and value not in (0, 1):
            raise TypeError
        return bool(value)
    if isinstance(kind, Integer) and (isinstance(value, bool) or not isinstance(value, int)):
        raise TypeError
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
            raise TypeError
        return float(value)
    if isinstance(kind, String | Text) and not isinstance(value, str):
        raise TypeError
    return value


def _kind_name(kind: Any) -> str:
    for cls, name in (
        (DateTime, "date and time (YYYY-MM-DDTHH:MM:SS)"),
        (Date, "date (YYYY-MM-DD)"),
        (Boolean, "true/false value"),
        (Integer, "whole number"),
        (Float, "number"),
        (String, "text"),
        (Text, "text"),
    ):
        if isinstance(kind, cls):
            return name
    return str(kind)


def _unique_columns(table: Table) -> list[tuple[str, ...]]:
    """The primary key and every unique constraint or unique column of a table."""
    found: list[tuple[str, ...]] = [tuple(c.name for c in table.primary_key.columns)]
    for constraint in table.constraints:
        cols = tuple(c.name for c in getattr(constraint, "columns", ()))
        if cols and constraint.__class__.__name__ == "UniqueConstraint" and cols not in found:
            found.append(cols)
    found += [(c.name,) for c in table.columns if c.unique and (c.name,) not in found]
    return [u for u in found if u]


def _check_unique(
    where: _Where,
    number: int,
    row: dict[str, Any],
    seen: dict[tuple[str, ...], dict[tuple[Any, ...], int]],
) -> None:
    for columns, values in seen.items():
        key = tuple(row[c] for c in columns)
        if any(v is None for v in key):
            continue
        if key in values:
            # Per client in team mode: name the column people know (the name, not the client).
            named = [c for c in columns if c != "client_id"] or list(columns)
            field = UNIQUE_LABELS.get((where.table, named[0]), named[0])
            shown = row.get(field, row[named[0]]) if len(named) == 1 else key
            raise where.fail(
                number,
                field,
                f"{shown!r} repeats row {values[key]}; it must be unique",
            )
        values[key] = number


def _give_default_client(rows: Rows, now: dt.datetime) -> None:
    """A backup from before clients existed puts its customers in the default client."""
    clients = Base.metadata.tables["clients"]
    if not rows.get(clients):
        rows[clients] = [
            {
                "id": DEFAULT_CLIENT_ID,
                "name": DEFAULT_CLIENT_NAME,
                "name_key": "default",
                "created_at": now,
            }
        ]


def _check_references(file: str, rows: Rows) -> None:
    """Every non-empty foreign key points at a row the backup holds (team members are
    not in a backup: the restore keeps the database's own)."""
    index: dict[tuple[str, str], set[Any]] = {}
    for table, table_rows in rows.items():
        for fk in table.foreign_keys:
            if fk.column.table.name in KEPT_TABLES:
                continue
            target = fk.column
            key = (target.table.name, target.name)
            if key not in index:
                source = rows.get(target.table, [])
                index[key] = {r[target.name] for r in source}
            local = fk.parent.name
            for number, row in enumerate(table_rows, start=1):
                value = row.get(local)
                if value is not None and value not in index[key]:
                    raise _Where(file, table.name).fail(
                        number,
                        local,
                        f'{value!r} points at a row of "{target.table.name}" that the '
                        "backup does not hold",
                    )
