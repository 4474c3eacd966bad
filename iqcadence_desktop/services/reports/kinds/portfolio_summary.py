"""Portfolio Summary: headline numbers, band mix and the accounts that need attention."""

from __future__ import annotations

from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    ALL_BANDS,
    account_table,
    average_score,
    band_counts,
    band_donut,
    by_priority,
    count_kpi,
    money_kpi,
    mrr,
    score_text,
)
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    Kpi,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import BAND_LABELS, is_at_risk

TITLE = "Portfolio Summary"
TOP_N = 15


def build(ctx: ReportContext) -> ReportDocument:
    live = ctx.live()
    at_risk = [c for c in live if is_at_risk(c.status)]
    kpis = (
        count_kpi("Accounts", len(live)),
        Kpi("Average score", score_text(average_score(live))),
        money_kpi("Total MRR", mrr(live)),
        money_kpi("Revenue at risk", mrr(at_risk), f"{len(at_risk):,} accounts"),
        money_kpi("Expansion estimate", sum(c.expansion_estimate_cents for c in live)),
    )
    counts = band_counts(live)
    band_mrr = {b: mrr(c for c in live if c.status == b) for b in ALL_BANDS}
    bands = [b for b in ALL_BANDS if counts[b] or b != "unscored"]
    mrr_chart = Chart(
        "bar",
        "MRR by band",
        tuple(BAND_LABELS[b] for b in bands),
        (Series("MRR", tuple(band_mrr[b] / 100 for b in bands)),),
        tuple(BAND_COLORS[b] for b in bands),
        "${:,.0f}",
    )
    table = Table(
        "Bands",
        (
            Column("Band", 2, "band", band=True),
            Column("Accounts", 1, "int"),
            Column("Share", 1, "pct"),
            Column("MRR", 1.5, "money"),
            Column("Average score", 1.2, "score"),
        ),
        tuple(
            (
                b,
                counts[b],
                counts[b] / len(live) if live else 0.0,
                band_mrr[b],
                average_score(c for c in live if c.status == b),
            )
            for b in bands
        ),
        tuple(bands),
    )
    top = account_table(f"Priority accounts (top {TOP_N})", by_priority(live)[:TOP_N])
    return ReportDocument(
        "portfolio-summary",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (band_donut(live), mrr_chart, table, top),
        ctx.methodology("Churned accounts are left out of every figure."),
    )
