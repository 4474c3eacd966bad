"""The business review's audience choice (Reports page and the customer detail window)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

#: (label, ReportRequest.audience); the customer copy is the default and comes first.
AUDIENCE_CHOICES = (
    ("For the customer", "customer"),
    ("Internal (everything)", "internal"),
)


def audience_combo(parent: QWidget | None = None) -> QComboBox:
    """A combo box whose current data is the audience ("customer" or "internal")."""
    combo = QComboBox(parent)
    for label, value in AUDIENCE_CHOICES:
        combo.addItem(label, value)
    combo.setToolTip(
        "For the customer: health, trends, value, adoption and actions, nothing internal.\n"
        "Internal: everything, churn risk and notes included, marked Internal."
    )
    return combo
