"""Embedded TrueType fonts and the fallback chain that prints names in any script.

reportlab embeds TrueType (glyf) outlines only and has no fallback of its own. DejaVu Sans
draws Latin, Greek, Cyrillic, Arabic, Hebrew, Armenian and Georgian; every other
character is set in the first fallback font that has it: IPAexGothic for Chinese and
Japanese, then small cut-down fonts (packaging/subset_fonts.py) for Hangul, Thai, the
Indic and Southeast Asian scripts, Ethiopic, and emoji. Text is split into runs by font;
a Paragraph gets each run in a <font> tag, a canvas string is drawn run by run. A font
is registered once per process, the first time a character needs it.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from iqcadence_desktop.paths import resource_path

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
CJK = "IPAexGothic"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", CJK: "ipaexg.ttf"}


@dataclass(frozen=True)
class Fallback:
    """A fallback font and the code point ranges it is tried for."""

    name: str
    file: str
    ranges: tuple[tuple[int, int], ...]


#: In the order they are tried; a character outside every range is drawn by DejaVu.
FALLBACKS: tuple[Fallback, ...] = (
    Fallback(
        CJK,
        "ipaexg.ttf",
        (
            (0x2E80, 0x2FDF),
            (0x3000, 0x30FF),
            (0x3190, 0x31FF),
            (0x3200, 0x33FF),
            (0x3400, 0x4DBF),
            (0x4E00, 0x9FFF),
            (0xF900, 0xFAFF),
            (0xFE30, 0xFE4F),
            (0xFF00, 0xFFEF),
            (0x20000, 0x2FFFF),
        ),
    ),
    Fallback(
        "Fallback-Hangul",
        "Fallback-Hangul.ttf",
        ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF)),
    ),
    *(
        Fallback(f"Fallback-{script}", f"Fallback-{script}.ttf", ranges)
        for script, ranges in (
            ("Thai", ((0x0E00, 0x0E7F),)),
            ("Lao", ((0x0E80, 0x0EFF),)),
            ("Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
            ("Myanmar", ((0x1000, 0x109F),)),
            ("Devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
            ("Bengali", ((0x0980, 0x09FF),)),
            ("Gurmukhi", ((0x0A00, 0x0A7F),)),
            ("Gujarati", ((0x0A80, 0x0AFF),)),
            ("Tamil", ((0x0B80, 0x0BFF),)),
            ("Telugu", ((0x0C00, 0x0C7F),)),
            ("Kannada", ((0x0C80, 0x0CFF),)),
            ("Malayalam", ((0x0D00, 0x0D7F),)),
            ("Sinhala", ((0x0D80, 0x0DFF),)),
            ("Ethiopic", ((0x1200, 0x139F), (0x2D80, 0x2DDF))),
        )
    ),
    Fallback(
        "Fallback-Emoji",
        "Fallback-Emoji.ttf",
        ((0x2190, 0x2BFF), (0x3030, 0x3030), (0x303D, 0x303D), (0x1F000, 0x1FAFF)),
    ),
)
_BY_NAME = {f.name: f for f in FALLBACKS}
#: Joiners and variation selectors only mean something to a text shaper, which reportlab
#: lacks: they are left out of what is drawn (a family emoji prints as its people).
_INVISIBLE = frozenset({0x200C, 0x200D, 0xFE0E, 0xFE0F})


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """reportlab's ToUnicode map, with characters beyond U+FFFF (emoji) written as the
    UTF-16 surrogate pairs PDF readers expect; reportlab writes them as five hex digits,
    which readers reject, so an emoji would not copy or search."""
    pairs = "\n".join(
        f"<{i:02X}> <{chr(v).encode('utf-16-be', 'surrogatepass').hex().upper()}>"
        for i, v in enumerate(subset)
    )
    return "\n".join(
        [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo",
            f"<< /Registry ({fontname})",
            f"/Ordering ({fontname})",
            "/Supplement 0",
            ">> def",
            f"/CMapName /{fontname} def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            f"<00> <{len(subset) - 1:02X}>",
            "endcodespacerange",
            f"{len(subset)} beginbfchar",
            pairs,
            "endbfchar",
            "endcmap",
            "CMapName currentdict /CMap defineresource pop",
            "end",
            "end",
        ]
    )


@functools.cache
def register_base_fonts() -> frozenset[int]:
    """Register DejaVu Sans (regular + bold); returns the code points it covers."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics, ttfonts
    from reportlab.pdfbase.ttfonts import TTFont

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap

    regular = TTFont(REGULAR, str(resource_path("fonts", _FILES[REGULAR])))
    pdfmetrics.registerFont(regular)
    pdfmetrics.registerFont(TTFont(BOLD, str(resource_path("fonts", _FILES[BOLD]))))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, REGULAR), (1, 1, BOLD)):
        addMapping(REGULAR, bold, italic, name)
    return frozenset(regular.face.charToGlyph)


