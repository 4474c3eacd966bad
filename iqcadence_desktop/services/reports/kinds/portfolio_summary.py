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
    headline_kpi,
    mrr,
)
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.reports.render.format import money
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import BAND_LABELS

TITLE = "Portfolio Summary"
TOP_N = 15


def build(ctx: ReportContext) -> ReportDocument:
    live = ctx.live()
    h = ctx.headlines
    kpis = (
        headline_kpi(h, "accounts", note=f"{h.unscored:,} unscored" if h.unscored else ""),
        headline_kpi(h, "average_score"),
        headline_kpi(h, "total_mrr_cents", note=f"ARR {money(h.total_arr_cents)}"),
        headline_kpi(h, "mrr_at_risk_cents", note=f"{h.at_risk_accounts:,} accounts at risk"),
        headline_kpi(h, "expansion_estimate_cents", note="a month"),
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
        ctx.methodology(),
    )
