"""The wizard's words for an import result (the same numbers as `import --json`)."""

from __future__ import annotations

from iqcadence_desktop.services.csv_io import ImportResult


def summary(r: ImportResult) -> str:
    """The same numbers as `import --json`: rows = created + updated + unchanged +
    duplicates + skipped."""
    counts = (
        f"{r.created:,} created, {r.updated:,} updated, {r.unchanged:,} unchanged, "
        f"{len(r.duplicates):,} duplicate rows and {r.skipped:,} skipped, of {r.rows:,} rows"
    )
    if r.dry_run:
        text = f"Check finished; nothing was saved. The import would give: {counts}."
    elif not r.applied:
        text = (
            "Nothing was imported: some rows have problems and “Import nothing if any "
            f"row has a problem” is on. Without it, the import would give: {counts}."
        )
    else:
        text = f"Imported: {counts}."
    if r.errors:
        text += f" {_count(len(r.errors), 'problem')} listed below."
    if r.duplicates:
        text += (
            f" {_count(len(r.duplicates), 'row')} named a customer already in the file; "
            "the last row for each customer was used."
        )
    if r.ignored:
        text += " Not imported: " + ", ".join(r.ignored) + "."
    return text


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def file_size(n: int) -> str:
    return (
        f"{n:,} bytes"
        if n < 1024
        else f"{n / 1024:,.0f} KB"
        if n < 1 << 20
        else f"{n / (1 << 20):,.1f} MB"
    )
