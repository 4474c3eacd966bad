"""Writes a `ReportDocument` as CSV: the same numbers as the PDF, ready for a spreadsheet.

Layout: a short header (report, as-of day, filter), the KPI tiles as metric/value rows,
then each table under a row naming it, separated by blank lines. Money is written in
currency units with cents, shares as fractions, so columns can be summed. UTF-8 with a
byte-order mark so Excel opens accented and CJK names correctly.
"""

from __future__ import annotations

import csv
from typing import IO, Any

from iqcadence_desktop.services.reports.model import ReportDocument, Table
from iqcadence_desktop.services.reports.render.format import csv_value


def render_csv(doc: ReportDocument, fh: IO[str]) -> int:
    """Write the CSV to a text file opened with newline=""; returns the data rows written."""
    rows = 0
    w = csv.writer(fh)
    w.writerow(["report", csv_value(doc.title, "text")])
    w.writerow(["as_of", doc.as_of.isoformat()])
    w.writerow(["filter", csv_value(doc.filter_text, "text")])
    w.writerow(["generated_at", doc.generated_at.isoformat(timespec="seconds")])
    if doc.kpis:
        w.writerow([])
        w.writerow(["metric", "value"])
        w.writerows(
            [k.label, k.value if k.raw is None else csv_value(k.raw, k.fmt)] for k in doc.kpis
        )
    for table in doc.tables():
        rows += _write_table(w, table)
    return rows


def _write_table(w: Any, table: Table) -> int:
    w.writerow([])
    w.writerow([csv_value(table.title, "text")])
    w.writerow([c.header for c in table.columns])
    for row in table.rows:
        w.writerow([csv_value(v, c.fmt) for v, c in zip(row, table.columns, strict=True)])
    return len(table.rows)
