"""Renders a `ReportDocument` as a branded PDF with reportlab platypus.

Every page carries a band in the brand colour (company, logo, title, as-of day and
filter) and a footer with "Page n of m" and the generation time. Tables are LongTables
with fixed column widths and a repeated header row, so thousands of rows split cleanly
across pages. reportlab is imported here only, and only when a PDF is made.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO

from iqcadence_desktop.services.reports.model import (
    Block,
    Brand,
    Chart,
    Methodology,
    PageBreak,
    ReportDocument,
    Table,
    Text,
)
from iqcadence_desktop.services.reports.render import charts
from iqcadence_desktop.services.reports.render.colour import tint
from iqcadence_desktop.services.reports.render.fonts import (
    BOLD,
    REGULAR,
    markup,
    register_base_fonts,
)
from iqcadence_desktop.services.reports.render.page_frame import (
    FIRST_BAND,
    FOOTER,
    LATER_BAND,
    MARGIN,
    MUTED,
    decorator,
    numbered_canvas,
)
from iqcadence_desktop.services.reports.render.tables import KEEP_TOGETHER_ROWS, table_flowable
from iqcadence_desktop.services.reports.render.tiles import kpi_tiles

DEFAULT_LOOK = Brand("iQcadence", None, "#1f3a68", "#2f5bea")
CHART_HEIGHT = 170.0


def render_pdf(doc: ReportDocument, brand: Brand, out: Path | BinaryIO) -> int:
    """Write the PDF to a path or a binary file object; returns the number of pages.

    If the methodology would start a page of its own at the end, the report is laid out
    again with the last rows (or the last block) kept together with it. Each pass is
    rendered in memory, so a file object receives one whole document.
    """
    marks: dict[str, int] = {}
    buffer = io.BytesIO()
    pages = _build(doc, brand, buffer, marks, glue=False)
    if marks.get("methodology", 0) > marks.get("content_end", 0):
        marks.clear()
        buffer = io.BytesIO()
        pages = _build(doc, brand, buffer, marks, glue=True)
    if isinstance(out, Path):
        out.write_bytes(buffer.getvalue())
    else:
        out.write(buffer.getvalue())
    return pages


def _build(
    doc: ReportDocument, brand: Brand, out: BinaryIO, marks: dict[str, int], glue: bool
) -> int:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    register_base_fonts()
    pages: list[int] = []
    template = BaseDocTemplate(
        out,
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
    decorate = decorator(doc, brand)

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
    story = build_story(doc, width, brand, marks, glue)
    template.build(story, canvasmaker=numbered_canvas(doc, brand, pages))
    return pages[0] if pages else 0


def build_story(
    doc: ReportDocument,
    width: float,
    brand: Brand = DEFAULT_LOOK,
    marks: dict[str, int] | None = None,
    glue: bool = False,
) -> list[Any]:
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    story: list[Any] = [Paragraph(markup(doc.title), st["title"])]
    if doc.subtitle:
        story.append(Paragraph(markup(doc.subtitle), st["muted"]))
    story.append(Spacer(1, 6))
    if doc.kpis:
        story += [kpi_tiles(doc.kpis, width, brand), Spacer(1, 10)]
    blocks = list(doc.blocks)
    tail: list[Any] = []
    if glue and blocks:
        blocks, last = blocks[:-1], blocks[-1]
        tail = _block_flowables(_tail_block(last), width, brand, st) if last else []
        if isinstance(last, Table) and len(last.rows) > KEEP_TOGETHER_ROWS:
            blocks.append(_head_block(last))
    for block in blocks:
        story += _block_flowables(block, width, brand, st)
    marks = {} if marks is None else marks
    story.append(_PageMark("content_end", marks))
    appendix = [_PageMark("methodology", marks), *methodology_flowables(doc.methodology, st)]
    if glue:
        from reportlab.platypus import KeepTogether

        return [*story, KeepTogether([*tail, *appendix])]
    from reportlab.platypus import CondPageBreak

    return [*story, CondPageBreak(120), *appendix]


#: Rows of a long last table kept on the methodology's page (see render_pdf).
GLUED_ROWS = 6


def _head_block(table: Table) -> Table:
    return replace(table, rows=table.rows[:-GLUED_ROWS], bands=table.bands[:-GLUED_ROWS], note="")


def _tail_block(block: Block) -> Block | None:
    """What of the last block goes with the methodology: a long table's last rows
    (header repeated, no title), anything else whole."""
    if isinstance(block, Table) and len(block.rows) > KEEP_TOGETHER_ROWS:
        return replace(
            block, title="", rows=block.rows[-GLUED_ROWS:], bands=block.bands[-GLUED_ROWS:]
        )
    return block


def _block_flowables(
    block: Block | None, width: float, brand: Brand, st: dict[str, Any]
) -> list[Any]:
    from reportlab.platypus import PageBreak as RLPageBreak
    from reportlab.platypus import Paragraph, Spacer

    if block is None:
        return []
    if isinstance(block, PageBreak):
        return [RLPageBreak()]
    if isinstance(block, Chart) and not charts.has_data(block):
        return [
            Paragraph(
                f"<b>{markup(block.title)}</b>: not enough stored data to chart yet.", st["muted"]
            )
        ]
    if isinstance(block, Chart):
        palette = charts.brand_palette(brand.primary_color, brand.accent_color)
        return [charts.draw(block, width, CHART_HEIGHT, palette), Spacer(1, 10)]
    if isinstance(block, Table):
        return table_flowable(block, width, st, brand.primary_color)
    return text_flowables(block, st, width, brand)


class _PageMark:
    """A zero-size flowable that notes the page it lands on (see render_pdf)."""

    def __new__(cls, name: str, marks: dict[str, int]) -> Any:
        from reportlab.platypus.flowables import Flowable

        class Mark(Flowable):  # type: ignore[misc]
            def wrap(self, *_args: Any) -> tuple[float, float]:
                return 0.0, 0.0

            def draw(self) -> None:
                marks[name] = self.canv.getPageNumber()

        return Mark()


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
        "muted": ParagraphStyle("muted", base, textColor=HexColor(MUTED)),
        "small": ParagraphStyle("small", base, fontSize=7.5, leading=9.5),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9),
        "kpi": ParagraphStyle("kpi", base, fontName=BOLD, fontSize=14, leading=17),
        "bullet": ParagraphStyle("bullet", base, leftIndent=12, bulletIndent=2),
    }


def text_flowables(
    block: Text, st: dict[str, Any], width: float = 0.0, brand: Brand = DEFAULT_LOOK
) -> list[Any]:
    from reportlab.platypus import Paragraph

    out: list[Any] = [Paragraph(markup(block.title), st["h2"])] if block.title else []
    out += [Paragraph(markup(p), st["body"]) for p in block.paragraphs]
    out += [Paragraph(markup(b), st["bullet"], bulletText="•") for b in block.bullets]
    if not block.boxed or not width:
        return out
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Spacer
    from reportlab.platypus import Table as RLTable

    panel = RLTable([[out]], colWidths=[width])
    panel.setStyle(
        [
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(tint(brand.accent_color, 0.93))),
            ("LINEBEFORE", (0, 0), (0, -1), 3, HexColor(brand.accent_color)),
            ("LEFTPADDING", (0, 0), (-1, -1), 10),
            ("RIGHTPADDING", (0, 0), (-1, -1), 10),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ]
    )
    return [panel, Spacer(1, 8)]


def methodology_flowables(m: Methodology, st: dict[str, Any]) -> list[Any]:
    """The appendix: each field that has something to say, then the notes, then the
    definition of every headline figure the report uses."""
    from reportlab.platypus import Paragraph

    weights = ", ".join(f"{name} {value}" for name, value in m.weights)
    fields = (
        ("Weights", weights),
        ("Bands", m.thresholds),
        ("Profiles", "; ".join(m.profiles) or ("none (default weights only)" if weights else "")),
        ("Data freshness", m.freshness),
        ("Coverage", m.coverage),
    )
    lines = [f"<b>{name}:</b> {markup(text)}" for name, text in fields if text]
    lines += [markup(n) for n in m.notes]
    if m.definitions:
        lines.append("<b>How the headline figures are defined</b>")
        lines += [f"<b>{markup(name)}:</b> {markup(text)}" for name, text in m.definitions]
    return [Paragraph(markup(m.title), st["h2"]), *[Paragraph(x, st["small"]) for x in lines]]
