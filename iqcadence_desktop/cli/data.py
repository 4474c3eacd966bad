"""Data commands: import, export, backup, restore (S15)."""

from __future__ import annotations

import argparse
import codecs
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, add_client_option
from iqcadence_desktop.paths import data_dir

if TYPE_CHECKING:
    from iqcadence_desktop.services.csv_io import ImportPreview, ImportResult

#: The export formats (services.csv_io.FORMATS; tests/cli keeps the two in step).
EXPORT_FORMATS = ("enriched", "bulksheet")

DELIMITER_NAMES = {
    "comma": ",",
    "semicolon": ";",
    "tab": "\t",
    ",": ",",
    ";": ";",
    "\\t": "\t",
    "\t": "\t",
}
BINARY_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def _delimiter(text: str) -> str:
    try:
        return DELIMITER_NAMES[text.lower()]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a delimiter; use comma, semicolon or tab"
        ) from None


def _pair(text: str) -> tuple[str, str]:
    column, sep, field = text.rpartition("=")
    if not sep or not column or not field:
        raise argparse.ArgumentTypeError(f'{text!r} is not COLUMN=FIELD (e.g. "Account=name")')
    return column, field


def register(sub: Any) -> None:
    p = sub.add_parser("import", help="import customers from a CSV file")
    p.add_argument("file", type=Path)
    p.add_argument(
        "--map",
        type=_pair,
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read COLUMN as FIELD (repeatable)",
    )
    p.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="COLUMN",
        help="do not import COLUMN (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="check and report; write nothing")
    p.add_argument(
        "--all-or-nothing", action="store_true", help="import nothing if any row has a problem"
    )
    p.add_argument(
        "--date-order",
        choices=("dmy", "mdy"),
        help="how to read ambiguous dates like 03/04/2027 (default: the setting, mdy)",
    )
    p.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="COLUMN[=KIND]",
        help="keep an unmapped column as a custom field (KIND: number, text, yesno, date, "
        "choice; default: detected from the data); repeatable",
    )
    p.add_argument("--encoding", help="text encoding (default: detected; e.g. utf-8, cp1252)")
    p.add_argument(
        "--delimiter", type=_delimiter, help="comma, semicolon or tab (default: detected)"
    )
    p.set_defaults(func=cmd_import)

    add_client_option(p)

    p = sub.add_parser("export", help="export customers as enriched CSV or a bulksheet")
    p.add_argument("out", type=Path)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="enriched")
    p.add_argument("--status", help="band: critical, at_risk, watch, healthy, expansion, unscored")
    p.add_argument("--manager")
    p.add_argument("--tier")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("backup", help="back up everything to JSON (or .sqlite3: a binary copy)")
    p.add_argument("out", type=Path)
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="replace all data with a JSON backup")
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    p.set_defaults(func=cmd_restore)


