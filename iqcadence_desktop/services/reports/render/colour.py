"""Colour arithmetic for reports: WCAG contrast, readable text on any fill, light tints.

Text colours are never hard-wired against a fill: `text_on(fill)` picks the dark or the
white text colour with the higher contrast ratio (WCAG 2.x relative luminance), so white
on amber (3.1:1) becomes dark on amber, and a user's brand colour gets readable headers
whatever it is.
"""

from __future__ import annotations

DARK_TEXT = "#1f2430"
LIGHT_TEXT = "#ffffff"
#: WCAG AA for normal text.
AA = 4.5


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """'#1f3a68' → (31, 58, 104)."""
    text = hex_colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def to_hex(r: float, g: float, b: float) -> str:
    return "#" + "".join(f"{max(0, min(255, round(v))):02x}" for v in (r, g, b))


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    r, g, b = (_linear(c) for c in rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two colours, 1 to 21."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """The text colour (dark or white) that reads best on `fill`; on the few mid-tones
    where neither reaches AA (a vivid pink), pure black does."""
    best = max((DARK_TEXT, LIGHT_TEXT), key=lambda ink: contrast(ink, fill))
    if contrast(best, fill) >= AA:
        return best
    return max(("#000000", LIGHT_TEXT), key=lambda ink: contrast(ink, fill))


def tint(hex_colour: str, amount: float) -> str:
    """The colour mixed with white: amount 0 keeps it, 1 gives white."""
    return to_hex(*(c + (255 - c) * amount for c in rgb(hex_colour)))


def shade(hex_colour: str, amount: float) -> str:
    """The colour mixed with black: amount 0 keeps it, 1 gives black."""
    return to_hex(*(c * (1 - amount) for c in rgb(hex_colour)))


def readable_on(colour: str, background: str) -> str:
    """`colour` darkened (or lightened) just enough to reach AA on `background`; used for
    brand-coloured text on a light band."""
    for step in range(11):
        candidate = shade(colour, step / 10)
        if contrast(candidate, background) >= AA:
            return candidate
    return text_on(background)
