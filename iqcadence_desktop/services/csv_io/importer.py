"""CSV import (S7): preview a file, then import it in one transaction.

The file is streamed in chunks; each chunk is parsed, compared and written set-based
inside one session, so memory stays bounded however large the file is, and any failure
(a cancel, the file changing on disk, all-or-nothing with a bad row, a database error)
rolls the whole import back. An import that changes nothing writes nothing: no
timestamps, no snapshots, no audit entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, ScoringProfile
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.csv_io import mapping as M
from iqcadence_desktop.services.csv_io.custom_columns import CustomImport, keep_custom_columns
from iqcadence_desktop.services.csv_io.identity import FileIdentities, Placed
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue, ParsedRow, RowParser
from iqcadence_desktop.services.csv_io.import_write import ChunkWriter
from iqcadence_desktop.services.csv_io.preview import build_preview
from iqcadence_desktop.services.csv_io.read import (
    ImportFileError,
    RowReader,
    Sniffed,
    file_state,
    open_rows,
    sniff,
)
from iqcadence_desktop.services.csv_io.results import ImportOptions, ImportPreview, ImportResult
from iqcadence_desktop.services.csv_io.saved_mappings import MappingService
from iqcadence_desktop.services.scoring import (
    Cancelled,
    ConfigService,
    apply_profile_rules,
    enabled_factors,
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
    gc_paused,
    roomy_page_cache,
)
from iqcadence_desktop.services.team import Scope

CHUNK_ROWS = 2000
CHUNK_BYTES = 4 << 20  # at most about this much of the file per chunk
DATE_ORDER_KEY = "import.date_order"
MAX_REPORTED = 10_000

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class _Rollback(Exception):
    """Raised inside the unit of work to undo it (dry run, all-or-nothing)."""


class _RepeatsAcrossChunks(Exception):
    """A customer of the file reappeared after its earlier rows were written."""


@dataclass
class _Run:
    """The state of one import while it runs."""

    writer: ChunkWriter
    parser: RowParser
    identities: FileIdentities
    errors: list[ImportIssue] = field(default_factory=list)
    duplicates: list[ImportIssue] = field(default_factory=list)
    rows: int = 0
    #: The customer of the file (see FileIdentities) of each row of the current chunk.
    chunk_identity: dict[int, int] = field(default_factory=dict)
    #: Each customer's last valid row, once known (a file whose customers repeat across
    #: chunks is read twice); during that first pass, the dict being filled.
    last: dict[int, int] | None = None
    counting: bool = False


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
        """Sniff the file, propose a mapping (a saved one for this header if any) and show
        what the import would do with the sample rows."""
        sniffed = sniff(Path(path), options.encoding, options.delimiter)
        if not sniffed.headers:
            raise ImportFileError(f"{sniffed.path.name} has no header row.")
        saved = self._mappings.find(sniffed.headers)
        fields = M.resolve(sniffed.headers, saved, options.mapping, sniffed.rows)
        with self._db.session() as s:
            parser = self._parser(s, sniffed, fields, options)
        chosen = {**(saved or {}), **options.mapping}
        order = self._order(options)
        return build_preview(sniffed, fields, saved is not None, chosen, parser, order)

    def _order(self, options: ImportOptions) -> str:
        return options.date_order or self.date_order()

    def _parser(
        self, s: Session, sniffed: Sniffed, fields: Sequence[str | None], options: ImportOptions
    ) -> RowParser:
        columns = [
            (i, h, f)
            for i, (h, f) in enumerate(zip(sniffed.headers, fields, strict=True))
            if f is not None
        ]
        profiles = {
            n.casefold(): i for i, n in s.execute(select(ScoringProfile.id, ScoringProfile.name))
        }
        day_first = self._order(options) == "dmy"
        return RowParser(columns, len(sniffed.headers), self._clock.today(), day_first, profiles)

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
            with self._db.session() as s, gc_paused():
                run = self._start(s, sniffed, preview.fields, options)
                with roomy_page_cache(s):
                    try:
                        self._stream(run, sniffed, progress, cancelled)
                    except _RepeatsAcrossChunks:
                        # A customer came back after its first rows were written: start
                        # again knowing each customer's last row, so it is written once.
                        s.rollback()
                        last = self._last_rows(s, sniffed, preview.fields, options, cancelled)
                        run = self._start(s, sniffed, preview.fields, options, last)
                        self._stream(run, sniffed, progress, cancelled)
                custom = self._keep_custom(s, run, preview, options)
                after = file_state(sniffed.path)
                if after == (-1, -1):
                    raise ImportFileError(
                        f"{sniffed.path.name} was deleted or moved while it was being "
                        "imported, so nothing was imported."
                    )
                if after != before:
                    raise ImportFileError(
                        f"{sniffed.path.name} changed on disk while it was being imported, "
                        "so nothing was imported. Wait until the file is saved, then import "
                        "it again."
                    )
                refused = options.all_or_nothing and bool(run.errors)
                result = self._result(run, preview, mapped, ignored, options, refused, custom)
                holder.append(result)
                if options.dry_run or refused:
                    raise _Rollback
                self._finish(s, run, result, sniffed, options)
        except _Rollback:
            pass
        if holder[0].applied and (holder[0].changed or holder[0].custom.values):
            self._events.publish(DomainEvent(CUSTOMERS_CHANGED, (), {"source": "import"}))
        return holder[0]

    def _keep_custom(
        self, s: Session, run: _Run, preview: ImportPreview, options: ImportOptions
    ) -> CustomImport:
        """Columns kept as custom fields, written in this import's unit of work."""
        ignored = {c for c, f in options.mapping.items() if f is None}
        day_first = (options.date_order or self.date_order()) == "dmy"
        return keep_custom_columns(
            s,
            preview.sniffed,
            preview.fields,
            options.keep,
            ignored,
            day_first,
            run.errors,
            self._clock.now(),
            self._audit,
        )

    def _last_rows(
        self,
        s: Session,
        sniffed: Sniffed,
        fields: Sequence[str | None],
        options: ImportOptions,
        cancelled: CancelFn | None,
    ) -> dict[int, int]:
        """A first pass that writes nothing: the last valid row of each customer of the file."""
        run = self._start(s, sniffed, fields, options, last={})
        run.counting = True
        with open_rows(sniffed.path, sniffed.format) as reader:
            for _chunk in _chunks(reader, run, CHUNK_ROWS):
                if cancelled is not None and cancelled():
                    raise Cancelled("Import cancelled; nothing was imported.")
        assert run.last is not None
        return run.last

    def _start(
        self,
        s: Session,
        sniffed: Sniffed,
        fields: Sequence[str | None],
        options: ImportOptions,
        last: dict[int, int] | None = None,
    ) -> _Run:
        parser = self._parser(s, sniffed, fields, options)
        writer = ChunkWriter(
            s,
            parser.written,
            {f for f in fields if f is not None},
            self._clock.now(),
            self._clock.today(),
            self._config.current(),
            self._config.weights_for,
            self._scope.client_for_new(s),
        )
        headers = {f: h for h, f in zip(sniffed.headers, fields, strict=True) if f is not None}
        return _Run(writer, parser, FileIdentities(headers), last=last)

    def _stream(
        self, run: _Run, sniffed: Sniffed, progress: ProgressFn | None, cancelled: CancelFn | None
    ) -> None:
        with open_rows(sniffed.path, sniffed.format) as reader:
            for chunk in _chunks(reader, run, CHUNK_ROWS):
                if cancelled is not None and cancelled():
                    raise Cancelled("Import cancelled; nothing was imported.")
                run.writer.write(chunk, run.chunk_identity, run.errors, run.duplicates)
                if progress is not None:
                    progress(min(reader.position(), sniffed.size), sniffed.size)

    def _result(
        self,
        run: _Run,
        preview: ImportPreview,
        mapped: dict[str, str],
        ignored: list[str],
        options: ImportOptions,
        refused: bool,
        custom: CustomImport,
    ) -> ImportResult:
        created, updated, unchanged = run.writer.tally.counts()
        duplicates = len(run.duplicates)
        # Every row is exactly one of these; skipped rows were refused with an error.
        skipped = run.rows - created - updated - unchanged - duplicates
        errors = sorted(run.errors, key=lambda e: e.row)  # stable: columns keep their order
        return ImportResult(
            created,
            updated,
            unchanged,
            skipped,
            run.rows,
            tuple(errors[:MAX_REPORTED]),
            tuple(sorted(run.duplicates, key=lambda d: d.row)),
            mapped,
            tuple(ignored),
            preview.sniffed.format,
            options.dry_run,
            not (options.dry_run or refused),
            preview,
            custom,
            tuple(run.writer.tally.written()) if not (options.dry_run or refused) else (),
        )

    def _finish(
        self, s: Session, run: _Run, result: ImportResult, sniffed: Sniffed, options: ImportOptions
    ) -> None:
        if options.mapping and M.differs_from_recognised(
            sniffed.headers, result.mapping, sniffed.rows
        ):
            self._mappings.remember(s, sniffed.headers, result.mapping, result.ignored)
        if not result.changed:
            return
        today = self._clock.today()
        self._follow_profile_rules(s, run, "profile" in result.mapping.values())
        stale = s.scalar(
            select(func.count())
            .select_from(Customer)
            .where(
                Customer.deleted_at.is_(None),
                Customer.scored_day.is_(None) | (Customer.scored_day < today.toordinal()),
                self._scope.customer_clause(),
            )
        )
        # Stale: keep history and rollups complete for everyone, as the daily refresh does.
        # Factors on: rows were written with the weighted average only; add the factors.
        if stale or enabled_factors(self._config.current().factors):
            rescore_all(
                s, self._config.current(), self._config.weights_for, today, scope=self._scope
            )
        else:
            rebuild_portfolio_day(s, today.toordinal())
        self._audit.record(
            s,
            "customers_imported",
            f"Imported {sniffed.path.name}: {result.created} created, {result.updated} "
            f"updated, {result.unchanged} unchanged, {len(result.duplicates)} duplicate rows, "
            f"{result.skipped} skipped",
            details={
                "file": sniffed.path.name,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "duplicates": len(result.duplicates),
                "skipped": result.skipped,
                "errors": len(run.errors),
                "mapping": dict(result.mapping),
            },
        )

    def _follow_profile_rules(self, s: Session, run: _Run, profiles_given: bool) -> None:
        """A profile named in the file is chosen by hand; the others follow the rules."""
        touched = run.writer.tally.written()
        if profiles_given:
            for start in range(0, len(touched), CHUNK_ROWS):
                s.execute(
                    update(Customer)
                    .where(Customer.id.in_(touched[start : start + CHUNK_ROWS]))
                    .values(scoring_profile_manual=Customer.scoring_profile_id.is_not(None))
                )
        moved = apply_profile_rules(s, touched)
        if moved:
            config, weights = self._config.current(), self._config.weights_for
            rescore_all(s, config, weights, self._clock.today(), ids=moved)


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
    """One row per customer of the file, the later one winning; repeats are reported.

    Single pass (the usual case): within a chunk the later row replaces the earlier one; a
    customer coming back in a later chunk raises _RepeatsAcrossChunks. Knowing `last`
    (second pass), only each customer's last row is kept. Filling `last` (first pass),
    nothing is kept.
    """
    chunk: dict[int, ParsedRow] = {}
    place, last = run.identities.place, run.last
    for row in parsed:
        placed = place(row)
        if type(placed) is int:
            identity = placed
        else:
            assert isinstance(placed, Placed)
            if placed.error is not None:
                run.errors.append(placed.error)
                continue
            identity = placed.identity
            if placed.notice is not None:
                run.duplicates.append(placed.notice)
                if last is None and identity not in chunk:
                    raise _RepeatsAcrossChunks
                chunk.pop(identity, None)
        if run.counting:
            assert last is not None
            last[identity] = row.line
        elif last is None or last.get(identity) == row.line:
            chunk[identity] = row
    run.chunk_identity = {row.line: identity for identity, row in chunk.items()}
    return list(chunk.values())
