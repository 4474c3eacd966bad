"""CSV import (S7): preview a file, then import it in one transaction.

The file is streamed in chunks; each chunk is parsed, compared and written set-based
inside one session, so memory stays bounded however large the file is, and any failure
(a cancel, the file changing on disk, all-or-nothing with a bad row, a database error)
rolls the whole import back. An import that changes nothing writes nothing: no
timestamps, no snapshots, no audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, ScoringProfile
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.csv_io import mapping as M
from iqcadence_desktop.services.csv_io.bulk_sql import roomy_page_cache
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue, ParsedRow, RowParser
from iqcadence_desktop.services.csv_io.import_write import ChunkWriter, Tally
from iqcadence_desktop.services.csv_io.read import (
    FileFormat,
    ImportFileError,
    RowReader,
    Sniffed,
    file_state,
    open_rows,
    sniff,
)
from iqcadence_desktop.services.csv_io.saved_mappings import MappingService
from iqcadence_desktop.services.scoring import (
    Cancelled,
    ConfigService,
    rebuild_portfolio_day,
    rescore_all,
)
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    SettingsService,
)
from iqcadence_desktop.services.team import Scope

CHUNK_ROWS = 2000
CHUNK_BYTES = 4 << 20  # at most about this much of the file per chunk
DATE_ORDER_KEY = "import.date_order"
MAX_REPORTED = 10_000

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(frozen=True)
class ImportOptions:
    """How to read and apply a file. `mapping` overrides {column: field or None=ignore}."""

    mapping: Mapping[str, str | None] = field(default_factory=dict)
    encoding: str | None = None
    delimiter: str | None = None
    date_order: str | None = None  # "dmy" or "mdy"; None = the setting (default mdy)
    dry_run: bool = False
    all_or_nothing: bool = False


@dataclass(frozen=True)
class ImportPreview:
    """What the wizard shows before importing."""

    sniffed: Sniffed
    fields: tuple[str | None, ...]
    saved_mapping_used: bool


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, for a dry run or a refused all-or-nothing run, would do)."""

    created: int
    updated: int
    unchanged: int
    skipped: int
    rows: int
    errors: tuple[ImportIssue, ...]
    notices: tuple[ImportIssue, ...]
    mapping: dict[str, str]
    ignored: tuple[str, ...]
    format: FileFormat
    dry_run: bool
    applied: bool

    @property
    def changed(self) -> int:
        return self.created + self.updated

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rows": self.rows,
            "errors": [e.to_json() for e in self.errors],
            "duplicates": [n.to_json() for n in self.notices],
            "mapping": self.mapping,
            "ignored": list(self.ignored),
            "encoding": self.format.encoding,
            "delimiter": self.format.delimiter,
            "dry_run": self.dry_run,
            "applied": self.applied,
        }


class _Rollback(Exception):
    """Raised inside the unit of work to undo it (dry run, all-or-nothing)."""


@dataclass
class _Run:
    """The state of one import while it runs."""

    writer: ChunkWriter
    parser: RowParser
    errors: list[ImportIssue] = field(default_factory=list)
    notices: list[ImportIssue] = field(default_factory=list)
    seen: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    superseded: int = 0


