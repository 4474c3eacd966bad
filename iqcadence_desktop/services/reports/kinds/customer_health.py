"""Customer Health: one account's score taken apart; with `qbr`, a business-review pack."""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO, Explanation, SnapshotDTO
from iqcadence_desktop.services.model import ChurnEstimate
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds import qbr, qbr_customer
from iqcadence_desktop.services.reports.kinds.common import (
    band_edges,
    change_kpi,
    money_kpi,
    score_kpi,
)
from iqcadence_desktop.services.reports.kinds.history_rows import customer_history
from iqcadence_desktop.services.reports.model import (
    Block,
    Cell,
    Chart,
    Column,
    Kpi,
    ReportDocument,
    Series,
    Table,
    Text,
)
from iqcadence_desktop.services.reports.render.format import money, signed
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS, TIER_LABELS

TITLE = "Customer Health"
DAYS = 90
SIGNAL_COLUMNS = (
    Column("Signal", 2),
    Column("Value", 1, "text"),
    Column("Points", 0.9, "float1"),
    Column("Weight", 0.9, "pct"),
    Column("Contribution", 1, "float1"),
)
FACT_COLUMNS = (Column("Field", 1.4), Column("Value", 4))
FACTOR_COLUMNS = (
    Column("Factor", 1.6),
    Column("Effect (log-odds)", 1.1, "float1"),
    Column("Why", 3),
)


def build(ctx: ReportContext) -> ReportDocument:
    if ctx.request.customer_id is None:
        raise ValueError("customer-health needs a customer")
    ex = ctx.customer_service.explain(ctx.request.customer_id, ctx.as_of)
    c = ex.customer
    qbr_pack = ctx.request.qbr
    history = customer_history(
        ctx.customer_service, c.id, ctx.as_of, qbr.DAYS if qbr_pack else DAYS
    )
    if qbr_pack and ctx.request.audience == "customer":
        return qbr_customer.build(ctx, ex, history)
    churn = ctx.churn_estimates([c])[0]
    blocks: list[Block] = [
        score_chart(history, band_edges(ctx.config)),
        signal_table(ex),
        changes_text(ex),
        facts_table(c),
        factors_table(churn),
    ]
    if qbr_pack:
        blocks += qbr.sections(ex, churn, history, ctx.alerts(c.id), ctx.notes(c.id), ctx.as_of)
    return ReportDocument(
        "customer-health",
        f"{'Business Review' if qbr_pack else TITLE}: {c.name}",
        ctx.as_of,
        ctx.filter_text(c.name),
        ctx.generated_at,
        kpis(c, churn),
        tuple(blocks),
        ctx.methodology(*_notes(c), ctx.churn_note(), definitions=False),
        subtitle=INTERNAL_NOTE if qbr_pack else "",
        marking="Internal" if qbr_pack else "",
    )


INTERNAL_NOTE = (
    "Internal version: churn risk, notes, tags and talking points for your own "
    "preparation. Send the customer version (the default) to the customer."
)


def _notes(c: CustomerDTO) -> tuple[str, ...]:
    profile = c.scoring_profile or "default weights"
    notes = [
        f"This account is scored with: {profile}.",
    ]
    if c.manual_score:
        notes.append("The score is a manual override; signals are shown for reference.")
    return tuple(notes)


def kpis(c: CustomerDTO, churn: ChurnEstimate) -> tuple[Kpi, ...]:
    renewal = "—" if c.days_until_renewal is None else f"{c.days_until_renewal:,} days"
    return (
        score_kpi("Health score", c.score, BAND_LABELS[c.status] + " (manual)" * c.manual_score),
        Kpi("Coverage", f"{c.coverage:.0%}", "of the configured weight", c.coverage, "pct"),
        change_kpi("7-day change", c.momentum),
        money_kpi("MRR", c.mrr_cents or 0, f"ARR {money(c.arr_cents)}"),
        Kpi(
            "Renewal in",
            renewal,
            c.renewal_date.isoformat() if c.renewal_date else "",
            c.days_until_renewal,
            "int",
        ),
        Kpi(
            f"Churn in {churn.horizon_days} d",
            f"{churn.probability:.0%}",
            churn.top_reasons(),
            churn.probability,
            "prob",
        ),
    )


def score_chart(history: list[SnapshotDTO], edges: tuple[int, int, int, int]) -> Chart:
    return Chart(
        "line",
        f"Health score (stored days: {len(history)})",
        tuple(p.day.strftime("%b %d") for p in history),
        (Series("Score", tuple(p.score or 0.0 for p in history)),),
        score_axis=True,
        band_edges=edges,
    )


def signal_table(ex: Explanation) -> Table:
    rows: list[tuple[Cell, ...]] = [
        (
            SIGNAL_LABELS[c.signal],
            "—" if c.value is None else str(c.value),
            c.points,
            c.effective_weight,
            c.contribution,
        )
        for c in ex.result.contributions
        if c.weight > 0
    ]
    factors = ex.result.factors if not ex.result.manual else ()
    if factors:  # the signal-model factors that adjusted the weighted average
        rows.append(("Weighted average", "", None, None, ex.result.weighted_average))
        rows += [(f"{f.label}: {f.detail}", "", None, None, f.points) for f in factors]
    return Table("Signal breakdown", SIGNAL_COLUMNS, tuple(rows))


def changes_text(ex: Explanation) -> Text:
    if ex.previous_day is None:
        return Text("What changed", ("No earlier snapshot to compare with yet.",))
    text = ex.change_text() or "0"
    return Text(
        "What changed",
        (f"Since {ex.previous_day.isoformat()}: {text}.",),
        tuple(
            f"{SIGNAL_LABELS[ch.signal]}: {signed(ch.delta)} points"
            for ch in ex.changes
            if round(ch.delta) != 0
        ),
    )


def facts_table(c: CustomerDTO) -> Table:
    rows: list[tuple[str, str]] = [
        ("Customer", c.name),
        ("Id", c.display_id),
        ("External id", c.external_id or "—"),
        ("Manager", c.manager or "—"),
        ("Tier", TIER_LABELS.get(c.tier or "", "—")),
        ("Lifecycle", c.lifecycle),
        ("Scoring profile", c.scoring_profile or "default"),
        ("Last contact", f"{c.last_contact_date or '—'} ({c.cadence_status.replace('_', ' ')})"),
        ("Renewal", f"{c.renewal_date or '—'} ({c.renewal_window})"),
        ("Tags", ", ".join(c.tags) or "—"),
        ("Sentiment", c.sentiment or "—"),
        ("Note", c.note or "—"),
    ]
    return Table("Account", FACT_COLUMNS, tuple(rows))


def factors_table(churn: ChurnEstimate) -> Table:
    return Table(
        f"Chance of churning within {churn.horizon_days} days {churn.probability:.0%}: "
        "contributing factors (log-odds)",
        FACTOR_COLUMNS,
        tuple((f.name, f.effect, f.detail) for f in churn.factors),
        empty_text="No factor stands out.",
    )
