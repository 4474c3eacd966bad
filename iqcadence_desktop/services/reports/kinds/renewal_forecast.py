"""Renewal Forecast: past-due renewals and those due in the renewal window, in ARR, with
the revenue expected to stay.

The expected figure weights each renewal by a renewal likelihood for its health band
(RENEWAL_LIKELIHOOD, printed in the methodology): a plain, stable assumption a CSM can
check against their own renewal history, rather than a model's churn probability, which
answers a different question.
"""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.portfolio import renewal_due, renewal_past_due
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import capped, headline_kpi, money_kpi
from iqcadence_desktop.services.reports.model import (
    Cell,
    Chart,
    Column,
    Kpi,
    ReportDocument,
    Series,
    Table,
)
from iqcadence_desktop.services.reports.render.format import money
from iqcadence_desktop.services.scoring import BAND_LABELS

TITLE = "Renewal Forecast"
#: Share of renewing revenue expected to stay, by health band (typical gross retention).
RENEWAL_LIKELIHOOD: dict[str, float] = {
    "expansion": 0.98,
    "healthy": 0.95,
    "watch": 0.85,
    "at_risk": 0.65,
    "critical": 0.40,
    "unscored": 0.80,
}
COLUMNS = (
    Column("Customer", 3),
    Column("Manager", 1.6),
    Column("Renewal", 1.2, "date"),
    Column("Days", 0.7, "int"),
    Column("Score", 0.8, "score"),
    Column("Band", 1.1, "band", band=True),
    Column("ARR", 1.1, "money"),
    Column("Likely to renew", 1.1, "prob"),
    Column("Expected ARR", 1.2, "money"),
)


def _arr(c: CustomerDTO) -> int:
    return (c.mrr_cents or 0) * 12


def _expected(c: CustomerDTO) -> int:
    return round(_arr(c) * RENEWAL_LIKELIHOOD[c.status])


def _windows(ctx: ReportContext) -> list[tuple[str, int, int]]:
    w = ctx.config.renewal
    return [
        (f"0–{w.critical} days", 0, w.critical),
        (f"{w.critical + 1}–{w.warning} days", w.critical + 1, w.warning),
        (f"{w.warning + 1}–{w.upcoming} days", w.warning + 1, w.upcoming),
    ]


def _row(c: CustomerDTO) -> tuple[Cell, ...]:
    return (
        c.name,
        c.manager,
        c.renewal_date.isoformat() if c.renewal_date else None,
        c.days_until_renewal,
        c.score,
        c.status,
        _arr(c),
        RENEWAL_LIKELIHOOD[c.status],
        _expected(c),
    )


def _kpis(ctx: ReportContext, due: list[CustomerDTO], late: list[CustomerDTO]) -> tuple[Kpi, ...]:
    h = ctx.headlines
    arr = sum(map(_arr, due))
    expected = sum(map(_expected, due))
    retention = expected / arr if arr else None
    return (
        headline_kpi(h, "renewals_due", note=f"ARR {money(arr)}"),
        headline_kpi(h, "renewals_past_due", note=f"ARR {money(sum(map(_arr, late)))}"),
        money_kpi("Expected to renew (ARR)", expected, f"of {money(arr)} due"),
        Kpi(
            "Expected retention",
            "—" if retention is None else f"{retention:.0%}",
            "of the ARR due",
            retention,
            "pct",
        ),
    )


def build(ctx: ReportContext) -> ReportDocument:
    days = ctx.headlines.renewal_days
    late = sorted(
        (c for c in ctx.customers if renewal_past_due(c)),
        key=lambda c: (c.days_until_renewal or 0, c.name.lower()),
    )
    due = sorted(
        (c for c in ctx.customers if renewal_due(c, days)),
        key=lambda c: (c.days_until_renewal or 0, c.name.lower()),
    )
    groups = [("Past due", late)] + [
        (label, [c for c in due if lo <= (c.days_until_renewal or 0) <= hi])
        for label, lo, hi in _windows(ctx)
    ]
    chart = Chart(
        "bar",
        "ARR renewing by window",
        tuple(label for label, _ in groups),
        (
            Series("Renewing", tuple(sum(map(_arr, g)) / 100 for _, g in groups)),
            Series("Expected to renew", tuple(sum(map(_expected, g)) / 100 for _, g in groups)),
        ),
        value_format="${:,.0f}",
    )
    tables = (
        Table(
            "Past-due renewals (renewal date already passed)",
            COLUMNS,
            tuple(_row(c) for c in late),
            tuple(c.status for c in late),
            "No renewal is past due.",
        ),
        Table(
            f"Renewals in the next {days} days, soonest first",
            COLUMNS,
            tuple(_row(c) for c in due),
            tuple(c.status for c in due),
            f"No renewal falls in the next {days} days.",
        ),
    )
    return ReportDocument(
        "renewal-forecast",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        _kpis(ctx, due, late),
        (chart, *(capped(t) for t in tables)),
        ctx.methodology(_likelihood_note()),
        csv_tables=tables,
    )


def _likelihood_note() -> str:
    rates = ", ".join(f"{BAND_LABELS[b]} {p:.0%}" for b, p in RENEWAL_LIKELIHOOD.items())
    return (
        "ARR is 12 × MRR. Expected ARR weights each renewal by a renewal likelihood for its "
        f"health band ({rates}): typical gross retention by health, not a prediction for "
        "one account. Expected retention is expected ARR ÷ ARR due. Past-due renewals "
        "(renewal date before the as-of day) are listed apart: close them or correct the date."
    )
