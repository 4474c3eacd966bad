"""The typed report document every builder produces and every renderer consumes.

A builder turns service DTOs into a `ReportDocument`; the PDF and the CSV are both drawn
from that one object, so the two can never show different numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Cell = str | int | float | None
Format = Literal[
    "text", "int", "money", "score", "pct", "signed", "prob", "date", "band", "float1", "float3"
]


Audience = Literal["customer", "internal"]
AUDIENCES: tuple[Audience, ...] = ("customer", "internal")


@dataclass(frozen=True)
class Brand:
    """Company name, logo file and colours (hex '#rrggbb') printed on every report;
    `confidential` adds a "Confidential" mark to every page's footer."""

    company: str
    logo_path: str | None
    primary_color: str
    accent_color: str
    confidential: bool = False


@dataclass(frozen=True)
class ReportRequest:
    """What the user asked for. `audience` matters for the business review (QBR) only:
    "customer" (the default) leaves out everything internal."""

    kind: str
    as_of: dt.date
    manager: str | None = None
    customer_id: int | None = None
    qbr: bool = False
    audience: Audience = "customer"


@dataclass(frozen=True)
class Kpi:
    """One headline tile: label, formatted value, optional note; `raw` (with `fmt`) is
    what the CSV writes, and `key` names the portfolio headline it shows, if any."""

    label: str
    value: str
    note: str = ""
    raw: Cell = None
    fmt: Format = "text"
    key: str = ""


@dataclass(frozen=True)
class Series:
    """One named series of numbers for a chart."""

    name: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class Chart:
    """A vector chart: 'bar' (grouped), 'line' (over labels) or 'donut' (one series).

    A score chart sets `score_axis`: the value axis runs 0–100 with the health bands
    shaded behind the line, so a flat line near 58 reads as Watch, not as a cliff.
    """

    kind: Literal["bar", "line", "donut"]
    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    colors: tuple[str, ...] = ()
    value_format: str = "{:,.0f}"
    score_axis: bool = False
    #: Lower edges of At Risk, Watch, Healthy and Expansion (the configured bands).
    band_edges: tuple[int, int, int, int] = (25, 50, 65, 80)


@dataclass(frozen=True)
class Column:
    """A table column: header, relative width, value format, and whether it holds a band.

    Cells hold raw values (money in cents, shares 0-1); `fmt` says how the PDF shows them
    and the CSV writes them (see format.py), so both carry the same numbers.
    """

    header: str
    width: float
    fmt: Format = "text"
    band: bool = False

    @property
    def align(self) -> Literal["LEFT", "RIGHT"]:
        return "LEFT" if self.fmt in ("text", "band", "date") else "RIGHT"


@dataclass(frozen=True)
class Table:
    """A table of formatted cells; `bands[i]` colours row i (machine band name or '')."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    bands: tuple[str, ...] = ()
    empty_text: str = "Nothing to list."
    #: Printed under the table, e.g. "… and 31 more (the CSV lists them all)".
    note: str = ""


@dataclass(frozen=True)
class Text:
    """A heading with paragraphs or bullet points (customer text is escaped later);
    `boxed` sets it on a light panel (the executive summary)."""

    title: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    boxed: bool = False


@dataclass(frozen=True)
class PageBreak:
    """Start the next block on a new page (multi-page QBR documents)."""


Block = Chart | Table | Text | PageBreak


@dataclass(frozen=True)
class Methodology:
    """What a printed report needs for a later audit: settings and data used."""

    weights: tuple[tuple[str, str], ...]
    thresholds: str
    profiles: tuple[str, ...]
    freshness: str
    coverage: str
    notes: tuple[str, ...] = ()
    #: (name, definition) of each headline figure (services.portfolio.headlines).
    definitions: tuple[tuple[str, str], ...] = ()
    title: str = "Methodology"


@dataclass(frozen=True)
class ReportDocument:
    """A finished report: header facts, KPI tiles, blocks in order and the methodology."""

    kind: str
    title: str
    as_of: dt.date
    filter_text: str
    generated_at: dt.datetime
    kpis: tuple[Kpi, ...]
    blocks: tuple[Block, ...]
    methodology: Methodology
    subtitle: str = ""
    csv_tables: tuple[Table, ...] = field(default=())
    #: A word printed on every page beside the title ("Internal"), or "".
    marking: str = ""

    def tables(self) -> tuple[Table, ...]:
        """The tables the CSV carries (all of the document's tables unless overridden)."""
        if self.csv_tables:
            return self.csv_tables
        return tuple(b for b in self.blocks if isinstance(b, Table))
