"""Score History: a year of daily scores for one customer, or for the whole portfolio."""

from __future__ import annotations

from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    band_edges,
    change_kpi,
    count_kpi,
    headline_kpi,
    score_kpi,
)
from iqcadence_desktop.services.reports.kinds.history_rows import customer_history
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    Kpi,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS

TITLE = "Score History"
DAYS = 365
CUSTOMER_COLUMNS = (
    Column("Day", 1.2, "date"),
    Column("Score", 0.8, "float1"),
    Column("Band", 1.1, "band", band=True),
    Column("Coverage", 0.9, "pct"),
    Column("Logins (30 d)", 1, "int"),
    Column("Adoption %", 1, "float1"),
    Column("Open tickets", 1, "int"),
    Column("NPS", 0.7, "int"),
    Column("Days since contact", 1.2, "int"),
)
PORTFOLIO_COLUMNS = (
    Column("Day", 1.2, "date"),
    Column("Accounts", 0.9, "int"),
    Column("Average score", 1, "float1"),
    Column("MRR", 1.3, "money"),
    *(Column(BAND_LABELS[b], 0.95, "int") for b in BANDS),
)


def _kpis(scores: list[float], latest: Kpi) -> tuple[Kpi, ...]:
    """`latest` is the score as of the report day (a headline for the portfolio); the
    other tiles come from the stored days."""
    days = count_kpi("Days of history", len(scores))
    if not scores:
        return (days, latest)
    change = None if latest.raw is None else float(latest.raw) - scores[0]
    return (
        days,
        latest,
        Kpi("Lowest", f"{min(scores):.1f}", raw=min(scores), fmt="float1"),
        Kpi("Highest", f"{max(scores):.1f}", raw=max(scores), fmt="float1"),
        change_kpi("Change over the period", change),
    )


def build(ctx: ReportContext) -> ReportDocument:
    if ctx.request.customer_id is not None:
        return _for_customer(ctx, ctx.request.customer_id)
    points = ctx.portfolio_service.daily(DAYS, ctx.request.manager, ctx.as_of)
    scores = [p.average_score for p in points if p.average_score is not None]
    chart = Chart(
        "line",
        "Average portfolio score",
        tuple(p.day.strftime("%b %d") for p in points),
        (Series("Average score", tuple(p.average_score or 0.0 for p in points)),),
        score_axis=True,
        band_edges=band_edges(ctx.config),
    )
    rows = tuple(
        (
            p.day.isoformat(),
            p.customers,
            p.average_score,
            p.mrr_cents,
            *(p.band_counts[b] for b in BANDS),
        )
        for p in reversed(points)
    )
    table = Table(
        "Day by day, newest first", PORTFOLIO_COLUMNS, rows, empty_text="No history is stored yet."
    )
    return ReportDocument(
        "score-history",
        f"{TITLE}: portfolio",
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        _kpis(scores, headline_kpi(ctx.headlines, "average_score", "Average score now")),
        (chart, table) if points else (table,),
        ctx.methodology(),
    )


def _for_customer(ctx: ReportContext, customer_id: int) -> ReportDocument:
    c = ctx.customer_service.get(customer_id, ctx.as_of)
    points = customer_history(ctx.customer_service, customer_id, ctx.as_of, DAYS)
    scores = [p.score for p in points if p.score is not None]
    chart = Chart(
        "line",
        "Health score",
        tuple(p.day.strftime("%b %d") for p in points),
        (Series("Score", tuple(p.score or 0.0 for p in points)),),
        score_axis=True,
        band_edges=band_edges(ctx.config),
    )
    rows = tuple(
        (
            p.day.isoformat(),
            p.score,
            p.status,
            p.coverage,
            p.logins_30d,
            p.feature_adoption_pct,
            p.open_tickets,
            p.nps,
            p.days_since_contact,
        )
        for p in reversed(points)
    )
    table = Table(
        "Day by day, newest first",
        CUSTOMER_COLUMNS,
        rows,
        tuple(p.status for p in reversed(points)),
        "No history is stored yet.",
    )
    return ReportDocument(
        "score-history",
        f"{TITLE}: {c.name}",
        ctx.as_of,
        ctx.filter_text(c.name),
        ctx.generated_at,
        _kpis(scores, score_kpi("Score now", c.score, BAND_LABELS[c.status])),
        (chart, table) if points else (table,),
        ctx.methodology(definitions=False),
    )
