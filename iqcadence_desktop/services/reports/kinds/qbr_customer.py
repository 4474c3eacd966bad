"""The business review as the customer receives it (audience "customer", the default).

Only what the customer may read: their health score and its trend, the value they got
from the product, adoption and usage, and the actions to agree. Never: churn figures,
internal notes, tags, sentiment, lifecycle stage, ids (ours or another system's), the
signals only we judge (growth potential, days since we last called), portfolio figures
or internal wording. tests/services/reports/test_qbr_audiences.py reads the PDF back
and checks exactly that.
"""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO, Explanation, SnapshotDTO
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import band_edges, change_kpi, score_kpi
from iqcadence_desktop.services.reports.kinds.qbr import monthly, usage_chart
from iqcadence_desktop.services.reports.model import (
    Block,
    Chart,
    Column,
    Kpi,
    Methodology,
    ReportDocument,
    Series,
    Table,
    Text,
)
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS

#: Signals the customer sees in their own review (the others are our judgement).
SHARED_SIGNALS = ("logins", "adoption", "tickets", "nps", "csat")
SIGNAL_COLUMNS = (
    Column("What we measure", 2.2),
    Column("Your value", 1.2),
    Column("Points (of 100)", 1.2, "float1"),
)


def build(ctx: ReportContext, ex: Explanation, history: list[SnapshotDTO]) -> ReportDocument:
    c = ex.customer
    blocks: list[Block] = [
        _summary(c, history),
        Chart(
            "line",
            f"Your health score over the last {len(history)} stored days",
            tuple(p.day.strftime("%b %d") for p in history),
            (Series("Health score", tuple(p.score or 0.0 for p in history)),),
            score_axis=True,
            band_edges=band_edges(ctx.config),
        ),
        _value_delivered(history),
        usage_chart(history),
        monthly(history),
        _score_parts(ex),
        _agreed_actions(ex),
    ]
    return ReportDocument(
        "customer-health",
        f"Business Review: {c.name}",
        ctx.as_of,
        f"Prepared for {c.name}",
        ctx.generated_at,
        _kpis(c, history),
        tuple(blocks),
        _how_to_read(ctx),
    )


def _kpis(c: CustomerDTO, history: list[SnapshotDTO]) -> tuple[Kpi, ...]:
    first = next((p.score for p in history if p.score is not None), None)
    change = None if first is None or c.score is None else c.score - first
    renewal = c.renewal_date.isoformat() if c.renewal_date else None
    return (
        score_kpi("Health score", c.score, BAND_LABELS[c.status]),
        change_kpi("Change in the period", change),
        Kpi("Feature adoption", _pct(c.feature_adoption_pct), raw=_share(c), fmt="pct"),
        Kpi("Logins (30 days)", _num(c.logins_30d), raw=c.logins_30d, fmt="int"),
        Kpi("Open tickets", _num(c.open_tickets), raw=c.open_tickets, fmt="int"),
        Kpi("Renewal date", renewal or "—", raw=renewal, fmt="date"),
    )


def _share(c: CustomerDTO) -> float | None:
    return None if c.feature_adoption_pct is None else c.feature_adoption_pct / 100


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _num(value: int | None) -> str:
    return "—" if value is None else f"{value:,}"


def _summary(c: CustomerDTO, history: list[SnapshotDTO]) -> Text:
    band = BAND_LABELS[c.status]
    first = next((p for p in history if p.score is not None), None)
    if c.shown_score is None:
        head = "There is not enough usage data yet to give a health score."
    elif first is None or first.score is None or c.score is None:
        head = f"Your health score is {c.shown_score} of 100 ({band})."
    else:
        moved = round(c.score - first.score)
        trend = (
            "held steady"
            if moved == 0
            else f"{'rose' if moved > 0 else 'fell'} by {abs(moved)} points"
        )
        head = (
            f"Your health score is {c.shown_score} of 100 ({band}); it {trend} since "
            f"{first.day:%B %d, %Y}."
        )
    return Text(
        "Summary",
        (head, "The pages that follow show what drove it and what we suggest doing next."),
    )


