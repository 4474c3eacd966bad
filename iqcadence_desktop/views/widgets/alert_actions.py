"""The row of alert actions shared by the Alerts page and a customer's Alerts tab."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget

from iqcadence_desktop.services.alerts import OUTCOMES, SNOOZE_CHOICES


class AlertActionBar(QWidget):
    """Snooze (1 d / 7 d / 30 d), dismiss, wake, mark outcome and open the customer.

    Signals:
        snooze_requested(int): days. dismiss_requested(), wake_requested(),
        outcome_requested(str): outcome id. open_requested(): open the customer.
    """

    snooze_requested = Signal(int)
    dismiss_requested = Signal()
    wake_requested = Signal()
    outcome_requested = Signal(str)
    open_requested = Signal()

    def __init__(self, with_open: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.snooze_buttons: dict[int, QPushButton] = {}
        for days in SNOOZE_CHOICES:
            button = QPushButton(f"Snooze {days} d")
            button.setObjectName(f"snooze_{days}")
            button.clicked.connect(lambda _=False, d=days: self.snooze_requested.emit(d))
            self.snooze_buttons[days] = button
            layout.addWidget(button)
        self.dismiss_button = self._button("Dismiss", "dismiss", self.dismiss_requested.emit)
        self.wake_button = self._button("Wake", "wake", self.wake_requested.emit)
        layout.addWidget(self.dismiss_button)
        layout.addWidget(self.wake_button)
        layout.addWidget(self._outcome_button())
        self.open_button = self._button("Open customer", "open_customer", self.open_requested.emit)
        self.open_button.setVisible(with_open)
        layout.addWidget(self.open_button)
        layout.addStretch(1)
        self.set_selection(0)

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _outcome_button(self) -> QPushButton:
        # A push button lays its menu arrow out beside the text (a tool button drew it
        # over the last letters).
        self.outcome_button = QPushButton("Mark outcome")
        self.outcome_button.setObjectName("mark_outcome")
        menu = QMenu(self.outcome_button)
        for key, label in OUTCOMES.items():
            action = QAction(label, menu)
            action.triggered.connect(lambda _=False, k=key: self.outcome_requested.emit(k))
            menu.addAction(action)
        self.outcome_button.setMenu(menu)
        self.outcome_button.setToolTip("Was this alert worth it? Feeds each rule's hit rate.")
        return self.outcome_button

    def set_selection(self, count: int, customers: int | None = None) -> None:
        """Enable what makes sense for this many selected alerts (of this many customers)."""
        for button in (*self.snooze_buttons.values(), self.dismiss_button, self.wake_button):
            button.setEnabled(count > 0)
        self.outcome_button.setEnabled(count == 1)
        self.open_button.setEnabled((count == 1) if customers is None else customers == 1)
