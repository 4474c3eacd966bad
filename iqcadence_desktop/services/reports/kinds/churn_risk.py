"""Churn Risk: each open account's heuristic churn probability and the reasons for it."""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.model import METHOD_NOTE, ChurnEstimate, churn_risk
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import count_kpi, money_kpi
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    ReportDocument,
    Series,
    Table,
    Text,
)

TITLE = "Churn Risk"
HIGH = 0.5
#: The printed list stops here (a 10,000-row appendix helps nobody); the CSV has them all.
PDF_ROWS = 500
BUCKETS = (
    (0.0, 0.1, "< 10 %"),
    (0.1, 0.25, "10–25 %"),
    (0.25, 0.5, "25–50 %"),
    (0.5, 0.75, "50–75 %"),
    (0.75, 1.01, "≥ 75 %"),
)
COLUMNS = (
    Column("Customer", 3),
    Column("Manager", 1.5),
    Column("Score", 0.85, "score"),
    Column("Band", 1.1, "band", band=True),
    Column("MRR", 1.1, "money"),
    Column("Churn risk", 0.9, "prob"),
    Column("MRR exposed", 1.1, "money"),
    Column("Main reasons", 2.85),
)


def _row(c: CustomerDTO, e: ChurnEstimate) -> tuple[str | int | float | None, ...]:
    return (
        c.name,
        c.manager,
        c.score,
        c.status,
        c.mrr_cents,
        e.probability,
        round((c.mrr_cents or 0) * e.probability),
        e.top_reasons(),
    )


def build(ctx: ReportContext) -> ReportDocument:
    pairs = [(c, churn_risk(c)) for c in ctx.open_accounts()]
    pairs.sort(key=lambda p: (-p[1].probability, p[0].name.lower()))
    exposed = sum(round((c.mrr_cents or 0) * e.probability) for c, e in pairs)
    high = [p for p in pairs if p[1].probability >= HIGH]
    kpis = (
        count_kpi("Accounts assessed", len(pairs)),
        count_kpi("High risk (≥ 50 %)", len(high)),
        money_kpi("Expected MRR loss", exposed, "sum of MRR × churn risk"),
    )
    chart = Chart(
        "bar",
        "Accounts by churn risk",
        tuple(b[2] for b in BUCKETS),
        (
            Series(
                "Accounts",
                tuple(
                    float(sum(lo <= e.probability < hi for _, e in pairs)) for lo, hi, _ in BUCKETS
                ),
            ),
        ),
        ("#2e7d32", "#7cb342", "#b38f00", "#ef6c00", "#c62828"),
    )
    note = Text("How this is estimated", (METHOD_NOTE,))
    shown = pairs[:PDF_ROWS]
    title = (
        "Accounts, highest risk first"
        if len(pairs) <= PDF_ROWS
        else f"The {PDF_ROWS} accounts with the highest risk (of {len(pairs):,}; the CSV "
        "lists every account)"
    )
    table = _table(title, shown)
    full = _table("Accounts, highest risk first", pairs)
    return ReportDocument(
        "churn-risk",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (note, chart, table),
        ctx.methodology(METHOD_NOTE),
        csv_tables=(full,),
    )


def _table(title: str, pairs: list[tuple[CustomerDTO, ChurnEstimate]]) -> Table:
    return Table(
        title,
        COLUMNS,
        tuple(_row(c, e) for c, e in pairs),
        tuple(c.status for c, _ in pairs),
        "No open accounts to assess.",
    )
