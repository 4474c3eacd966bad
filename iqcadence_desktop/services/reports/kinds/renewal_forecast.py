"""Renewal Forecast: renewals in the next 90 days by window, with the MRR each puts at stake."""

from __future__ import annotations

from iqcadence_desktop.services.model import DEFAULT_HORIZON
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import count_kpi, money_kpi, mrr
from iqcadence_desktop.services.reports.model import (
    Chart,
    Column,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.scoring import is_at_risk

TITLE = "Renewal Forecast"
WINDOWS = (("0–30 days", 0, 30), ("31–60 days", 31, 60), ("61–90 days", 61, 90))
COLUMNS = (
    Column("Customer", 3),
    Column("Manager", 1.6),
    Column("Renewal", 1.2, "date"),
    Column("Days", 0.7, "int"),
    Column("Score", 0.8, "score"),
    Column("Band", 1.1, "band", band=True),
    Column("MRR", 1.1, "money"),
    Column("Churn risk", 0.9, "prob"),
    Column("Expected MRR", 1.2, "money"),
)


def build(ctx: ReportContext) -> ReportDocument:
    due = sorted(
        (
            c
            for c in ctx.open_accounts()
            if c.days_until_renewal is not None and 0 <= c.days_until_renewal <= 90
        ),
        key=lambda c: (c.days_until_renewal or 0, c.name.lower()),
    )
    estimates = ctx.churn_estimates(due)
    risk = {c.id: e.probability for c, e in zip(due, estimates, strict=True)}
    horizon = estimates[0].horizon_days if estimates else DEFAULT_HORIZON
    expected = {c.id: round((c.mrr_cents or 0) * (1 - risk[c.id])) for c in due}
    per_window = [
        [c for c in due if lo <= (c.days_until_renewal or 0) <= hi] for _, lo, hi in WINDOWS
    ]
    kpis = (
        count_kpi("Renewals in 90 days", len(due)),
        money_kpi("MRR renewing", mrr(due)),
        money_kpi("MRR renewing at risk", mrr(c for c in due if is_at_risk(c.status))),
        money_kpi(
            "Expected to renew",
            sum(expected.values()),
            f"MRR × (1 − chance of churning within {horizon} days)",
        ),
    )
    chart = Chart(
        "bar",
        "MRR renewing by window",
        tuple(w[0] for w in WINDOWS),
        (
            Series("Renewing", tuple(mrr(g) / 100 for g in per_window)),
            Series("Expected", tuple(sum(expected[c.id] for c in g) / 100 for g in per_window)),
        ),
        ("#2f5bea", "#2e7d32"),
        "${:,.0f}",
    )
    rows = tuple(
        (
            c.name,
            c.manager,
            c.renewal_date.isoformat() if c.renewal_date else None,
            c.days_until_renewal,
            c.score,
            c.status,
            c.mrr_cents,
            risk[c.id],
            expected[c.id],
        )
        for c in due
    )
    table = Table(
        "Renewals, soonest first",
        COLUMNS,
        rows,
        tuple(c.status for c in due),
        "No renewal falls in the next 90 days.",
    )
    return ReportDocument(
        "renewal-forecast",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (chart, table),
        ctx.methodology(
            "Expected MRR weights each renewal by one minus its chance of churning.",
            ctx.churn_note(),
        ),
    )
