"""Renders a `ReportDocument` as a branded PDF with reportlab platypus.

Every page carries a band in the brand colour (company, logo, title, as-of day and
filter) and a footer with "Page n of m" and the generation time. Tables are LongTables
with fixed column widths and a repeated header row, so thousands of rows split cleanly
across pages. reportlab is imported here only, and only when a PDF is made.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from iqcadence_desktop.services.reports.model import (
    Brand,
    Chart,
    Kpi,
    Methodology,
    PageBreak,
    ReportDocument,
    Table,
    Text,
)
from iqcadence_desktop.services.reports.render import charts
from iqcadence_desktop.services.reports.render.fonts import (
    BOLD,
    REGULAR,
    draw_runs,
    markup,
    register_base_fonts,
    runs,
    string_width,
)
from iqcadence_desktop.services.reports.render.tables import table_flowable

MARGIN = 36.0
FIRST_BAND = 78.0
LATER_BAND = 30.0
FOOTER = 24.0
CHART_HEIGHT = 170.0


def render_pdf(doc: ReportDocument, brand: Brand, out: Path | BinaryIO) -> int:
    """Write the PDF to a path or a binary file object; returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    register_base_fonts()
    pages: list[int] = []
    template = BaseDocTemplate(
        out if not isinstance(out, Path) else str(out),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=FOOTER + 14,
        title=doc.title,
        author=brand.company,
        subject=f"{doc.title} as of {doc.as_of.isoformat()}",
        creator="iQcadence Desktop",
    )
    width, height = A4[0] - 2 * MARGIN, A4[1]
    decorate = _decorator(doc, brand)

    def frame(name: str, band: float) -> Frame:
        bottom = FOOTER + 14
        return Frame(
            MARGIN,
            bottom,
            width,
            height - band - 14 - bottom,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    template.addPageTemplates(
        [
            PageTemplate(
                "first", [frame("first", FIRST_BAND)], onPage=decorate, autoNextPageTemplate="later"
            ),
            PageTemplate("later", [frame("later", LATER_BAND)], onPage=decorate),
        ]
    )
    template.build(build_story(doc, width), canvasmaker=_numbered_canvas(doc, brand, pages))
    return pages[0] if pages else 0


def build_story(doc: ReportDocument, width: float) -> list[Any]:
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    story: list[Any] = [Paragraph(markup(doc.title), st["title"])]
    if doc.subtitle:
        story.append(Paragraph(markup(doc.subtitle), st["muted"]))
    story.append(Spacer(1, 6))
    if doc.kpis:
        story += [kpi_tiles(doc.kpis, width), Spacer(1, 10)]
    for block in doc.blocks:
        if isinstance(block, PageBreak):
            story.append(RLPageBreak())
        elif isinstance(block, Chart) and not charts.has_data(block):
            story.append(
                Paragraph(
                    f"<b>{markup(block.title)}</b>: not enough stored data to chart yet.",
                    st["muted"],
                )
            )
        elif isinstance(block, Chart):
            story += [charts.draw(block, width, CHART_HEIGHT), Spacer(1, 10)]
        elif isinstance(block, Table):
            story += table_flowable(block, width, st)
        elif isinstance(block, Text):
            story += text_flowables(block, st)
    story += methodology_flowables(doc.methodology, width, st)
    return story


def styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=REGULAR, fontSize=9, leading=12)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle(
            "h2", base, fontName=BOLD, fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4
        ),
        "muted": ParagraphStyle("muted", base, textColor=HexColor("#5f6b7a")),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "kpi": ParagraphStyle("kpi", base, fontName=BOLD, fontSize=14, leading=17),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2),
    }


def kpi_tiles(kpis: tuple[Kpi, ...], width: float) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Paragraph
    from reportlab.platypus import Table as RLTable

    st = styles()
    per_row = min(len(kpis), 6)
    cells = [
        [
            Paragraph(markup(k.value), st["kpi"]),
            Paragraph(markup(k.label), st["muted"]),
            *([Paragraph(markup(k.note), st["small"])] if k.note else []),
        ]
        for k in kpis
    ]
    rows: list[list[Any]] = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    rows[-1] += [""] * (per_row - len(rows[-1]))
    table = RLTable(rows, colWidths=[width / per_row] * per_row)
    table.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), HexColor("#f4f6fa")),
            ("BOX", (0, 0), (-1, -1), 0.5, HexColor("#dde2ea")),
            ("INNERGRID", (0, 0), (-1, -1), 2, HexColor("#ffffff")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), 6),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    return table


