"""Churn Risk: each open account's chance of churning within the horizon and why, and how
predictive the health score and the churn model have been on this portfolio's history.

The figures come from the churn model service (the fitted model, or the documented
prior when there is too little churn history), so this report, the customer window and
every other report show the same number for an account on a day.
"""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.model import (
    CONTENDER_LABELS,
    DEFAULT_HORIZON,
    ChurnEstimate,
    Quality,
    readings,
    verdict,
)
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import count_kpi, money_kpi
from iqcadence_desktop.services.reports.model import (
    Block,
    Chart,
    Column,
    Kpi,
    PageBreak,
    ReportDocument,
    Series,
    Table,
    Text,
)

TITLE = "Churn Risk"
HIGH = 0.5
#: The printed list stops here (a 10,000-row appendix helps nobody); the CSV has them all.
PDF_ROWS = 500
BUCKETS = (
    (0.0, 0.1, "< 10 %"),
    (0.1, 0.25, "10–25 %"),
    (0.25, 0.5, "25–50 %"),
    (0.5, 0.75, "50–75 %"),
    (0.75, 1.01, "≥ 75 %"),
)


def _columns(horizon: int) -> tuple[Column, ...]:
    return (
        Column("Customer", 3),
        Column("Manager", 1.5),
        Column("Score", 0.85, "score"),
        Column("Band", 1.1, "band", band=True),
        Column("MRR", 1.1, "money"),
        Column(f"Churn in {horizon} d", 0.95, "prob"),
        Column("MRR exposed", 1.1, "money"),
        Column("Main reasons", 2.8),
    )


def _row(c: CustomerDTO, e: ChurnEstimate) -> tuple[str | int | float | None, ...]:
    return (
        c.name,
        c.manager,
        c.score,
        c.status,
        c.mrr_cents,
        e.probability,
        round((c.mrr_cents or 0) * e.probability),
        e.top_reasons(),
    )


def build(ctx: ReportContext) -> ReportDocument:
    open_accounts = ctx.open_accounts()
    pairs = list(zip(open_accounts, ctx.churn_estimates(open_accounts), strict=True))
    pairs.sort(key=lambda p: (-p[1].probability, p[0].name.lower()))
    horizon = _horizon(ctx)
    blocks: list[Block] = [Text("How this is estimated", (ctx.churn_note(),))]
    blocks += [_bucket_chart(pairs, horizon), _table(_list_title(pairs), pairs[:PDF_ROWS], horizon)]
    blocks += _quality_blocks(ctx, horizon)
    return ReportDocument(
        "churn-risk",
        TITLE,
        ctx.as_of,
        ctx.filter_text(),
        ctx.generated_at,
        _kpis(pairs, horizon),
        tuple(blocks),
        ctx.methodology(ctx.churn_note()),
        subtitle=f"Every figure is the chance of churning within {horizon} days.",
        csv_tables=(_table("Accounts, highest risk first", pairs, horizon),),
    )


def _horizon(ctx: ReportContext) -> int:
    version = ctx.churn_version()
    return DEFAULT_HORIZON if version is None else version.horizon


def _kpis(pairs: list[tuple[CustomerDTO, ChurnEstimate]], horizon: int) -> tuple[Kpi, ...]:
    exposed = sum(round((c.mrr_cents or 0) * e.probability) for c, e in pairs)
    high = [p for p in pairs if p[1].probability >= HIGH]
    return (
        count_kpi("Accounts assessed", len(pairs)),
        count_kpi(f"High risk (≥ 50 % in {horizon} d)", len(high)),
        money_kpi(f"Expected MRR loss in {horizon} d", exposed, "sum of MRR × churn chance"),
    )


def _bucket_chart(pairs: list[tuple[CustomerDTO, ChurnEstimate]], horizon: int) -> Chart:
    return Chart(
        "bar",
        f"Accounts by chance of churning within {horizon} days",
        tuple(b[2] for b in BUCKETS),
        (
            Series(
                "Accounts",
                tuple(
                    float(sum(lo <= e.probability < hi for _, e in pairs)) for lo, hi, _ in BUCKETS
                ),
            ),
        ),
        ("#2e7d32", "#7cb342", "#b38f00", "#ef6c00", "#c62828"),
    )


def _list_title(pairs: list[tuple[CustomerDTO, ChurnEstimate]]) -> str:
    if len(pairs) <= PDF_ROWS:
        return "Accounts, highest risk first"
    return (
        f"The {PDF_ROWS} accounts with the highest risk (of {len(pairs):,}; the CSV lists "
        "every account)"
    )


def _table(title: str, pairs: list[tuple[CustomerDTO, ChurnEstimate]], horizon: int) -> Table:
    return Table(
        title,
        _columns(horizon),
        tuple(_row(c, e) for c, e in pairs),
        tuple(c.status for c, _ in pairs),
        "No open accounts to assess.",
    )


# -- how predictive is our score? --------------------------------------------------------
QUALITY_COLUMNS = (
    Column("", 2.4),
    Column("AUC", 0.9, "float3"),
    Column("Brier score", 1.0, "float3"),
    Column("Calibration error", 1.2, "float3"),
    Column("Top-decile lift", 1.1, "float1"),
    Column("Account-windows", 1.2, "int"),
)


def _quality_blocks(ctx: ReportContext, horizon: int) -> list[Block]:
    version = ctx.churn_version()
    quality = None if version is None else version.quality
    title = "How predictive is our score?"
    if quality is None:
        return [
            PageBreak(),
            Text(
                title,
                (
                    "There is not enough churn history to judge the health score yet. Once "
                    f"accounts have churned with {horizon} days of signals behind them, fit "
                    "the churn model on the Score Quality page to see it here.",
                ),
            ),
        ]
    return [
        PageBreak(),
        Text(title, (verdict(quality),), bullets=tuple(readings(quality))),
        _quality_table(quality),
        _reliability_chart(quality),
        _band_table(quality),
    ]


def _quality_table(q: Quality) -> Table:
    rows = tuple(
        (
            CONTENDER_LABELS[c.key],
            c.card.auc,
            c.card.brier,
            c.card.ece,
            c.card.lift,
            c.card.rows,
        )
        for c in q.contenders
    )
    return Table(
        f"On history: churn within {q.horizon} days, judged out of sample",
        QUALITY_COLUMNS,
        rows,
        (),
        "Nothing to judge yet.",
    )


def _reliability_chart(q: Quality) -> Chart:
    """Predicted against observed churn, by tenth of predicted chance (empty ones left out)."""
    model = q.contender("model") or q.contender("health")
    bins = [] if model is None else [r for r in model.reliability if r.rows]
    labels = tuple(f"{r.low:.0%}–{r.high:.0%}" for r in bins)
    return Chart(
        "bar",
        f"Reliability of the {CONTENDER_LABELS[model.key].lower() if model else 'model'}: "
        "predicted against observed churn (%)",
        labels,
        (
            Series("Predicted", tuple(100 * (r.mean_predicted or 0) for r in bins)),
            Series("Observed", tuple(100 * (r.observed_rate or 0) for r in bins)),
        ),
        ("#2f5bea", "#ef6c00"),
    )


def _band_table(q: Quality) -> Table:
    return Table(
        f"Churn within {q.horizon} days by the band accounts were in",
        (
            Column("Band", 2, "band", band=True),
            Column("Account-windows", 1.3, "int"),
            Column("Churned", 1, "int"),
            Column("Churn rate", 1, "prob"),
        ),
        tuple((b.band, b.accounts, b.churned, b.rate) for b in q.bands),
        tuple(b.band for b in q.bands),
        "No band history yet.",
    )
