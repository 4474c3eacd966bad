"""Segment Analysis: health and revenue by tier and by lifecycle stage."""

from __future__ import annotations

from collections.abc import Callable

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    average_score,
    band_counts,
    count_kpi,
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
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS, TIER_LABELS

TITLE = "Segment Analysis"
LIFECYCLE_LABELS = {
    "onboarding": "Onboarding",
    "active": "Active",
    "atrisk": "At risk",
    "won": "Won",
    "churned": "Churned",
}


def _columns(first: str) -> tuple[Column, ...]:
    return (
        Column(first, 1.6),
        Column("Accounts", 0.9, "int"),
        Column("Average score", 1, "score"),
        Column("MRR", 1.3, "money"),
        *(Column(BAND_LABELS[b], 0.95, "int") for b in BANDS),
    )


def _table(
    title: str, first: str, customers: list[CustomerDTO], key: Callable[[CustomerDTO], str]
) -> Table:
    groups: dict[str, list[CustomerDTO]] = {}
    for c in customers:
        groups.setdefault(key(c), []).append(c)
    rows = []
    for name in sorted(groups):
        g = groups[name]
        counts = band_counts(g)
        rows.append((name, len(g), average_score(g), mrr(g), *(counts[b] for b in BANDS)))
    return Table(title, _columns(first), tuple(rows))


def build(ctx: ReportContext) -> ReportDocument:
    live = ctx.live()
    tiers = _table("By tier", "Tier", live, lambda c: TIER_LABELS.get(c.tier or "", "No tier"))
    stages = _table(
        "By lifecycle",
        "Lifecycle",
        list(ctx.customers),
        lambda c: LIFECYCLE_LABELS.get(c.lifecycle, c.lifecycle),
    )
    chart = Chart(
        "bar",
        "Accounts per band by tier",
        tuple(str(r[0]) for r in tiers.rows),
        tuple(
            Series(BAND_LABELS[b], tuple(float(r[4 + i] or 0) for r in tiers.rows))
            for i, b in enumerate(BANDS)
        ),
        tuple(BAND_COLORS[b] for b in BANDS),
    )
    h = ctx.headlines
    kpis = (
        headline_kpi(h, "accounts"),
        headline_kpi(h, "average_score"),
        headline_kpi(h, "total_mrr_cents"),
        count_kpi("Tiers", len(tiers.rows)),
        count_kpi("Lifecycle stages", len(stages.rows), "churned included"),
    )
    return ReportDocument(
        "segment-analysis",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (chart, tiers, stages),
        ctx.methodology(
            "The tier table leaves churned accounts out; the lifecycle table includes them."
        ),
    )
