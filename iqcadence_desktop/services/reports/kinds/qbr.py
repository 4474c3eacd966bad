"""The extra pages of a quarterly business review (customer-health with `qbr`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from iqcadence_desktop.services.customers import Explanation, SnapshotDTO
from iqcadence_desktop.services.model import ChurnEstimate
from iqcadence_desktop.services.reports.context import NoteLike, local_day
from iqcadence_desktop.services.reports.kinds.talking_points import (
    AlertLike,
    agenda,
    talking_points,
)
from iqcadence_desktop.services.reports.model import (
    Block,
    Chart,
    Column,
    PageBreak,
    Series,
    Table,
    Text,
)
from iqcadence_desktop.services.reports.render.format import money

DAYS = 180
MONTH_COLUMNS = (
    Column("Month", 1.2),
    Column("Average score", 1, "float1"),
    Column("Logins (30 d)", 1, "float1"),
    Column("Adoption %", 1, "float1"),
    Column("Open tickets", 1, "float1"),
    Column("Days stored", 0.9, "int"),
)


def _avg(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def monthly(history: list[SnapshotDTO]) -> Table:
    months: dict[str, list[SnapshotDTO]] = {}
    for p in history:
        months.setdefault(p.day.strftime("%Y-%m"), []).append(p)
    rows = tuple(
        (
            m,
            _avg([p.score for p in ps if p.score is not None]),
            _avg([p.logins_30d for p in ps if p.logins_30d is not None]),
            _avg([p.feature_adoption_pct for p in ps if p.feature_adoption_pct is not None]),
            _avg([p.open_tickets for p in ps if p.open_tickets is not None]),
            len(ps),
        )
        for m, ps in months.items()
    )
    return Table("Month by month", MONTH_COLUMNS, rows, empty_text="No history stored yet.")


def usage_chart(history: list[SnapshotDTO]) -> Chart:
    labels = tuple(p.day.strftime("%b %d") for p in history)
    return Chart(
        "line",
        "Usage and support",
        labels,
        (
            Series("Logins (30 d)", tuple(float(p.logins_30d or 0) for p in history)),
            Series("Adoption %", tuple(float(p.feature_adoption_pct or 0) for p in history)),
            Series("Open tickets", tuple(float(p.open_tickets or 0) for p in history)),
        ),
    )


def outlook(ex: Explanation, churn: ChurnEstimate) -> Text:
    c = ex.customer
    renewal = (
        f"The contract renews on {c.renewal_date} ({c.days_until_renewal} days from the "
        f"report date)."
        if c.renewal_date
        else "No renewal date is recorded."
    )
    risk = (
        f"The chance of churning within {churn.horizon_days} days is "
        f"{churn.probability:.0%}; the main drivers are "
        f"{churn.top_reasons(3)}."
    )
    estimate = money(c.expansion_estimate_cents)
    growth = (
        f"The account is in the Expansion band: an estimated {estimate} a month of "
        "additional revenue."
        if c.status == "expansion"
        else "Expansion is not suggested until the account reaches the Expansion band."
    )
    return Text("Renewal and expansion outlook", (renewal, risk, growth))


NOTE_DAYS = 90
NOTE_COLUMNS = (Column("Date", 0.9, "date"), Column("By", 1.1), Column("Note", 5))


def recent_notes(notes: Sequence[NoteLike], as_of: dt.date) -> Table:
    """The notes of the last 90 days up to the review's day, newest first."""
    first = as_of - dt.timedelta(days=NOTE_DAYS)
    rows = tuple(
        (local_day(n.created_at).isoformat(), n.author or "—", " ".join(n.body.split()))
        for n in notes
        if first <= local_day(n.created_at) <= as_of
    )
    return Table(
        f"Notes from the last {NOTE_DAYS} days",
        NOTE_COLUMNS,
        rows,
        empty_text="No notes were written in the last 90 days.",
    )


def sections(
    ex: Explanation,
    churn: ChurnEstimate,
    history: list[SnapshotDTO],
    alerts: tuple[AlertLike, ...] = (),
    notes: Sequence[NoteLike] = (),
    as_of: dt.date | None = None,
) -> list[Block]:
    """Usage and support, outlook, agenda, talking points and the latest notes."""
    as_of = as_of or ex.customer.updated_at.date()
    return [
        PageBreak(),
        usage_chart(history),
        monthly(history),
        PageBreak(),
        outlook(ex, churn),
        Text("Suggested agenda", bullets=agenda(ex)),
        Text("Talking points", bullets=talking_points(ex, churn, alerts)),
        recent_notes(notes, as_of),
    ]
