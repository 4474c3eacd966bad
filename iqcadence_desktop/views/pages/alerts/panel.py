"""The Alerts page's side panel: MRR exposure by severity, the category chart, insights."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from iqcadence_desktop.services.alerts import SEVERITIES, SEVERITY_LABELS, AlertOverview
from iqcadence_desktop.views.pages.alerts.category_chart import CategoryChart
from iqcadence_desktop.views.theme import SEVERITY_COLORS, money


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; font-size: 14px;")
    return label


class AlertSidePanel(QFrame):
    """Renders an AlertOverview; knows nothing of services."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.addWidget(_heading("MRR exposure"))
        layout.addLayout(self._build_exposure())
        note = QLabel("Each account counts once, under its most serious active alert.")
        note.setProperty("role", "muted")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addWidget(_heading("Active alerts by category"))
        self.chart = CategoryChart()
        self.chart.setFixedHeight(230)
        layout.addWidget(self.chart)
        layout.addWidget(_heading("What stands out"))
        self.insights = QLabel()
        self.insights.setObjectName("alert_insights")
        self.insights.setWordWrap(True)
        self.insights.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.insights)
        layout.addStretch(1)

    def _build_exposure(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)  # a name never runs into its number
        grid.setColumnStretch(0, 1)
        for column, text in ((1, "Accounts"), (2, "MRR")):
            header = QLabel(text)
            header.setProperty("role", "muted")
            header.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(header, 0, column)
        self.exposure_labels: dict[str, tuple[QLabel, QLabel]] = {}
        for row, severity in enumerate(SEVERITIES, start=1):
            name = QLabel(f"● {SEVERITY_LABELS[severity]}")
            name.setStyleSheet(f"color: {SEVERITY_COLORS[severity]}; font-weight: 600;")
            accounts, amount = QLabel(), QLabel()
            accounts.setAlignment(Qt.AlignmentFlag.AlignRight)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight)
            grid.addWidget(name, row, 0)
            grid.addWidget(accounts, row, 1)
            grid.addWidget(amount, row, 2)
            self.exposure_labels[severity] = (accounts, amount)
        return grid

    def show_overview(self, view: AlertOverview) -> None:
        for e in view.exposure:
            accounts, amount = self.exposure_labels[e.severity]
            accounts.setText(f"{e.customers:,}")
            amount.setText(money(e.mrr_cents))
        self.chart.set_counts(view.by_category)
        if view.insights:
            items = "".join(f"<li>{_escape(text)}</li>" for text in view.insights)
            self.insights.setText(f"<ul style='margin-left: -20px'>{items}</ul>")
        else:
            self.insights.setText("Nothing stands out today.")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
