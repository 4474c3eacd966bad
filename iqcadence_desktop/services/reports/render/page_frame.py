"""What every report page carries around its content: the header band (logo on a light
tint of the brand colour, company, title, as-of day, an "Internal" label when there is
one) and the footer (generation time, "Confidential" when branding asks for it, and
"Page n of m"). Text colours are checked for contrast against what they sit on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iqcadence_desktop.services.reports.model import Brand, ReportDocument
from iqcadence_desktop.services.reports.render.colour import readable_on, text_on, tint
from iqcadence_desktop.services.reports.render.fonts import (
    BOLD,
    REGULAR,
    draw_runs,
    runs,
    string_width,
)

#: Grey for secondary text: 5.9:1 on white (WCAG AA).
MUTED = "#5f6b7a"
MARGIN = 36.0
FIRST_BAND = 78.0
LATER_BAND = 30.0
FOOTER = 24.0


def decorator(doc: ReportDocument, brand: Brand) -> Callable[[Any, Any], None]:
    def decorate(canvas: Any, template: Any) -> None:
        first = canvas.getPageNumber() == 1
        _draw_band(canvas, doc, brand, first)

    return decorate


def _draw_band(canvas: Any, doc: ReportDocument, brand: Brand, first: bool) -> None:
    """A light band in a tint of the brand colour (the logo always sits on a light
    ground), an accent rule under it, text colours checked for contrast (WCAG AA)."""
    from reportlab.lib.colors import HexColor

    w, h = canvas._pagesize
    band = FIRST_BAND if first else LATER_BAND
    fill = tint(brand.primary_color, 0.9)
    canvas.saveState()
    canvas.setFillColor(HexColor(fill))
    canvas.rect(0, h - band, w, band, stroke=0, fill=1)
    canvas.setFillColor(HexColor(brand.accent_color))
    canvas.rect(0, h - band - 3, w, 3, stroke=0, fill=1)
    x, right = MARGIN, w - MARGIN
    if doc.marking:
        right -= _draw_marking(canvas, doc.marking, right, h - (38 if first else 20)) + 10
    if first and brand.logo_path:
        x += _draw_logo(canvas, brand.logo_path, MARGIN, h - band + 14, band - 28) + 10
    room = right - x
    strong, body = HexColor(readable_on(brand.primary_color, fill)), HexColor(text_on(fill))
    if first:
        canvas.setFillColor(strong)
        _fit_string(canvas, x, h - 32, brand.company, BOLD, 15, room)
        canvas.setFillColor(body)
        _fit_string(canvas, x, h - 49, doc.title, REGULAR, 10, room)
        meta = f"As of {doc.as_of.isoformat()} · {doc.filter_text}"
        _fit_string(canvas, x, h - 64, meta, REGULAR, 8.5, room)
    else:
        canvas.setFillColor(body)
        line = f"{brand.company} · {doc.title} · as of {doc.as_of.isoformat()}"
        _fit_string(canvas, MARGIN, h - 19, line, REGULAR, 9, room)
    canvas.restoreState()


MARK_FILL = "#c62828"


def _draw_marking(canvas: Any, word: str, right: float, y: float) -> float:
    """A filled label ("INTERNAL") ending at `right`; returns its width."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = word.upper()
    width = float(stringWidth(text, BOLD, 9)) + 14
    canvas.setFillColor(HexColor(MARK_FILL))
    canvas.roundRect(right - width, y - 5, width, 17, 4, stroke=0, fill=1)
    canvas.setFillColor(HexColor(text_on(MARK_FILL)))
    canvas.setFont(BOLD, 9)
    canvas.drawCentredString(right - width / 2, y, text)
    return width


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


def footer_marks(doc: ReportDocument, brand: Brand) -> list[str]:
    """What the footer's middle says on every page: the confidentiality mark (a branding
    setting) and an internal document's warning."""
    marks = ["Confidential"] if brand.confidential else []
    if doc.marking:
        marks.append(f"{doc.marking}: not for the customer")
    return marks


def numbered_canvas(doc: ReportDocument, brand: Brand, pages: list[int]) -> Any:
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
            self.setFillColor(HexColor(MUTED))
            draw_runs(self, MARGIN, FOOTER, left, REGULAR, 7.5)
            middle = " · ".join(footer_marks(doc, brand))
            if middle:
                self.setFont(BOLD, 7.5)
                self.setFillColor(HexColor(text_on("#ffffff")))
                self.drawCentredString(w / 2, FOOTER, middle)
            self.setFont(REGULAR, 7.5)
            self.setFillColor(HexColor(MUTED))
            self.drawRightString(w - MARGIN, FOOTER, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas
