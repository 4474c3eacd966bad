"""Colours, money formatting and the app's style sheet."""

from __future__ import annotations

from PySide6.QtCore import QLocale

BAND_COLORS: dict[str, str] = {
    "critical": "#c62828",
    "at_risk": "#ef6c00",
    "watch": "#b38f00",
    "healthy": "#2e7d32",
    "expansion": "#1565c0",
    "unscored": "#757575",
}
ACCENT = "#2f5bea"

STYLE_SHEET = f"""
QListWidget#sidebar {{ background: #1f2430; color: #e6e9ef; border: none; font-size: 13px; }}
QListWidget#sidebar::item {{ padding: 7px 12px; }}
QListWidget#sidebar::item:selected {{ background: {ACCENT}; color: white; }}
QWidget#topbar {{ background: #f4f6fa; border-bottom: 1px solid #dde2ea; }}
QLabel#brand {{ font-size: 15px; font-weight: 600; color: #1f2430; padding-left: 4px; }}
QToolButton#hamburger {{ font-size: 18px; padding: 2px 8px; border: none; }}
QToolButton#hamburger:hover {{ background: #e3e8f0; border-radius: 4px; }}
QListWidget#sidebar::item:disabled {{ color: #8d96a7; font-size: 11px; font-weight: 600;
    padding-top: 14px; }}
QLabel[role="section-title"] {{ font-size: 15px; font-weight: 600; }}
QLabel[role="page-title"] {{ font-size: 20px; font-weight: 600; }}
QLabel[role="muted"] {{ color: #5f6b7a; }}
QFrame[role="card"] {{ background: white; border: 1px solid #dde2ea; border-radius: 8px; }}
QLabel[role="kpi"] {{ font-size: 22px; font-weight: 600; }}
"""


def money(cents: int | None, locale: QLocale | None = None) -> str:
    """Whole currency units in the user's locale ('$5,000'); '—' when unknown."""
    if cents is None:
        return "—"
    loc = locale or QLocale()
    if loc.language() == QLocale.Language.C:  # no locale configured: read like en-US
        loc = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return loc.toCurrencyString(float(round(cents / 100)), "$", 0)
