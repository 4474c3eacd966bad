"""Weekly Digest: what moved in the last seven days and what needs doing this week.

Lists stay short on paper; each says how many more there are ("… and 31 more"), and the
CSV carries every row.
"""

from __future__ import annotations

from collections.abc import Sequence

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.portfolio import at_stake, overdue_contact, renewal_due
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import (
    account_table,
    by_priority,
    change_kpi,
    headline_kpi,
)
from iqcadence_desktop.services.reports.model import Kpi, ReportDocument, Table
from iqcadence_desktop.services.scoring import ALL_MANAGERS

TITLE = "Weekly Digest"
WEEK = 7
#: Rows each printed list shows before "… and N more".
SHOWN = 10
RENEWALS_SHOWN = 25


def _lists(ctx: ReportContext) -> dict[str, list[CustomerDTO]]:
    live = [c for c in ctx.customers if at_stake(c)]
    moving = [c for c in live if c.momentum is not None]
    soon = ctx.headlines.soon_days
    return {
        "drops": sorted(
            (c for c in moving if (c.momentum or 0.0) <= -1),
            key=lambda c: (c.momentum or 0.0, c.name.lower()),
        ),
        "gains": sorted(
            (c for c in moving if (c.momentum or 0.0) >= 1),
            key=lambda c: (-(c.momentum or 0.0), c.name.lower()),
        ),
        "renewals": by_priority(c for c in live if renewal_due(c, soon)),
        "overdue": by_priority(c for c in ctx.customers if overdue_contact(c)),
    }


def _shown(title: str, rows: Sequence[CustomerDTO], limit: int, empty: str) -> Table:
    table = account_table(title, rows[:limit], empty)
    more = len(rows) - limit
    if more <= 0:
        return table
    note = f"… and {more:,} more (the CSV lists all {len(rows):,})."
    return Table(table.title, table.columns, table.rows, table.bands, table.empty_text, note)


def _kpis(ctx: ReportContext) -> tuple[Kpi, ...]:
    h = ctx.headlines
    base = ctx.portfolio_service.score_changes(WEEK, ctx.as_of).get(ALL_MANAGERS)
    change = None if base is None or h.average_score is None else h.average_score - base.base_score
    note = "no earlier day stored" if base is None else f"points over {base.days} days"
    return (
        headline_kpi(h, "average_score"),
        change_kpi("Change this week", change, note, digits=1),
        headline_kpi(h, "at_risk_accounts"),
        headline_kpi(h, "renewals_next_30"),
    )


def build(ctx: ReportContext) -> ReportDocument:
    lists = _lists(ctx)
    soon = ctx.headlines.soon_days
    titles = {
        "drops": ("Biggest drops this week", "No account fell this week."),
        "gains": ("Biggest gains this week", "No account rose this week."),
        "renewals": (
            f"Renewals in the next {soon} days, most urgent first",
            f"No renewal in the next {soon} days.",
        ),
        "overdue": (
            "Overdue contacts, most urgent first",
            "Every account has been contacted on schedule.",
        ),
    }
    printed = tuple(
        _shown(
            *titles[key][:1],
            lists[key],
            RENEWALS_SHOWN if key == "renewals" else SHOWN,
            titles[key][1],
        )
        for key in titles
    )
    full = tuple(account_table(titles[key][0], lists[key]) for key in titles)
    return ReportDocument(
        "weekly-digest",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        _kpis(ctx),
        printed,
        ctx.methodology(
            "A customer's 7-day change compares its score with its snapshot a week earlier; "
            "the portfolio's change compares the average now with the earliest stored "
            "average of the last seven days."
        ),
        csv_tables=full,
    )