def _encoding(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise argparse.ArgumentTypeError(f"{name!r} is not a known encoding") from None


def _kept(items: list[str]) -> dict[str, str]:
    """--keep COLUMN[=KIND] → {column: kind or "auto"}."""
    out = {}
    for item in items:
        column, sep, kind = item.rpartition("=")
        out[column if sep else item] = kind.strip().lower() if sep else "auto"
    return out


def cmd_import(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.csv_io import ImportOptions

    try:
        encoding = _encoding(args.encoding)
    except argparse.ArgumentTypeError as exc:
        ctx.say(f"iqcadence-cli import: {exc}; try utf-8 or cp1252.")
        return 2
    mapping: dict[str, str | None] = {c: None for c in args.ignore}
    mapping.update(dict(args.map))
    options = ImportOptions(
        mapping=mapping,
        encoding=encoding,
        delimiter=args.delimiter,
        date_order=args.date_order,
        dry_run=args.dry_run,
        all_or_nothing=args.all_or_nothing,
        keep=_kept(args.keep),
    )
    result = ctx.services.importer.run(args.file, options)
    if result.applied and (result.changed or result.custom.values):
        ctx.services.churn_model.refit_if_due()  # the churn model learns from imports
    for issue in result.errors[:50]:
        ctx.say(f"row {issue.row}, {issue.column or 'row'}: {issue.message}")
    if len(result.errors) > 50:
        ctx.say(f"… and {len(result.errors) - 50} more problems (see --json).")
    ctx.emit(result.to_json(), _import_text(result))
    nothing = not result.applied and not result.dry_run
    all_bad = result.rows > 0 and result.skipped == result.rows
    return 1 if nothing or all_bad else 0


def _import_text(r: ImportResult) -> str:
    verb = "Would import" if r.dry_run else ("Imported" if r.applied else "Imported nothing")
    head = (
        f"{verb} {r.rows:,} rows: {r.created:,} created, {r.updated:,} updated, "
        f"{r.unchanged:,} unchanged, {len(r.duplicates):,} duplicate rows, "
        f"{r.skipped:,} skipped"
    )
    if not r.applied and not r.dry_run:
        head += " (--all-or-nothing: the file has problems, so no row was imported)"
    lines = [head + "."]
    if r.duplicates:
        lines.append(
            f"{len(r.duplicates):,} rows repeat a customer named earlier in the file; "
            "the last row for each customer won (see --json for the row numbers)."
        )
    if r.preview is not None and r.dry_run:
        lines += _preview_text(r.preview)
    elif r.ignored:
        lines.append("Columns not imported: " + ", ".join(r.ignored))
    if r.custom.values or r.custom.created:
        created = f" (new fields: {', '.join(r.custom.created)})" if r.custom.created else ""
        lines.append(f"Custom fields: {r.custom.values:,} values set{created}.")
    return "\n".join(lines)


def _preview_text(p: ImportPreview) -> list[str]:
    """The dry run's account of what would happen to the values and the columns."""
    lines = [f'Match key: column "{p.match.column}", {p.match.label}.']
    if p.conversions:
        lines.append(f"Conversions seen in the first {len(p.sniffed.rows)} rows:")
        for c in p.conversions:
            outcome = f"refused: {c.problem}" if c.problem else f"→ {c.result}"
            lines.append(f'  {c.column}: "{c.raw}" {outcome}')
    for u in p.unused:
        examples = ", ".join(f'"{e}"' for e in u.examples) or "empty"
        lines.append(
            f'Not imported: column "{u.column}" ({u.reason}; e.g. {examples}). '
            f'Map it with --map "{u.column}=FIELD" or leave it out.'
        )
    return lines


def cmd_export(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.customers import CustomerFilter

    flt = CustomerFilter(manager=args.manager, status=args.status, tier=args.tier)
    n = ctx.services.exporter.export(args.out, args.format, flt)
    ctx.emit(
        {"customers": n, "file": str(args.out), "format": args.format},
        f"Wrote {n:,} customers to {args.out} ({args.format}).",
    )
    return 0


def cmd_backup(ctx: CommandContext, args: argparse.Namespace) -> int:
    backups = ctx.services.backups
    if args.out.suffix.lower() in BINARY_SUFFIXES:
        summary = backups.copy_database(args.out)
        data: dict[str, Any] = {"file": str(args.out), "binary": True}
        text = f"Copied the database to {args.out}."
    else:
        summary = backups.backup(args.out)
        data = {"file": str(args.out), "rows": summary.rows}
        text = f"Backed up {summary.customers:,} customers and everything else to {args.out}."
    data["damaged"] = list(summary.damage)
    ctx.emit(data, text)
    if summary.damage:
        ctx.say(f"iqcadence-cli: {summary.damage_text()}")
        return 1
    return 0


def safety_folder(ctx: CommandContext) -> Path:
    """Beside the database being restored (`--db X`), else the app's backups folder."""
    path = ctx.services.db.path
    return path.parent if path is not None else data_dir() / "backups"


def cmd_restore(ctx: CommandContext, args: argparse.Namespace) -> int:
    backups = ctx.services.backups
    checked = backups.check(args.file)  # a bad file is refused before anyone is asked anything
    if not args.yes:
        if not sys.stdin.isatty():
            ctx.say("restore replaces ALL data in the database; add --yes to confirm.")
            return 1
        answer = input(f"Replace all data with {args.file.name}? Type yes to continue: ")
        if answer.strip().lower() != "yes":
            ctx.say("Nothing was changed.")
            return 1
    summary = backups.restore(args.file, safety_folder(ctx), checked)
    ctx.emit(
        {"file": str(args.file), "rows": summary.rows, "safety_copy": str(summary.safety_copy)},
        f"Restored {summary.customers:,} customers from {args.file}. The data before the "
        f"restore was saved to {summary.safety_copy}.",
    )
    return 0
