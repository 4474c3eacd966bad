"""Contact cadence per tier, renewal windows and the expansion estimate."""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import (
    QButtonGroup,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from iqcadence_desktop.services.scoring import (
    TIER_LABELS,
    TIERS,
    Cadence,
    RenewalWindows,
    ScoringConfig,
)
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.common import ConfigSection, spin


class CadenceSection(ConfigSection):
    """When a touch is due, when a renewal counts as near, how expansion is estimated."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.cadence: dict[str, tuple[QSpinBox, QSpinBox]] = {
            t: (spin(1, 365, " d"), spin(1, 365, " d")) for t in TIERS
        }
        self.renewal = {k: spin(1, 730, " d") for k in ("critical", "warning", "upcoming")}
        self.percent_radio = QRadioButton("Percent of MRR")
        self.flat_radio = QRadioButton("Flat amount per account")
        group = QButtonGroup(self)
        group.addButton(self.percent_radio)
        group.addButton(self.flat_radio)
        self.percent = QDoubleSpinBox()
        self.percent.setRange(0, 1000)
        self.percent.setSuffix(" %")
        self.flat = QDoubleSpinBox()
        self.flat.setRange(0, 10_000_000)
        self.flat.setDecimals(2)
        self.flat.setPrefix("$ ")
        self.body.addWidget(self._cadence_group())
        self.body.addWidget(self._renewal_group())
        self.body.addWidget(self._expansion_group())
        self.finish_layout()

    def _cadence_group(self) -> QGroupBox:
        box = QGroupBox("Contact cadence (days since last contact)")
        grid = QGridLayout(box)
        grid.addWidget(QLabel("Due soon after"), 0, 1)
        grid.addWidget(QLabel("Overdue after"), 0, 2)
        for row, tier in enumerate(TIERS, start=1):
            grid.addWidget(QLabel(TIER_LABELS[tier]), row, 0)
            grid.addWidget(self.cadence[tier][0], row, 1)
            grid.addWidget(self.cadence[tier][1], row, 2)
        grid.addWidget(self.error_label("cadence"), len(TIERS) + 1, 0, 1, 3)
        grid.setColumnStretch(3, 1)
        return box

    def _renewal_group(self) -> QGroupBox:
        box = QGroupBox("Renewal windows (days before the renewal date)")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for key, text in (
            ("critical", "Critical within"),
            ("warning", "Warning within"),
            ("upcoming", "Upcoming within"),
        ):
            form.addRow(text, self.renewal[key])
        form.addRow(self.error_label("renewal"))
        return box

    def _expansion_group(self) -> QGroupBox:
        box = QGroupBox("Expansion estimate (for accounts in the Expansion band)")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self.percent_radio, self.percent)
        form.addRow(self.flat_radio, self.flat)
        form.addRow(
            self.error_label("expansion_method", "expansion_percent", "expansion_flat_cents")
        )
        return box

    def load(self, config: ScoringConfig) -> None:
        for tier, (soon, overdue) in self.cadence.items():
            rule = config.cadence_for(tier)
            soon.setValue(rule.due_soon)
            overdue.setValue(rule.overdue)
        for key, box in self.renewal.items():
            box.setValue(getattr(config.renewal, key))
        self.percent_radio.setChecked(config.expansion_method == "percent")
        self.flat_radio.setChecked(config.expansion_method == "flat")
        self.percent.setValue(config.expansion_percent)
        self.flat.setValue(config.expansion_flat_cents / 100)

    def candidate(self, current: ScoringConfig) -> ScoringConfig:
        cadence = {t: Cadence(a.value(), b.value()) for t, (a, b) in self.cadence.items()}
        renewal = RenewalWindows(**{k: b.value() for k, b in self.renewal.items()})
        return dataclasses.replace(
            current,
            cadence=cadence,
            renewal=renewal,
            expansion_method="flat" if self.flat_radio.isChecked() else "percent",
            expansion_percent=self.percent.value(),
            expansion_flat_cents=round(self.flat.value() * 100),
        )
