"""Pieces several reports share: band charts, account tables, small aggregates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.portfolio import Headlines
from iqcadence_desktop.services.reports.model import Chart, Column, Format, Kpi, Series, Table
from iqcadence_desktop.services.reports.render.format import money, signed
from iqcadence_desktop.services.reports.render.tables import BAND_COLORS
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS, UNSCORED, ScoringConfig

ALL_BANDS: tuple[str, ...] = (*BANDS, UNSCORED)


def band_edges(config: ScoringConfig) -> tuple[int, int, int, int]:
    """The configured lower edges of At Risk, Watch, Healthy and Expansion (score charts
    shade their bands with these)."""
    b = config.bands
    return b.at_risk, b.watch, b.healthy, b.expansion


def band_counts(customers: Iterable[CustomerDTO]) -> dict[str, int]:
    counts = dict.fromkeys(ALL_BANDS, 0)
    for c in customers:
        counts[c.status] = counts.get(c.status, 0) + 1
    return counts


def band_donut(customers: Sequence[CustomerDTO], title: str = "Accounts by band") -> Chart:
    counts = band_counts(customers)
    shown = [b for b in ALL_BANDS if counts[b] or b != UNSCORED]
    return Chart(
        "donut",
        title,
        tuple(BAND_LABELS[b] for b in shown),
        (Series("Accounts", tuple(float(counts[b]) for b in shown)),),
        tuple(BAND_COLORS[b] for b in shown),
    )


def average_score(customers: Iterable[CustomerDTO]) -> float | None:
    scores = [c.score for c in customers if c.score is not None]
    return sum(scores) / len(scores) if scores else None


def mrr(customers: Iterable[CustomerDTO]) -> int:
    return sum(c.mrr_cents or 0 for c in customers)


def score_text(score: float | None) -> str:
    return "—" if score is None else str(int(score + 0.5))


def money_kpi(label: str, cents: int, note: str = "") -> Kpi:
    return Kpi(label, money(cents), note, cents, "money")


def count_kpi(label: str, n: int, note: str = "") -> Kpi:
    return Kpi(label, f"{n:,}", note, n, "int")


def score_kpi(label: str, score: float | None, note: str = "") -> Kpi:
    return Kpi(label, score_text(score), note, score, "score")


def change_kpi(label: str, change: float | None, note: str = "points", digits: int = 0) -> Kpi:
    """A change in points; portfolio averages move slowly, so they show one decimal."""
    return Kpi(label, signed(change, digits), note, change, "signed")


_FORMATS: dict[str, Format] = {"int": "int", "money": "money", "score": "score"}


def headline_kpi(h: Headlines, key: str, label: str = "", note: str = "") -> Kpi:
    """A tile showing one portfolio headline, exactly as services.portfolio defines it."""
    line = h.get(key)
    fmt = _FORMATS[line.fmt]
    value = line.value
    if fmt == "money":
        shown = money(value)
    elif fmt == "score":
        shown = score_text(value)
    else:
        shown = f"{int(value or 0):,}"
    return Kpi(label or line.label, shown, note, value, fmt, key)


ACCOUNT_COLUMNS: tuple[Column, ...] = (
    Column("Customer", 3.2),
    Column("Manager", 1.6),
    Column("Score", 0.8, "score"),
    Column("Band", 1.1, "band", band=True),
    Column("MRR", 1.1, "money"),
    Column("Renewal", 1.2, "date"),
    Column("Days quiet", 0.9, "int"),
    Column("7-day change", 0.9, "signed"),
    Column("Priority", 0.9, "float1"),
)


def account_row(c: CustomerDTO) -> tuple[str | int | float | None, ...]:
    renewal = c.renewal_date.isoformat() if c.renewal_date else None
    return (
        c.name,
        c.manager,
        c.score,
        c.status,
        c.mrr_cents,
        renewal,
        c.days_since_contact,
        c.momentum,
        c.priority,
    )


def account_table(
    title: str, customers: Sequence[CustomerDTO], empty_text: str = "No accounts to list."
) -> Table:
    return Table(
        title,
        ACCOUNT_COLUMNS,
        tuple(account_row(c) for c in customers),
        tuple(c.status for c in customers),
        empty_text,
    )


#: A printed list stops here (a 3,000-row appendix helps nobody); the CSV has every row.
PDF_ROWS = 500


def capped(table: Table, limit: int = PDF_ROWS) -> Table:
    """The table as printed: its first `limit` rows and a note saying how many more the
    CSV holds (the table unchanged when it is short enough)."""
    if len(table.rows) <= limit:
        return table
    more = len(table.rows) - limit
    return replace(
        table,
        rows=table.rows[:limit],
        bands=table.bands[:limit],
        note=f"… and {more:,} more (the CSV lists all {len(table.rows):,}).",
    )


def by_priority(customers: Iterable[CustomerDTO]) -> list[CustomerDTO]:
    """Most urgent first: priority, then lower score, then name (stable for tests)."""
    return sorted(
        customers,
        key=lambda c: (-c.priority, c.score if c.score is not None else 101.0, c.name.lower()),
    )