def text_flowables(block: Text, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import Paragraph

    out: list[Any] = [Paragraph(markup(block.title), st["h2"])] if block.title else []
    out += [Paragraph(markup(p), st["body"]) for p in block.paragraphs]
    out += [Paragraph(markup(b), st["bullet"], bulletText="•") for b in block.bullets]
    return out


def methodology_flowables(m: Methodology, width: float, st: dict[str, Any]) -> list[Any]:
    from reportlab.platypus import CondPageBreak, Paragraph

    weights = ", ".join(f"{name} {value}" for name, value in m.weights)
    lines = [
        f"<b>Weights:</b> {markup(weights)}",
        f"<b>Bands:</b> {markup(m.thresholds)}",
        f"<b>Profiles:</b> {markup('; '.join(m.profiles) or 'none (default weights only)')}",
        f"<b>Data freshness:</b> {markup(m.freshness)}",
        f"<b>Coverage:</b> {markup(m.coverage)}",
    ]
    lines += [markup(n) for n in m.notes]
    return [
        CondPageBreak(120),
        Paragraph("Methodology", st["h2"]),
        *[Paragraph(line, st["small"]) for line in lines],
    ]


def _decorator(doc: ReportDocument, brand: Brand) -> Callable[[Any, Any], None]:
    def decorate(canvas: Any, template: Any) -> None:
        first = canvas.getPageNumber() == 1
        _draw_band(canvas, doc, brand, first)

    return decorate


def _draw_band(canvas: Any, doc: ReportDocument, brand: Brand, first: bool) -> None:
    from reportlab.lib.colors import HexColor, white

    w, h = canvas._pagesize
    band = FIRST_BAND if first else LATER_BAND
    canvas.saveState()
    canvas.setFillColor(HexColor(brand.primary_color))
    canvas.rect(0, h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor(brand.accent_color))
    canvas.rect(0, h - band - 3, w, 3, stroke=0, fill=1)
    canvas.setFillColor(white)
    x = MARGIN
    if first and brand.logo_path:
        x += _draw_logo(canvas, brand.logo_path, MARGIN, h - band + 14, band - 28) + 10
    room = w - MARGIN - x
    if first:
        _fit_string(canvas, x, h - 32, brand.company, BOLD, 15, room)
        _fit_string(canvas, x, h - 49, doc.title, REGULAR, 10, room)
        meta = f"As of {doc.as_of.isoformat()} · {doc.filter_text}"
        _fit_string(canvas, x, h - 64, meta, REGULAR, 8.5, room)
    else:
        line = f"{brand.company} · {doc.title} · as of {doc.as_of.isoformat()}"
        _fit_string(canvas, MARGIN, h - 19, line, REGULAR, 9, w - 2 * MARGIN)
    canvas.restoreState()


def _fit_string(
    canvas: Any, x: float, y: float, text: str, font: str, size: float, room: float
) -> None:
    """Draw `text` (each script in a font that has it), shrinking it down to 6 pt and
    then shortening it to fit `room`."""
    while size > 6 and string_width(runs(text), font, size) > room:
        size -= 0.5
    while len(text) > 1 and string_width(runs(text), font, size) > room:
        text = text[:-2] + "…"
    draw_runs(canvas, x, y, text, font, size)


def _draw_logo(canvas: Any, path: str, x: float, y: float, size: float) -> float:
    """Draw the logo in a `size`-high box keeping its aspect; returns the width used."""
    from reportlab.lib.utils import ImageReader

    image = ImageReader(path)
    iw, ih = image.getSize()
    width = size * iw / ih if ih else size
    canvas.drawImage(image, x, y, width, size, mask="auto", preserveAspectRatio=True)
    return width


def _numbered_canvas(doc: ReportDocument, brand: Brand, pages: list[int]) -> Any:
    """A canvas that holds pages back until the end so the footer can say 'of m'."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfgen.canvas import Canvas

    generated = doc.generated_at.strftime("%Y-%m-%d %H:%M UTC")

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (reportlab's name)
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            pages.append(total)
            for state in self._saved:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            w = self._pagesize[0]
            self.saveState()
            left = f"{brand.company} · Generated {generated}"
            self.setFillColor(HexColor("#5f6b7a"))
            draw_runs(self, MARGIN, FOOTER, left, REGULAR, 7.5)
            self.setFont(REGULAR, 7.5)
            self.drawRightString(w - MARGIN, FOOTER, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas
