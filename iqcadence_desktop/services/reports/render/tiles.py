"""KPI tiles: one row of headline numbers, each on one line whatever its size."""

from __future__ import annotations

from typing import Any

from iqcadence_desktop.services.reports.model import Brand, Kpi
from iqcadence_desktop.services.reports.render.colour import readable_on, tint
from iqcadence_desktop.services.reports.render.fonts import (
    BOLD,
    markup,
    needs_fallback,
    register_cjk_font,
)


def _bold_for(text: str) -> str:
    return register_cjk_font() if needs_fallback(text) else BOLD


#: Largest and smallest size of a tile's number, and the tiles' inner padding.
KPI_SIZE, KPI_MIN_SIZE, TILE_PADDING = 14.0, 8.0, 6.0


def fit_value(k: Kpi, room: float) -> tuple[str, float]:
    """A tile's value and the font size at which it fits on one line: a number is never
    broken across lines; past the smallest size, money is shortened ($38.0M)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = k.value
    for _ in range(2):
        wide = stringWidth(text, _bold_for(text), KPI_SIZE)
        size = KPI_SIZE if wide <= room else KPI_SIZE * room / wide
        if size >= KPI_MIN_SIZE:
            return text, size
        if k.fmt != "money" or k.raw is None:
            break
        text = compact_money(float(k.raw))
    return text, KPI_MIN_SIZE


def kpi_tiles(kpis: tuple[Kpi, ...], width: float, brand: Brand) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    from iqcadence_desktop.services.reports.render.pdf import styles

    st = styles()
    per_row = min(len(kpis), 6)
    fill = tint(brand.primary_color, 0.92)
    ink = readable_on(brand.primary_color, fill)
    room = width / per_row - 2 * TILE_PADDING
    cells = []
    for k in kpis:
        text, size = fit_value(k, room)
        value = ParagraphStyle(
            f"kpi-{size:.2f}", st["kpi"], fontSize=size, leading=size + 3, textColor=HexColor(ink)
        )
        cells.append(
            [
                Paragraph(markup(text), value),
                Paragraph(markup(k.label), st["muted"]),
                *([Paragraph(markup(k.note), st["small"])] if k.note else []),
            ]
        )
    rows: list[list[Any]] = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = RLTable(rows, colWidths=[width / per_row] * per_row)
    table.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(fill)),
            ("BOX", (0, 0), (-1, -1), 0.5, HexColor(tint(brand.primary_color, 0.75))),
            ("INNERGRID", (0, 0), (-1, -1), 2, HexColor("#ffffff")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), TILE_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), TILE_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return table


def compact_money(cents: float) -> str:
    """$38.0M, $412k: for a tile too narrow for the whole amount."""
    units = cents / 100
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(units) >= size:
            return f"${units / size:,.1f}{suffix}"
    return f"${units:,.0f}"
