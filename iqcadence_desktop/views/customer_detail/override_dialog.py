"""Setting a customer's score by hand (S2): the score, why, and until when."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.theme import ERROR_STYLE


class OverrideDialog(QDialog):
    """Asks for a score, a reason and an optional last day; saves through the service."""

    def __init__(self, ctx: PageContext, customer: CustomerDTO, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.customer = customer
        self.setWindowTitle(f"Set the score of {customer.name} by hand")
        self.score = QSpinBox()
        self.score.setRange(0, 100)
        self.score.setValue(customer.shown_score if customer.shown_score is not None else 50)
        self.reason = QLineEdit(customer.override_reason or "")
        self.reason.setPlaceholderText("Why, in a few words (required)")
        self.reason.setMaxLength(500)
        self.limited = QCheckBox("Until")
        self.until = QDateEdit()
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        today = ctx.services.clock.today()
        self.until.setMinimumDate(QDate(today.year, today.month, today.day))
        last = customer.override_until or today + dt.timedelta(days=30)
        self.until.setDate(QDate(last.year, last.month, last.day))
        self.limited.setChecked(customer.override_until is not None)
        self.until.setEnabled(self.limited.isChecked())
        self.limited.toggled.connect(self.until.setEnabled)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self._layout()

    def _layout(self) -> None:
        note = QLabel(
            "A score set by hand is marked as such everywhere. It lasts until a signal "
            "changes (logins, adoption, tickets, NPS, CSAT, contact, growth) or, if you "
            "choose a day, until the end of that day."
        )
        note.setWordWrap(True)
        note.setProperty("role", "muted")
        form = QFormLayout()
        form.addRow("Score", self.score)
        form.addRow("Reason", self.reason)
        form.addRow(self.limited, self.until)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(note)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.setMinimumWidth(420)

    def last_day(self) -> dt.date | None:
        if not self.limited.isChecked():
            return None
        chosen = self.until.date()
        return dt.date(chosen.year(), chosen.month(), chosen.day())

    def accept(self) -> None:
        """Save; a refused value keeps the dialog open with the reason why."""
        try:
            self.ctx.services.customers.override_score(
                self.customer.id, self.score.value(), self.reason.text(), self.last_day()
            )
        except UserFacingError as exc:
            self.error.setText(str(exc))
            return
        super().accept()
