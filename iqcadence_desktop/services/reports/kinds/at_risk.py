"""At-Risk Accounts: every open account in the At Risk or Critical band, most urgent first."""

from __future__ import annotations

from iqcadence_desktop.services.portfolio import at_risk, renewal_due
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    account_table,
    by_priority,
    capped,
    count_kpi,
    headline_kpi,
    mrr,
)
from iqcadence_desktop.services.reports.model import Chart, ReportDocument, Series
from iqcadence_desktop.services.reports.render.format import money
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS

TITLE = "At-Risk Accounts"


def build(ctx: ReportContext) -> ReportDocument:
    rows = by_priority(c for c in ctx.customers if at_risk(c))
    h = ctx.headlines
    days = h.renewal_days
    renewing = [c for c in rows if renewal_due(c, days)]
    kpis = (
        headline_kpi(h, "at_risk_accounts"),
        headline_kpi(h, "critical_accounts"),
        headline_kpi(h, "mrr_at_risk_cents", note=f"ARR {money(h.arr_at_risk_cents)}"),
        count_kpi(f"Renewing within {days} days", len(renewing), "of the accounts listed"),
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
        (chart, capped(table)),
        ctx.methodology(
            "Lists the accounts at risk (see the definitions below), ordered by priority "
            "score: low health, revenue, renewal proximity and falling momentum."
        ),
        csv_tables=(table,),
    )
