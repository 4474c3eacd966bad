"""Colour-coded report tables as reportlab LongTables.

Column widths are fixed from the block's relative widths (no auto-sizing, which is slow
and unstable on long tables) and the header row repeats on every page. Plain cells stay
plain strings, which is what keeps a 10,000-row table fast; only a cell that needs the
CJK fallback font or would overflow its column becomes a wrapping Paragraph.
"""

from __future__ import annotations

from typing import Any

from iqcadence_desktop.services.reports.model import Cell, Column, Table
from iqcadence_desktop.services.reports.render.colour import text_on
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
MIN_HEADER_SIZE = 5.5
STRIPE_COLOR = "#f4f6fa"


def table_flowable(
    block: Table, width: float, st: dict[str, Any], header_fill: str = HEADER_COLOR
) -> list[Any]:
    """Heading + LongTable (or the block's empty text) for one `Table` block; the header
    row is filled with `header_fill` (the brand colour) and its text picked to read."""
    from reportlab.platypus import Paragraph

    out: list[Any] = [Paragraph(markup(block.title), st["h2"])] if block.title else []
    if not block.rows:
        return [*out, Paragraph(markup(block.empty_text), st["muted"])]
    total = sum(c.width for c in block.columns)
    widths = [width * c.width / total for c in block.columns]
    size = header_size(block.columns, widths)
    header = [
        Paragraph(f"<b>{markup(c.header)}</b>", _header_style(st, c.align, size, header_fill))
        for c in block.columns
    ]
    body = [_row(r, block.columns, widths, st) for r in block.rows]
    table = _long_table([header, *body], widths, block, header_fill)
    note = [Paragraph(markup(block.note), st["muted"])] if block.note else []
    if len(block.rows) <= KEEP_TOGETHER_ROWS:  # a short table is not worth splitting
        from reportlab.platypus import KeepTogether

        return [KeepTogether([*out, table, *note])]
    return [*out, table, *note]


def header_size(columns: tuple[Column, ...], widths: list[float]) -> float:
    """The header font size at which every word of every header fits its column, so a
    header wraps between words ("Average / score"), never inside one ("Expansio/n")."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = FONT_SIZE
    for column, width in zip(columns, widths, strict=True):
        room = width - 2 * PADDING
        for word in column.header.split():
            widest = stringWidth(word, BOLD, FONT_SIZE)
            if widest > room:
                size = min(size, FONT_SIZE * room / widest)
    return max(MIN_HEADER_SIZE, size)


def _header_style(st: dict[str, Any], align: str, size: float, fill: str) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    alignment = {"LEFT": 0, "CENTER": 1, "RIGHT": 2}[align]
    return ParagraphStyle(
        f"th-{align}-{size:.2f}-{fill}",
        st["cell"],
        fontSize=size,
        leading=size + 1.5,
        textColor=HexColor(text_on(fill)),
        alignment=alignment,
        splitLongWords=False,
    )


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


def _long_table(data: list[list[Any]], widths: list[float], block: Table, fill: str) -> Any:
    from reportlab.lib.colors import HexColor, white
    from reportlab.platypus import LongTable

    heights = [
        None if any(not isinstance(c, str) for c in row) else PLAIN_ROW_HEIGHT for row in data
    ]
    table = LongTable(data, colWidths=widths, rowHeights=heights, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, FONT_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), BOLD, FONT_SIZE, LEADING),
        ("BACKGROUND", (0, 0), (-1, 0), HexColor(fill)),
        ("TEXTCOLOR", (0, 0), (-1, 0), HexColor(text_on(fill))),
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
    """Each band column filled with the band colour, its text dark or white, whichever
    reads better (WCAG); runs of equal bands merged into one style command."""
    from reportlab.lib.colors import HexColor

    columns = [i for i, c in enumerate(block.columns) if c.band]
    out: list[tuple[Any, ...]] = []
    start = 0
    for row in range(1, len(block.bands) + 1):
        band = block.bands[row - 1]
        if row == len(block.bands) or block.bands[row] != band:
            colour = BAND_COLORS.get(band)
            if colour is not None:
                ink = HexColor(text_on(colour))
                for col in columns:
                    out.append(("BACKGROUND", (col, start + 1), (col, row), HexColor(colour)))
                    out.append(("TEXTCOLOR", (col, start + 1), (col, row), ink))
            start = row
    return out
