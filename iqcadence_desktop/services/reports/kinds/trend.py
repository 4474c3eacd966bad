"""Trend (90 d): how the portfolio's health, bands and revenue at risk moved."""

from __future__ import annotations

from iqcadence_desktop.services.portfolio import DailyPoint
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    band_edges,
    change_kpi,
    count_kpi,
    headline_kpi,
)
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    Kpi,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.reports.render.format import money
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS

TITLE = "Trend (90 days)"
DAYS = 90
COLUMNS = (
    Column("Day", 1.2, "date"),
    Column("Accounts", 0.9, "int"),
    Column("Average score", 1, "float1"),
    Column("MRR", 1.3, "money"),
    Column("MRR at risk", 1.3, "money"),
    *(Column(BAND_LABELS[b], 0.95, "int") for b in BANDS),
)


def _row(p: DailyPoint) -> tuple[str | int | float | None, ...]:
    return (
        p.day.isoformat(),
        p.customers,
        p.average_score,
        p.mrr_cents,
        p.at_risk_mrr_cents,
        *(p.band_counts[b] for b in BANDS),
    )


def _kpis(ctx: ReportContext, points: list[DailyPoint]) -> tuple[Kpi, ...]:
    """ "Now" is the headline as of the day; the period starts at the oldest stored day."""
    h = ctx.headlines
    days = count_kpi("Days of history", len(points), f"of the last {DAYS}")
    if not points:
        return (days, headline_kpi(h, "average_score"), headline_kpi(h, "mrr_at_risk_cents"))
    first = points[0]
    change = (
        None
        if first.average_score is None or h.average_score is None
        else h.average_score - first.average_score
    )
    return (
        days,
        headline_kpi(h, "average_score", "Average score now"),
        change_kpi("Change over the period", change, f"points since {first.day:%b %d}", 1),
        headline_kpi(
            h, "mrr_at_risk_cents", "MRR at risk now", f"was {money(first.at_risk_mrr_cents)}"
        ),
    )


def build(ctx: ReportContext) -> ReportDocument:
    points = ctx.portfolio_service.daily(DAYS, ctx.request.manager, ctx.as_of)
    labels = tuple(p.day.strftime("%b %d") for p in points)
    score = Chart(
        "line",
        "Average score",
        labels,
        (Series("Average score", tuple(p.average_score or 0.0 for p in points)),),
        score_axis=True,
        band_edges=band_edges(ctx.config),
    )
    bands = Chart(
        "line",
        "Accounts per band",
        labels,
        tuple(
            Series(BAND_LABELS[b], tuple(float(p.band_counts[b]) for p in points)) for b in BANDS
        ),
        tuple(BAND_COLORS[b] for b in BANDS),
    )
    weekly = points[::-7][::-1]  # every seventh day, ending on the newest
    table = Table(
        "Week by week",
        COLUMNS,
        tuple(_row(p) for p in weekly),
        empty_text="No history is stored for this period yet.",
    )
    full = Table("Day by day", COLUMNS, tuple(_row(p) for p in points))
    blocks = (score, bands, table) if points else (table,)
    return ReportDocument(
        "trend-90d",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        _kpis(ctx, points),
        blocks,
        ctx.methodology(
            "Figures come from the daily rollup written with each "
            "day's snapshots; days without data are skipped."
        ),
        csv_tables=(full,),
    )
