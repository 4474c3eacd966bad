"""Settings page ("Weights & Config"): one tab per part of the scoring configuration."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.settings.alerts import AlertsSection, SystemSection
from iqcadence_desktop.views.pages.settings.api_section import ApiSection
from iqcadence_desktop.views.pages.settings.branding import BrandingSection
from iqcadence_desktop.views.pages.settings.cadence import CadenceSection
from iqcadence_desktop.views.pages.settings.custom_fields import CustomFieldsSection
from iqcadence_desktop.views.pages.settings.distribution import DistributionSection
from iqcadence_desktop.views.pages.settings.health import HealthSection
from iqcadence_desktop.views.pages.settings.integrations import IntegrationsSection
from iqcadence_desktop.views.pages.settings.managers import ManagersSection
from iqcadence_desktop.views.pages.settings.profiles import ProfilesSection
from iqcadence_desktop.views.pages.settings.section_list import SectionList
from iqcadence_desktop.views.pages.settings.signal_model import SignalModelSection
from iqcadence_desktop.views.pages.settings.team import TeamSection
from iqcadence_desktop.views.pages.settings.thresholds import ThresholdsSection
from iqcadence_desktop.views.pages.settings.weights import WeightsSection


def scrolled(widget: QWidget) -> QScrollArea:
    """Long forms scroll instead of being squeezed on small windows."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    return area


class SettingsPage(Page):
    """Weights, profiles, thresholds, cadence, distribution, CSMs, data health, branding,
    alert rules and system facts (database, keyring)."""

    PAGE_ID = "settings"
    TITLE = "Weights & Config"
    SECTION = "Settings"
    ICON = "settings"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.weights = WeightsSection(ctx)
        self.profiles = ProfilesSection(ctx)
        self.thresholds = ThresholdsSection(ctx)
        self.signal_model = SignalModelSection(ctx)
        self.custom_fields = CustomFieldsSection(ctx)
        self.cadence = CadenceSection(ctx)
        self.distribution = DistributionSection(ctx)
        self.managers = ManagersSection(ctx)
        self.health = HealthSection(ctx)
        self.branding = BrandingSection(ctx)
        self.alerts = AlertsSection(ctx)
        self.system = SystemSection(ctx)
        self.integrations = IntegrationsSection(ctx)
        self.api = ApiSection(ctx)
        self.team = TeamSection(ctx)
        self.tabs = SectionList()
        self.sections: dict[str, QWidget] = {}
        for key, title, widget, scroll in (
            ("weights", "Weights", self.weights, True),
            ("profiles", "Profiles", self.profiles, True),
            ("thresholds", "Thresholds", self.thresholds, True),
            ("signal_model", "Signal model", self.signal_model, True),
            ("cadence", "Cadence && renewals", self.cadence, True),
            ("distribution", "Distribution && rescore", self.distribution, False),
            ("managers", "CSMs", self.managers, True),
            ("health", "Data health", self.health, False),
            ("custom_fields", "Custom fields", self.custom_fields, False),
            ("branding", "Branding && you", self.branding, True),
            ("alerts", "Alert rules", self.alerts, True),
            ("integrations", "Integrations", self.integrations, True),
            ("api", "API", self.api, True),
            ("system", "System", self.system, True),
            ("team", "Team", self.team, True),
        ):
            self.sections[key] = widget
            self.tabs.addTab(scrolled(widget) if scroll else widget, title)
        title_label = QLabel(self.TITLE)
        title_label.setProperty("role", "page-title")
        layout = QVBoxLayout(self)
        layout.addWidget(title_label)
        layout.addWidget(self.tabs, 1)
        self.weights.rescore_requested.connect(self._on_weights_rescore_requested)
        self.signal_model.rescore_requested.connect(self._on_weights_rescore_requested)
        self.health.accounts_requested.connect(self._on_health_accounts_requested)
        for signal in (
            ctx.bridge.customers_changed,
            ctx.bridge.config_changed,
            ctx.bridge.settings_changed,
        ):
            self.track(signal, self._on_data_changed)

    def refresh(self) -> None:
        super().refresh()
        for section in self.sections.values():
            section.refresh()  # type: ignore[attr-defined]

    def apply_navigation(self, params: dict[str, object]) -> None:
        if params.get("section") in self.sections:
            self.show_section(str(params["section"]))

    def show_section(self, key: str) -> None:
        self.tabs.setCurrentIndex(list(self.sections).index(key))

    def _on_data_changed(self, *_args: object) -> None:
        # A rescore in flight refreshes its own section when it ends; do not reset forms
        # the user is typing into: only mark stale while hidden.
        if not self.isVisible():
            self.stale = True

    def _on_weights_rescore_requested(self) -> None:
        self.show_section("distribution")
        self.distribution.start_rescore()

    def _on_health_accounts_requested(self, ids: list[int]) -> None:
        self.navigation_requested.emit("customers", {"ids": ids})
