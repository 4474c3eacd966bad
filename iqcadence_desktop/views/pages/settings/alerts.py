"""Settings sections that host widgets built elsewhere: alert rules and system facts."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from iqcadence_desktop import __version__
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.alert_hit_rates import AlertHitRatesWidget
from iqcadence_desktop.views.pages.settings.alert_settings import AlertSettingsWidget
from iqcadence_desktop.views.pages.settings.keyring_status import KeyringStatusWidget


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    QVBoxLayout(box).addWidget(widget)
    return box


class AlertsSection(QWidget):
    """Alert thresholds, and how often each rule's alerts were worth acting on."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rules = AlertSettingsWidget(ctx.services)
        self.hit_rates = AlertHitRatesWidget(ctx.services)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rules)
        layout.addWidget(_boxed("How useful each rule has been", self.hit_rates))
        layout.addStretch(1)

    def refresh(self) -> None:
        self.rules.load()
        self.hit_rates.refresh()


class SystemSection(QWidget):
    """Where the data lives, the app version, and where secrets are kept."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        facts = QFormLayout()
        database = QLabel(ctx.services.db.describe())
        database.setWordWrap(True)
        facts.addRow("Database", database)
        facts.addRow("Version", QLabel(__version__))
        self.keyring = KeyringStatusWidget(ctx.services.secrets)
        layout = QVBoxLayout(self)
        layout.addLayout(facts)
        layout.addWidget(_boxed("Secrets (API keys, passwords)", self.keyring))
        layout.addStretch(1)

    def refresh(self) -> None:
        self.keyring.refresh()
