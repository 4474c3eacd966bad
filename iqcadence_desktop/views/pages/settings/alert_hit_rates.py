"""Each alert rule's hit rate from users' outcome marks (for the Settings page)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.alerts import CATEGORY_LABELS
from iqcadence_desktop.services.container import Services

HEADERS = ("Rule", "Category", "Marked", "Acted on", "False alarm", "Too early", "Hit rate")


class AlertHitRatesWidget(QWidget):
    """A read-only table: how often each rule's alerts were acted on. Call `refresh()`."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        intro = QLabel(
            "Mark an alert's outcome on the Alerts page (acted on, false alarm, "
            "too early). The hit rate is the share of marked alerts that were "
            "acted on; a low rate suggests raising that rule's threshold."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("alert_hit_rates")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        reload_button = QPushButton("Reload")
        reload_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(reload_button, 0, Qt.AlignmentFlag.AlignRight)
        self._rules: list[str] = []

    def refresh(self) -> None:
        rates = self._services.alerts.hit_rates()
        self._rules = [r.rule for r in rates]
        self.table.setRowCount(len(rates))
        for row, r in enumerate(rates):
            rate = "—" if r.rate is None else f"{r.rate:.0%}".replace("%", " %")
            cells = (
                r.label,
                CATEGORY_LABELS[r.category],
                str(r.marked),
                str(r.acted_on),
                str(r.false_alarm),
                str(r.too_early),
                rate,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)

    def row_of(self, rule: str) -> int:
        return self._rules.index(rule)
