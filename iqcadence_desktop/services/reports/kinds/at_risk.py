"""At-Risk Accounts: every open account in the At Risk or Critical band, most urgent first."""

from __future__ import annotations

from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    account_table,
    band_counts,
    by_priority,
    count_kpi,
    money_kpi,
    mrr,
)
from iqcadence_desktop.services.reports.model import Chart, ReportDocument, Series
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import is_at_risk

TITLE = "At-Risk Accounts"


def build(ctx: ReportContext) -> ReportDocument:
    rows = by_priority(c for c in ctx.open_accounts() if is_at_risk(c.status))
    counts = band_counts(rows)
    renewing = [
        c
        for c in rows
        if c.days_until_renewal is not None
        and 0 <= c.days_until_renewal <= ctx.config.renewal.upcoming
    ]
    kpis = (
        count_kpi("Accounts at risk", len(rows)),
        count_kpi("Critical", counts["critical"]),
        money_kpi("MRR at risk", mrr(rows)),
        count_kpi("Renewing within 90 days", len(renewing), "of the accounts listed"),
    )
    chart = Chart(
        "bar",
        "MRR at risk by band",
        ("Critical", "At Risk"),
        (
            Series(
                "MRR",
                (
                    mrr(c for c in rows if c.status == "critical") / 100,
                    mrr(c for c in rows if c.status == "at_risk") / 100,
                ),
            ),
        ),
        (BAND_COLORS["critical"], BAND_COLORS["at_risk"]),
        "${:,.0f}",
    )
    table = account_table(
        "Accounts, most urgent first", rows, "No open account is At Risk or Critical."
    )
    return ReportDocument(
        "at-risk",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (chart, table),
        ctx.methodology(
            "Lists accounts in the At Risk or Critical band whose lifecycle is "
            "neither churned nor won, ordered by priority score (low health, "
            "revenue, renewal proximity and falling momentum)."
        ),
    )
