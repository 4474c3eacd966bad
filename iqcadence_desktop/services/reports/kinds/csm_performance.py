"""CSM Performance: each manager's book side by side.

The score change compares each book's average now with its earliest stored average in the
last seven days (the daily rollup), so a portfolio with three days of history shows a
three-day change, labelled as such, rather than nothing.
"""

from __future__ import annotations

from collections import defaultdict

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.portfolio import ScoreChange, at_risk, overdue_contact
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    average_score,
    change_kpi,
    count_kpi,
    headline_kpi,
    mrr,
)
from iqcadence_desktop.services.reports.model import (
    Cell,
    Chart,
    Column,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.scoring import ALL_MANAGERS

TITLE = "CSM Performance"
UNASSIGNED = "(unassigned)"
WEEK = 7
COLUMNS = (
    Column("Manager", 2.2),
    Column("Accounts", 0.9, "int"),
    Column("Average score", 1, "score"),
    Column("MRR", 1.3, "money"),
    Column("At risk", 0.8, "int"),
    Column("MRR at risk", 1.3, "money"),
    Column("Overdue contacts", 1.1, "int"),
    Column("Score change", 1, "signed"),
    Column("Over days", 0.8, "int"),
)


def _change(now: float | None, base: ScoreChange | None) -> tuple[float | None, int | None]:
    if now is None or base is None:
        return None, None
    return now - base.base_score, base.days


def _row(manager: str, book: list[CustomerDTO], base: ScoreChange | None) -> tuple[Cell, ...]:
    risky = [c for c in book if at_risk(c)]
    avg = average_score(book)
    return (
        manager,
        len(book),
        avg,
        mrr(book),
        len(risky),
        mrr(risky),
        sum(1 for c in book if overdue_contact(c)),
        *_change(avg, base),
    )


def build(ctx: ReportContext) -> ReportDocument:
    books: dict[str, list[CustomerDTO]] = defaultdict(list)
    for c in ctx.live():
        books[c.manager or UNASSIGNED].append(c)
    bases = ctx.portfolio_service.score_changes(WEEK, ctx.as_of)
    rows = tuple(_row(m, books[m], bases.get(m)) for m in sorted(books, key=str.lower))
    h = ctx.headlines
    change, span = _change(h.average_score, bases.get(ALL_MANAGERS))
    kpis = (
        count_kpi("Managers", len(books)),
        headline_kpi(h, "accounts"),
        headline_kpi(h, "average_score"),
        change_kpi(
            "Score change",
            change,
            "no history yet" if span is None else f"points over {span} day{'s' * (span != 1)}",
            digits=1,
        ),
        headline_kpi(h, "overdue_contacts"),
    )
    chart = Chart(
        "bar",
        "Average score by manager",
        tuple(str(r[0]) for r in rows),
        (Series("Average score", tuple(float(r[2] or 0) for r in rows)),),
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
        ctx.methodology(
            "Overdue contacts use each tier's contact cadence. Score change: the book's "
            f"average now minus its earliest stored average in the last {WEEK} days "
            "(“Over days” says how far back that was)."
        ),
    )
