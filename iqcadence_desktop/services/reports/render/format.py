"""How a report cell is shown in the PDF and written to the CSV (one place for both)."""

from __future__ import annotations

from iqcadence_desktop.services.csv_io import neutralise
from iqcadence_desktop.services.reports.model import Cell, Format
from iqcadence_desktop.services.scoring import BAND_LABELS, shown_score

DASH = "—"


def money(cents: int | float | None) -> str:
    """'$12,345' (whole units; the CSV keeps the cents)."""
    if cents is None:
        return DASH
    units = round(cents / 100)
    return f"-${-units:,}" if units < 0 else f"${units:,}"


def signed(value: float | None, digits: int = 0) -> str:
    """'+3', '−2', '0' (or '+0.2' with digits=1): a change, with a true minus sign."""
    if value is None:
        return DASH
    n = round(value, digits)
    if n == 0:
        return "0" if not digits else f"{0:.{digits}f}"
    text = f"{abs(n):.{digits}f}"
    return f"+{text}" if n > 0 else f"−{text}"


def show(value: Cell, fmt: Format) -> str:
    """The PDF text of a cell."""
    if value is None or value == "":
        return DASH
    if fmt == "money":
        return money(float(value))
    if fmt == "score":
        return f"{shown_score(float(value)):,}"
    if fmt == "int":
        return f"{round(float(value)):,}"
    if fmt in ("pct", "prob"):
        return f"{float(value):.0%}"
    if fmt == "signed":
        return signed(float(value))
    if fmt == "float1":
        return f"{float(value):.1f}"
    if fmt == "float3":  # model metrics: AUC, Brier score, calibration error
        return f"{float(value):.3f}"
    if fmt == "band":
        return BAND_LABELS.get(str(value), str(value))
    return str(value)


def csv_value(value: Cell, fmt: Format) -> str:
    """The CSV text of a cell: plain numbers a spreadsheet can sum, money with cents."""
    if value is None:
        return ""
    if fmt == "money":
        return f"{float(value) / 100:.2f}"
    if fmt in ("pct", "prob"):
        return f"{float(value):.4f}"
    if fmt == "band":
        return BAND_LABELS.get(str(value), str(value))
    if fmt == "score":  # exported as shown: the whole number rounded half up (S2)
        return str(shown_score(float(value)))
    if fmt in ("signed", "float1") and isinstance(value, float):
        return f"{value:.2f}"
    if fmt == "float3" and isinstance(value, float):
        return f"{value:.4f}"
    # Names and notes that a spreadsheet would run as a formula stay text (S7).
    return neutralise(value) if isinstance(value, str) else str(value)
