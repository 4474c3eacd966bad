"""CSM Performance: each manager's book side by side."""

from __future__ import annotations

from collections import defaultdict

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import average_score, count_kpi, mrr
from iqcadence_desktop.services.reports.model import (
    Cell,
    Chart,
    Column,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.scoring import is_at_risk

TITLE = "CSM Performance"
UNASSIGNED = "(unassigned)"
COLUMNS = (
    Column("Manager", 2.4),
    Column("Accounts", 0.9, "int"),
    Column("Average score", 1, "score"),
    Column("MRR", 1.3, "money"),
    Column("At risk", 0.8, "int"),
    Column("Revenue at risk", 1.3, "money"),
    Column("Overdue contacts", 1.1, "int"),
    Column("Average 7-day change", 1.2, "signed"),
)


def _row(manager: str, book: list[CustomerDTO]) -> tuple[Cell, ...]:
    risky = [c for c in book if is_at_risk(c.status)]
    moves = [c.momentum for c in book if c.momentum is not None]
    return (
        manager,
        len(book),
        average_score(book),
        mrr(book),
        len(risky),
        mrr(risky),
        sum(c.cadence_status == "overdue" for c in book),
        sum(moves) / len(moves) if moves else None,
    )


def build(ctx: ReportContext) -> ReportDocument:
    books: dict[str, list[CustomerDTO]] = defaultdict(list)
    for c in ctx.live():
        books[c.manager or UNASSIGNED].append(c)
    rows = tuple(_row(m, books[m]) for m in sorted(books, key=str.lower))
    kpis = (
        count_kpi("Managers", len(books)),
        count_kpi("Accounts", len(ctx.live())),
        count_kpi("Overdue contacts", sum(int(r[6] or 0) for r in rows)),
    )
    chart = Chart(
        "bar",
        "Average score by manager",
        tuple(str(r[0]) for r in rows),
        (Series("Average score", tuple(float(r[2] or 0) for r in rows)),),
        ("#2f5bea",),
    )
    table = Table("Managers", COLUMNS, rows, empty_text="No accounts yet.")
    return ReportDocument(
        "csm-performance",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (chart, table),
        ctx.methodology("Overdue contacts use each tier's contact cadence."),
    )