def _change(first: float | None, last: float | None) -> float | None:
    return None if first is None or last is None else last - first


def _value_delivered(history: list[SnapshotDTO]) -> Text:
    """Plain statements of how usage moved over the period (first vs last stored day)."""
    if len(history) < 2:
        return Text(
            "Value delivered", ("We will show how usage moves once more days are recorded.",)
        )
    a, b = history[0], history[-1]
    lines = []
    adoption = _change(a.feature_adoption_pct, b.feature_adoption_pct)
    if adoption is not None:
        lines.append(
            f"Feature adoption went from {a.feature_adoption_pct:.0f}% "
            f"to {b.feature_adoption_pct:.0f}% "
            f"({adoption:+.0f} points)."
        )
    logins = _change(a.logins_30d, b.logins_30d)
    if logins is not None:
        lines.append(f"Logins in a 30-day window went from {a.logins_30d:,} to {b.logins_30d:,}.")
    tickets = _change(a.open_tickets, b.open_tickets)
    if tickets is not None:
        verb = "fell" if tickets < 0 else ("rose" if tickets > 0 else "stayed")
        lines.append(f"Open support tickets {verb} from {a.open_tickets} to {b.open_tickets}.")
    return Text(
        "Value delivered",
        (f"From {a.day:%B %d} to {b.day:%B %d, %Y}:",),
        tuple(lines) or ("Usage held steady over the period.",),
    )


def _score_parts(ex: Explanation) -> Table:
    rows = tuple(
        (SIGNAL_LABELS[p.signal], "—" if p.value is None else f"{p.value:g}", p.points)
        for p in ex.result.contributions
        if p.signal in SHARED_SIGNALS and p.weight > 0
    )
    return Table("What makes up your health score", SIGNAL_COLUMNS, rows)


def _agreed_actions(ex: Explanation) -> Text:
    c = ex.customer
    points = {p.signal: p.points for p in ex.result.contributions if p.points is not None}
    actions = []
    if points.get("adoption", 100) < 60:
        actions.append(
            f"Broaden feature adoption (now {_pct(c.feature_adoption_pct)}): choose two "
            "features to roll out to more of your teams."
        )
    if points.get("logins", 100) < 60:
        actions.append("Bring more users back into the product: a short refresher session.")
    if points.get("tickets", 100) < 60:
        actions.append(
            f"Resolve the {c.open_tickets} open support tickets: review each with your team."
        )
    if c.days_until_renewal is not None and 0 <= c.days_until_renewal <= 120:
        actions.append(f"Plan the renewal together before {c.renewal_date:%B %d, %Y}.")
    actions.append("Agree an owner and a date for each action, and the date of our next review.")
    return Text("Actions to agree", ("Proposed for discussion in the review:",), tuple(actions))


def _how_to_read(ctx: ReportContext) -> Methodology:
    b = ctx.config.bands
    bands = (
        f"{BAND_LABELS['critical']} 0–{b.at_risk - 1}, {BAND_LABELS['at_risk']} "
        f"{b.at_risk}–{b.watch - 1}, {BAND_LABELS['watch']} {b.watch}–{b.healthy - 1}, "
        f"{BAND_LABELS['healthy']} {b.healthy}–{b.expansion - 1}, "
        f"{BAND_LABELS['expansion']} {b.expansion}–100"
    )
    return Methodology(
        weights=(),
        thresholds=bands,
        profiles=(),
        freshness=f"figures as of {ctx.as_of.isoformat()}",
        coverage="",
        notes=(
            "The health score (0–100) combines how your teams use the product, how widely "
            "its features are adopted, open support tickets and your feedback.",
        ),
        title="How to read this review",
    )
