"""Settings → Integrations: the keyring state, one card per system, and who owns each field."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.integrations import SYSTEMS
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.integration_card import IntegrationCard
from iqcadence_desktop.views.pages.settings.integration_mapping import OwnershipGrid
from iqcadence_desktop.views.pages.settings.keyring_status import KeyringStatusWidget
from iqcadence_desktop.views.widgets.common import message_label, show_message


class IntegrationsSection(QWidget):
    """HubSpot, Salesforce and Stripe cards above the field-ownership grid."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.keyring = KeyringStatusWidget(ctx.services.secrets)
        self.keyring_hint = QLabel(
            "Without a keyring, keep each token in an environment variable and enter the "
            "variable's name on the card: only the name is saved."
        )
        self.keyring_hint.setWordWrap(True)
        self.keyring_hint.setProperty("role", "muted")
        self.cards = {system: IntegrationCard(ctx, system) for system in SYSTEMS}
        self.owners = OwnershipGrid()
        self.owners_message = message_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring)
        layout.addWidget(self.keyring_hint)
        for card in self.cards.values():
            layout.addWidget(card)
            card.changed.connect(self._on_card_changed)
        box = QGroupBox("Who writes each field")
        inner = QVBoxLayout(box)
        intro = QLabel(
            "Give a field to one integration and the others' values for it are ignored. "
            "'Any integration' lets every connected system that maps the field write it."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "muted")
        inner.addWidget(intro)
        inner.addWidget(self.owners)
        inner.addWidget(self.owners_message)
        layout.addWidget(box)
        layout.addStretch(1)
        self.owners.owner_chosen.connect(self._on_owner_chosen)
        self.keyring.session_memory_enabled.connect(self.refresh)

    def refresh(self) -> None:
        self.keyring.refresh()
        status = self.ctx.services.secrets.status()
        self.keyring_hint.setVisible(not status.usable)
        for card in self.cards.values():
            card.refresh()
        self.owners.set_owners(self.ctx.services.integrations.owners())

    def _on_card_changed(self) -> None:
        self.owners.set_owners(self.ctx.services.integrations.owners())

    def _on_owner_chosen(self, metric: str, system: object) -> None:
        try:
            self.ctx.services.integrations.set_owner(
                metric, None if system is None else str(system)
            )
        except UserFacingError as exc:
            show_message(self.owners_message, str(exc), error=True)
            return
        show_message(self.owners_message, "Saved.")