@functools.cache
def _register(name: str) -> frozenset[int]:
    """Register one fallback font (its own bold and italic); returns what it covers."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(name, str(resource_path("fonts", _BY_NAME[name].file)))
    pdfmetrics.registerFont(font)
    for bold, italic in ((0, 0), (1, 0), (0, 1), (1, 1)):
        addMapping(name, bold, italic, name)
    return frozenset(font.face.charToGlyph)


def register_cjk_font() -> str:
    """Register the CJK fallback font (3 MB: only loaded when a name needs it)."""
    _register(CJK)
    return CJK


@functools.lru_cache(maxsize=4096)
def font_for_char(code: int) -> str | None:
    """The fallback font that draws this character, or None for DejaVu (or no font at all)."""
    if code in register_base_fonts():
        return None
    for fallback in FALLBACKS:
        if any(lo <= code <= hi for lo, hi in fallback.ranges) and code in _register(fallback.name):
            return fallback.name
    return None


def needs_fallback(text: str) -> bool:
    """True when DejaVu Sans lacks a glyph for some character of `text`."""
    covered = register_base_fonts()
    return any(ord(ch) not in covered for ch in text if not ch.isspace())


def runs(text: str) -> list[tuple[str | None, str]]:
    """`text` cut into (fallback font or None for DejaVu, piece) runs, in order.

    Spaces are DejaVu's; joiners and variation selectors are left out (see _INVISIBLE).
    """
    out: list[tuple[str | None, str]] = []
    current: str | None = None
    piece: list[str] = []
    for ch in text:
        code = ord(ch)
        if code in _INVISIBLE:
            continue
        font = None if ch.isspace() else font_for_char(code)
        if font != current and piece:
            out.append((current, "".join(piece)))
            piece = []
        current = font
        piece.append(ch)
    if piece:
        out.append((current, "".join(piece)))
    return out


def markup(text: str) -> str:
    """`text` escaped for a Paragraph, each run DejaVu cannot draw in its fallback font."""
    if not needs_fallback(text):
        return escape(text)
    return "".join(_wrap(piece, font) for font, piece in runs(text))


def _wrap(text: str, font: str | None) -> str:
    return escape(text) if font is None else f'<font name="{font}">{escape(text)}</font>'


def label_font(text: str, base: str) -> str:
    """One font for a whole chart label (reportlab draws a label in a single font)."""
    for font, _piece in runs(text):
        if font is not None:
            return font
    return base


def string_width(pieces: Sequence[tuple[str | None, str]], base: str, size: float) -> float:
    """The width of runs drawn with `base` where they have no fallback font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return float(sum(stringWidth(piece, font or base, size) for font, piece in pieces))


def draw_runs(canvas: object, x: float, y: float, text: str, base: str, size: float) -> None:
    """Draw `text` on a canvas at (x, y), each run in the font that has its glyphs.

    One text object for the whole line, so the PDF's text reads back as one string.
    """
    line = canvas.beginText(x, y)  # type: ignore[attr-defined]
    for font, piece in runs(text):
        line.setFont(font or base, size)
        line.textOut(piece)
    canvas.drawText(line)  # type: ignore[attr-defined]
