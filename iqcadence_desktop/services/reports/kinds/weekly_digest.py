"""Weekly Digest: what moved in the last seven days and what needs doing this week."""

from __future__ import annotations

from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    account_table,
    by_priority,
    count_kpi,
    score_text,
)
from iqcadence_desktop.services.reports.model import Kpi, ReportDocument
from iqcadence_desktop.services.reports.render.format import signed
from iqcadence_desktop.services.scoring import is_at_risk

TITLE = "Weekly Digest"
TOP_N = 10
RENEWAL_DAYS = 30
#: A digest stays short: the printed renewals list stops here (the CSV has them all).
RENEWALS_SHOWN = 25


def build(ctx: ReportContext) -> ReportDocument:
    live = ctx.open_accounts()
    moving = [c for c in live if c.momentum is not None]
    drops = sorted(
        (c for c in moving if c.momentum is not None and c.momentum <= -1),
        key=lambda c: (c.momentum or 0.0, c.name.lower()),
    )[:TOP_N]
    gains = sorted(
        (c for c in moving if c.momentum is not None and c.momentum >= 1),
        key=lambda c: (-(c.momentum or 0.0), c.name.lower()),
    )[:TOP_N]
    renewals = sorted(
        (
            c
            for c in live
            if c.days_until_renewal is not None and 0 <= c.days_until_renewal <= RENEWAL_DAYS
        ),
        key=lambda c: (c.days_until_renewal or 0, c.name.lower()),
    )
    overdue = by_priority(c for c in live if c.cadence_status == "overdue")[:TOP_N]
    week = ctx.portfolio_service.daily(8, ctx.request.manager, ctx.as_of)
    change = (
        None
        if len(week) < 2 or week[0].average_score is None or week[-1].average_score is None
        else week[-1].average_score - week[0].average_score
    )
    kpis = (
        Kpi("Average score", score_text(week[-1].average_score if week else None)),
        Kpi("Change this week", signed(change), "points"),
        count_kpi("At risk now", sum(is_at_risk(c.status) for c in live)),
        Kpi(f"Renewals in {RENEWAL_DAYS} days", f"{len(renewals):,}"),
    )
    drop_t = account_table("Biggest drops this week", drops, "No account fell this week.")
    gain_t = account_table("Biggest gains this week", gains, "No account rose this week.")
    renew_title = f"Renewals in the next {RENEWAL_DAYS} days"
    if len(renewals) > RENEWALS_SHOWN:
        renew_title += (
            f" (the {RENEWALS_SHOWN} most urgent of {len(renewals):,}; the CSV lists them all)"
        )
    renew_t = account_table(
        renew_title, by_priority(renewals)[:RENEWALS_SHOWN], "No renewal in the next 30 days."
    )
    overdue_t = account_table(
        "Overdue contacts, most urgent first",
        overdue,
        "Every account has been contacted on schedule.",
    )
    all_renewals = account_table(f"Renewals in the next {RENEWAL_DAYS} days", renewals)
    return ReportDocument(
        "weekly-digest",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        kpis,
        (drop_t, gain_t, renew_t, overdue_t),
        ctx.methodology("The 7-day change compares each score with the snapshot a week earlier."),
        csv_tables=(drop_t, gain_t, all_renewals, overdue_t),
    )
