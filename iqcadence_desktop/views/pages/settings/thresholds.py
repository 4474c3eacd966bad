"""Score bands, signal thresholds and the saturation points that turn signals into points."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import QFormLayout, QGroupBox, QSpinBox, QWidget

from iqcadence_desktop.services.scoring import BandThresholds, ScoringConfig, SignalParams
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.common import ConfigSection, spin

BAND_FIELDS = (
    ("at_risk", "At Risk starts at"),
    ("watch", "Watch starts at"),
    ("healthy", "Healthy starts at"),
    ("expansion", "Expansion starts at"),
)
PARAM_FIELDS = (
    ("login_saturation", "Logins for full points", 1, 1000, ""),
    ("ticket_saturation", "Open tickets for zero points", 1, 1000, ""),
    ("contact_saturation", "Days since contact for zero points", 1, 3650, " d"),
    ("nps_promoter", "NPS promoter (9–10) points", 0, 100, ""),
    ("nps_passive", "NPS passive (7–8) points", 0, 100, ""),
    ("nps_detractor", "NPS detractor (0–6) points", 0, 100, ""),
    ("growth_strong", "Growth strong points", 0, 100, ""),
    ("growth_mild", "Growth mild points", 0, 100, ""),
    ("growth_none", "Growth none points", 0, 100, ""),
)


class ThresholdsSection(ConfigSection):
    """Bands must stay in order; the engine's saturation points are editable here."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.bands: dict[str, QSpinBox] = {k: spin(1, 100) for k, _ in BAND_FIELDS}
        self.params: dict[str, QSpinBox] = {
            k: spin(lo, hi, sfx) for k, _, lo, hi, sfx in PARAM_FIELDS
        }
        self.quiet = spin(1, 3650, " d")
        self.momentum = spin(1, 100, " points")
        self.body.addWidget(
            self._group(
                "Score bands (on the shown, rounded score)",
                [(t, self.bands[k]) for k, t in BAND_FIELDS],
                ("bands",),
            )
        )
        self.body.addWidget(
            self._group(
                "Signal thresholds",
                [
                    ("Quiet after", self.quiet),
                    ("Momentum: a move of at least (per 7 days)", self.momentum),
                ],
                ("quiet_after_days", "momentum_points"),
            )
        )
        self.body.addWidget(
            self._group(
                "Signal saturation and category points",
                [(t, self.params[k]) for k, t, *_ in PARAM_FIELDS],
                tuple(self.params),
            )
        )
        self.finish_layout()

    def _group(
        self, title: str, rows: list[tuple[str, QWidget]], fields: tuple[str, ...]
    ) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for text, widget in rows:
            form.addRow(text, widget)
        form.addRow(self.error_label(*fields))
        return box

    def load(self, config: ScoringConfig) -> None:
        for key, box in self.bands.items():
            box.setValue(getattr(config.bands, key))
        for key, box in self.params.items():
            box.setValue(round(getattr(config.params, key)))
        self.quiet.setValue(config.quiet_after_days)
        self.momentum.setValue(round(config.momentum_points))

    def candidate(self, current: ScoringConfig) -> ScoringConfig:
        bands = BandThresholds(**{k: b.value() for k, b in self.bands.items()})
        values: dict[str, Any] = {
            k: (int(b.value()) if k.endswith("saturation") else float(b.value()))
            for k, b in self.params.items()
        }
        params = SignalParams(**values)
        return dataclasses.replace(
            current,
            bands=bands,
            params=params,
            quiet_after_days=self.quiet.value(),
            momentum_points=float(self.momentum.value()),
        )
