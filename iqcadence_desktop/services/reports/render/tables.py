"""Colour-coded report tables as reportlab LongTables.

Column widths are fixed from the block's relative widths (no auto-sizing, which is slow
and unstable on long tables) and the header row repeats on every page. Plain cells stay
plain strings, which is what keeps a 10,000-row table fast; only a cell that needs the
CJK fallback font or would overflow its column becomes a wrapping Paragraph.
"""

from __future__ import annotations

from typing import Any

from iqcadence_desktop.services.reports.model import Cell, Column, Table
from iqcadence_desktop.services.reports.render.fonts import BOLD, REGULAR, markup, needs_fallback
from iqcadence_desktop.services.reports.render.format import show

BAND_COLORS: dict[str, str] = {
    "critical": "#c62828",
    "at_risk": "#ef6c00",
    "watch": "#b38f00",
    "healthy": "#2e7d32",
    "expansion": "#1565c0",
    "unscored": "#757575",
}
FONT_SIZE = 7.5
LEADING = 9.0
V_PADDING = 2.0
#: Height of a row of plain one-line cells. Giving it up front matters: reportlab measures
#: unknown row heights with a scan that is quadratic in the row count.
PLAIN_ROW_HEIGHT = LEADING + 2 * V_PADDING
PADDING = 3.0
KEEP_TOGETHER_ROWS = 15
HEADER_COLOR = "#1f2430"
STRIPE_COLOR = "#f4f6fa"


def table_flowable(block: Table, width: float, st: dict[str, Any]) -> list[Any]:
    """Heading + LongTable (or the block's empty text) for one `Table` block."""
    from reportlab.platypus import Paragraph

    out: list[Any] = [Paragraph(markup(block.title), st["h2"])] if block.title else []
    if not block.rows:
        return [*out, Paragraph(markup(block.empty_text), st["muted"])]
    total = sum(c.width for c in block.columns)
    widths = [width * c.width / total for c in block.columns]
    header = [
        Paragraph(f"<b>{markup(c.header)}</b>", _header_style(st, c.align)) for c in block.columns
    ]
    body = [_row(r, block.columns, widths, st) for r in block.rows]
    table = _long_table([header, *body], widths, block)
    if len(block.rows) <= KEEP_TOGETHER_ROWS:  # a short table is not worth splitting
        from reportlab.platypus import KeepTogether

        return [KeepTogether([*out, table])]
    return [*out, table]


def _header_style(st: dict[str, Any], align: str) -> Any:
    from reportlab.lib.colors import white
    from reportlab.lib.styles import ParagraphStyle

    alignment = {"LEFT": 0, "CENTER": 1, "RIGHT": 2}[align]
    return ParagraphStyle(f"th-{align}", st["cell"], textColor=white, alignment=alignment)


#: Formats whose cells are numbers: they shrink to fit, they never break over two lines.
NUMERIC_FORMATS = frozenset({"int", "money", "score", "pct", "signed", "prob", "float1"})


def _row(
    cells: tuple[Cell, ...], columns: tuple[Column, ...], widths: list[float], st: dict[str, Any]
) -> list[Any]:
    return [
        _cell(show(v, c.fmt), w, st, c.fmt in NUMERIC_FORMATS)
        for v, c, w in zip(cells, columns, widths, strict=True)
    ]


def _cell(text: str, width: float, st: dict[str, Any], numeric: bool = False) -> Any:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph

    room = width - 2 * PADDING
    # Fast path for most cells: no DejaVu glyph is wider than 1 em, so short ASCII fits.
    if text.isascii() and len(text) * FONT_SIZE <= room:
        return text
    wide = stringWidth(text, REGULAR, FONT_SIZE)
    if numeric and wide > room:
        return Paragraph(text, _shrunk(st["cell"], FONT_SIZE * room / wide))
    if needs_fallback(text) or wide > room:
        return Paragraph(markup(text), st["cell"])
    return text


def _shrunk(base: Any, size: float) -> Any:
    """The cell style at a smaller size, so a long number stays on one line."""
    from reportlab.lib.styles import ParagraphStyle

    size = max(4.0, size - 0.1)
    return ParagraphStyle(f"cell-{size:.1f}", base, fontSize=size, leading=size * 1.2)


def _long_table(data: list[list[Any]], widths: list[float], block: Table) -> Any:
    from reportlab.lib.colors import HexColor, white
    from reportlab.platypus import LongTable

    heights = [
        None if any(not isinstance(c, str) for c in row) else PLAIN_ROW_HEIGHT for row in data
    ]
    table = LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, FONT_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, FONT_SIZE, LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(HEADER_COLOR)),
        ("TEXTCOLOR", (0, 0), (-1, 0), white),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, HexColor(STRIPE_COLOR)]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, HexColor("#dde2ea")),  # stripes do the rest
        ("TOPPADDING", (0, 0), (-1, -1), V_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), V_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]
    for i, col in enumerate(block.columns):
        if col.align != "LEFT":
            style.append(("ALIGN", (i, 1), (i, -1), col.align))
    style += _band_styles(block)
    table.setStyle(style)
    return table


def _band_styles(block: Table) -> list[tuple[Any, ...]]:
    """White text on the band colour in each band column; runs of equal bands merged."""
    from reportlab.lib.colors import HexColor, white

    columns = [i for i, c in enumerate(block.columns) if c.band]
    out: list[tuple[Any, ...]] = []
    start = 0
    for row in range(1, len(block.bands) + 1):
        band = block.bands[row - 1]
        if row == len(block.bands) or block.bands[row] != band:
            colour = BAND_COLORS.get(band)
            for col in columns if colour else ():
                out.append(("BACKGROUND", (col, start + 1), (col, row), HexColor(colour)))
                out.append(("TEXTCOLOR", (col, start + 1), (col, row), white))
            start = row
    return out
