"""Colours, money formatting and the app's style sheet."""

from __future__ import annotations

from PySide6.QtCore import QLocale


class Color:
    """Named colour roles: every colour the views draw comes from here, never a literal."""

    INK = "#1f2430"  # main text, chart lines, the sidebar's background
    MUTED = "#5f6b7a"  # secondary text and captions
    FAINT = "#8d96a7"  # sidebar section headings
    ON_DARK = "#e6e9ef"  # text on the sidebar
    ON_FILL = "#ffffff"  # text on accent or dark fills
    SURFACE = "#ffffff"  # cards and panels
    SURFACE_ALT = "#f5f7fa"  # quiet fills: top bar, drop zone, tier cards
    BORDER = "#dde2ea"  # card borders, the ring's empty track
    BORDER_STRONG = "#9aa5b5"  # the drop zone's dashed edge, colour swatches
    HOVER = "#e3e8f0"
    ACCENT = "#2f5bea"  # selection, links, single-series charts
    DANGER = "#c62828"  # errors, Critical, falling numbers
    WARNING = "#ef6c00"  # At Risk, warnings
    CAUTION = "#b38f00"  # Watch, attention
    SUCCESS = "#2e7d32"  # Healthy, saved, rising numbers
    INFO = "#1565c0"  # Expansion, opportunities
    NEUTRAL = "#757575"  # unscored
    AXIS_TEXT = "#333333"
    AXIS_LINE = "#999999"


BAND_COLORS: dict[str, str] = {
    "critical": Color.DANGER,
    "at_risk": Color.WARNING,
    "watch": Color.CAUTION,
    "healthy": Color.SUCCESS,
    "expansion": Color.INFO,
    "unscored": Color.NEUTRAL,
}
SEVERITY_COLORS: dict[str, str] = {
    "critical": Color.DANGER,
    "warning": Color.WARNING,
    "attention": Color.CAUTION,
    "opportunity": Color.INFO,
}
#: Lines of one chart that are not bands (segments, overlays), in the order they are used.
SERIES_COLORS: tuple[str, ...] = ("#2f5bea", "#8e24aa", "#00897b", "#d84315", "#6d4c41")
ACCENT = Color.ACCENT
ERROR_STYLE = f"color: {Color.DANGER};"
OK_STYLE = f"color: {Color.SUCCESS};"
WARNING_STYLE = f"color: {Color.WARNING};"


def colored(text: str, color: str) -> str:
    """Rich text in one colour role (the text is already escaped HTML)."""
    return f"<span style='color:{color}'>{text}</span>"


STYLE_SHEET = f"""
QListWidget#sidebar {{ background: {Color.INK}; color: {Color.ON_DARK}; border: none;
    font-size: 13px; }}
QListWidget#sidebar::item {{ padding: 7px 12px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: {Color.ON_FILL}; }}
QWidget#topbar {{ background: {Color.SURFACE_ALT}; border-bottom: 1px solid {Color.BORDER}; }}
QLabel#brand {{ font-size: 15px; font-weight: 600; color: {Color.INK}; padding-left: 4px; }}
QToolButton#hamburger {{ font-size: 18px; padding: 2px 8px; border: none; }}
QToolButton#hamburger:hover {{ background: {Color.HOVER}; border-radius: 4px; }}
QListWidget#sidebar::item:disabled {{ color: {Color.FAINT}; font-size: 11px; font-weight: 600;
    padding-top: 14px; }}
QListWidget#settings_sections::item {{ padding: 6px 10px; }}
QListWidget#settings_sections::item:selected {{ background: {ACCENT}; color: {Color.ON_FILL}; }}
QLabel[role="section-title"] {{ font-size: 15px; font-weight: 600; }}
QLabel[role="page-title"] {{ font-size: 20px; font-weight: 600; }}
QLabel[role="muted"] {{ color: {Color.MUTED}; }}
QFrame[role="card"] {{ background: {Color.SURFACE}; border: 1px solid {Color.BORDER};
    border-radius: 8px; }}
QLabel[role="kpi"] {{ font-size: 22px; font-weight: 600; }}
QLabel[role="empty-title"] {{ font-size: 16px; font-weight: 600; color: {Color.INK}; }}
QToolButton#help_button {{ font-size: 15px; font-weight: 600; padding: 2px 9px;
    border: 1px solid {Color.BORDER}; border-radius: 12px; background: {Color.SURFACE}; }}
QToolButton#help_button:hover {{ background: {Color.HOVER}; }}
"""


def money(cents: int | None, locale: QLocale | None = None) -> str:
    """Whole currency units in the user's locale ('$5,000'); '—' when unknown."""
    if cents is None:
        return "—"
    loc = locale or QLocale()
    if loc.language() == QLocale.Language.C:  # no locale configured: read like en-US
        loc = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return loc.toCurrencyString(float(round(cents / 100)), "$", 0)
