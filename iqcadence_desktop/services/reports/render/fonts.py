"""Embedded TrueType fonts and the fallback chain for names DejaVu Sans cannot draw.

reportlab only embeds TrueType (glyf) outlines, so the package ships DejaVu Sans for
Latin, Greek and Cyrillic and IPAexGothic for Chinese/Japanese/Korean characters. Text
that contains characters DejaVu lacks is split into runs and each such run is wrapped in
a <font> tag naming the CJK font. Fonts are registered once per process, on first use.
"""

from __future__ import annotations

import functools
from xml.sax.saxutils import escape

from iqcadence_desktop.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "IPAexGothic"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "ipaexg.ttf"}


@functools.cache
def register_base_fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular + bold); returns the code points it covers."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular = TTFont(REGULAR, str(resource_path("fonts", _FILES[REGULAR])))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", _FILES[BOLD]))))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return frozenset(regular.face.charToGlyph)


@functools.cache
def register_cjk_font() -> str:
    """Register the CJK fallback font (a 6 MB file: only loaded when a name needs it)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont(CJK, str(resource_path("fonts", _FILES[CJK]))))
    return CJK


def needs_fallback(text: str) -> bool:
    """True when DejaVu Sans lacks a glyph for some character of `text`."""
    covered = register_base_fonts()
    return any(ord(ch) not in covered for ch in text if not ch.isspace())


def markup(text: str) -> str:
    """`text` escaped for a Paragraph, with runs DejaVu lacks set in the CJK font."""
    if not needs_fallback(text):
        return escape(text)
    covered = register_base_fonts()
    font = register_cjk_font()
    out: list[str] = []
    run: list[str] = []
    in_cjk = False
    for ch in text:
        is_cjk = not ch.isspace() and ord(ch) not in covered
        if is_cjk != in_cjk and run:
            out.append(_wrap("".join(run), font if in_cjk else None))
            run = []
        in_cjk = is_cjk if not ch.isspace() else in_cjk
        run.append(ch)
    if run:
        out.append(_wrap("".join(run), font if in_cjk else None))
    return "".join(out)


def _wrap(text: str, font: str | None) -> str:
    return escape(text) if font is None else f'<font name="{font}">{escape(text)}</font>'