class ImportService:
    """Previews and imports customer CSV files."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: ConfigService,
        audit: AuditLog,
        events: EventBus,
        settings: SettingsService,
        mappings: MappingService,
        scope: Scope,
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._config = config
        self._audit = audit
        self._events = events
        self._settings = settings
        self._mappings = mappings

    def preview(self, path: Path, options: ImportOptions = ImportOptions()) -> ImportPreview:
        """Sniff the file and propose a mapping (a saved one for this header if any)."""
        sniffed = sniff(Path(path), options.encoding, options.delimiter)
        if not sniffed.headers:
            raise ImportFileError(f"{sniffed.path.name} has no header row.")
        saved = self._mappings.find(sniffed.headers)
        fields = M.resolve(sniffed.headers, saved, options.mapping)
        return ImportPreview(sniffed, tuple(fields), saved is not None)

    def date_order(self) -> str:
        return str(self._settings.get(DATE_ORDER_KEY, "mdy"))

    def run(
        self,
        path: Path,
        options: ImportOptions = ImportOptions(),
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
    ) -> ImportResult:
        """Import (or dry-run) a file in one transaction; see the module docstring."""
        preview = self.preview(path, options)
        sniffed = preview.sniffed
        if not sniffed.rows:
            raise ImportFileError(
                f"{sniffed.path.name} holds only a header row and no "
                "customers; nothing was imported."
            )
        before = file_state(sniffed.path)
        mapped, ignored = M.as_dict(sniffed.headers, preview.fields)
        holder: list[ImportResult] = []
        try:
            with self._db.session() as s:
                run = self._start(s, sniffed, preview.fields, options)
                with roomy_page_cache(s):
                    self._stream(run, sniffed, progress, cancelled)
                if file_state(sniffed.path) != before:
                    raise ImportFileError(
                        f"{sniffed.path.name} changed on disk while it was being imported, "
                        "so nothing was imported. Wait until the file is saved, then import "
                        "it again."
                    )
                refused = options.all_or_nothing and bool(run.errors)
                holder.append(
                    self._result(
                        run,
                        sniffed.format,
                        mapped,
                        ignored,
                        options,
                        applied=not (options.dry_run or refused),
                    )
                )
                if options.dry_run or refused:
                    raise _Rollback
                self._finish(s, run, holder[0], sniffed, options)
        except _Rollback:
            pass
        if holder[0].applied and holder[0].changed:
            self._events.publish(DomainEvent(CUSTOMERS_CHANGED, ()))
        return holder[0]

    def _start(
        self, s: Session, sniffed: Sniffed, fields: Sequence[str | None], options: ImportOptions
    ) -> _Run:
        columns = [
            (i, h, f)
            for i, (h, f) in enumerate(zip(sniffed.headers, fields, strict=True))
            if f is not None
        ]
        profiles = {
            n.casefold(): i for i, n in s.execute(select(ScoringProfile.id, ScoringProfile.name))
        }
        day_first = (options.date_order or self.date_order()) == "dmy"
        today = self._clock.today()
        parser = RowParser(columns, len(sniffed.headers), today, day_first, profiles)
        writer = ChunkWriter(
            s,
            parser.written,
            {f for _, _, f in columns},
            self._clock.now(),
            today,
            self._config.current(),
            self._config.weights_for,
            self._scope.client_for_new(s),
        )
        return _Run(writer, parser)

    def _stream(
        self, run: _Run, sniffed: Sniffed, progress: ProgressFn | None, cancelled: CancelFn | None
    ) -> None:
        with open_rows(sniffed.path, sniffed.format) as reader:
            for chunk in _chunks(reader, run, CHUNK_ROWS):
                if cancelled is not None and cancelled():
                    raise Cancelled("Import cancelled; nothing was imported.")
                run.writer.write(chunk, run.errors)
                if progress is not None:
                    progress(min(reader.position(), sniffed.size), sniffed.size)

    def _result(
        self,
        run: _Run,
        fmt: FileFormat,
        mapped: dict[str, str],
        ignored: list[str],
        options: ImportOptions,
        applied: bool,
    ) -> ImportResult:
        t: Tally = run.writer.tally
        skipped = run.rows - t.created - t.updated - t.unchanged - run.superseded
        return ImportResult(
            t.created,
            t.updated,
            t.unchanged,
            skipped,
            run.rows,
            tuple(run.errors[:MAX_REPORTED]),
            tuple(run.notices[:MAX_REPORTED]),
            mapped,
            tuple(ignored),
            fmt,
            options.dry_run,
            applied,
        )

    def _finish(
        self, s: Session, run: _Run, result: ImportResult, sniffed: Sniffed, options: ImportOptions
    ) -> None:
        if options.mapping and M.differs_from_recognised(sniffed.headers, result.mapping):
            self._mappings.remember(s, sniffed.headers, result.mapping, result.ignored)
        if not result.changed:
            return
        today = self._clock.today()
        stale = s.scalar(
            select(func.count())
            .select_from(Customer)
            .where(
                Customer.deleted_at.is_(None),
                Customer.scored_day.is_(None) | (Customer.scored_day < today.toordinal()),
                self._scope.customer_clause(),
            )
        )
        if stale:  # keep history and rollups complete for everyone, as the daily refresh does
            rescore_all(
                s, self._config.current(), self._config.weights_for, today, scope=self._scope
            )
        else:
            rebuild_portfolio_day(s, today.toordinal())
        self._audit.record(
            s,
            "customers_imported",
            f"Imported {sniffed.path.name}: {result.created} created, {result.updated} "
            f"updated, {result.unchanged} unchanged, {result.skipped} skipped",
            details={
                "file": sniffed.path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped": result.skipped,
                "errors": len(run.errors),
                "mapping": dict(result.mapping),
            },
        )


def _chunks(reader: RowReader, run: _Run, size: int) -> Iterator[list[ParsedRow]]:
    """Parsed rows in chunks; within a chunk a later row with the same name replaces an
    earlier one (reported), across chunks the later write simply wins."""
    iterator = iter(reader)
    next(iterator, None)  # the header row
    counter = reader.csv
    lines: list[int] = []
    rows: list[list[str]] = []
    end, start = counter.line_num, reader.position()
    for cells in iterator:  # hot loop: kept flat on purpose
        line, end = end + 1, counter.line_num  # a value may span lines: report the first
        if not "".join(cells).strip():
            continue
        lines.append(line)
        rows.append(cells)
        # Rows with long notes end a chunk early, so memory stays bounded by bytes too.
        if len(rows) >= size or (not len(rows) % 64 and reader.position() - start > CHUNK_BYTES):
            yield _parsed(run, lines, rows)
            lines, rows, start = [], [], reader.position()
    if rows:
        yield _parsed(run, lines, rows)


def _parsed(run: _Run, lines: list[int], rows: list[list[str]]) -> list[ParsedRow]:
    run.rows += len(rows)
    return _unique(run, run.parser.parse_chunk(lines, rows, run.errors))


def _unique(run: _Run, parsed: list[ParsedRow]) -> list[ParsedRow]:
    """One row per customer name, the later one winning; repeats are reported."""
    chunk: dict[str, ParsedRow] = {}
    seen = run.seen
    for row in parsed:
        if row.key in seen:
            run.notices.append(
                ImportIssue(
                    row.line,
                    "name",
                    row.edit[0],
                    f"Same customer as row {seen[row.key]}; this later row wins.",
                )
            )
            if chunk.pop(row.key, None) is not None:
                run.superseded += 1
        seen[row.key] = row.line
        chunk[row.key] = row
    return list(chunk.values())
