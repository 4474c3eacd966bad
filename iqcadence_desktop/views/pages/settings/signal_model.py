"""Signal model: switch each named factor on or off, read its rule, preview the effect."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.scoring import (
    FACTOR_BOUNDS,
    FACTOR_LABELS,
    FACTOR_RULES,
    FACTORS,
    MAX_TOTAL,
    ScoringConfig,
    WhatIfResult,
    signed_points,
)
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.common import ConfigSection
from iqcadence_desktop.views.pages.settings.weights import describe_what_if
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.widgets.common import message_label, show_message


def bounds_text(factor: str) -> str:
    low, high = FACTOR_BOUNDS[factor]
    if low == 0:
        return f"up to {signed_points(high)} points"
    if high == 0:
        return f"down to {signed_points(low)} points"
    return f"{signed_points(low)} to {signed_points(high)} points"


class SignalModelSection(ConfigSection):
    """One switch per factor with its rule; saving is versioned like every setting.

    Signals:
        rescore_requested(): the user accepted the offer to rescore after saving.
    """

    rescore_requested = Signal()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        intro = QLabel(
            "Factors read signals together or over time and adjust the weighted average "
            f"within their bounds; all together they move a score by at most "
            f"{MAX_TOTAL:.0f} points, and every factor that applies is listed in the "
            "account's score explanation. A factor that is off changes nothing."
        )
        intro.setWordWrap(True)
        self.body.addWidget(intro)
        self.switches: dict[str, QCheckBox] = {}
        for factor in FACTORS:
            self.body.addWidget(self._factor_box(factor))
        self.body.addWidget(self.error_label("factors"))
        self.preview_button = QPushButton("Preview the effect")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.preview_label = message_label()
        self.body.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.preview_label)
        self.offer = self._offer()
        self.finish_layout()
        self.body.insertWidget(self.body.count() - 1, self.offer)

    def _factor_box(self, factor: str) -> QGroupBox:
        box = QGroupBox()
        layout = QVBoxLayout(box)
        check = QCheckBox(f"{FACTOR_LABELS[factor]} ({bounds_text(factor)})")
        check.setObjectName(f"factor_{factor}")
        check.toggled.connect(lambda _on: self.preview_label.clear())
        rule = QLabel(FACTOR_RULES[factor])
        rule.setWordWrap(True)
        rule.setProperty("role", "muted")
        layout.addWidget(check)
        layout.addWidget(rule)
        self.switches[factor] = check
        return box

    def _offer(self) -> QWidget:
        offer = QWidget()
        row = QHBoxLayout(offer)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel("Saved. Rescore every account now so stored bands use it?"), 1)
        button = QPushButton("Rescore now")
        button.clicked.connect(self._on_rescore_clicked)
        row.addWidget(button)
        offer.hide()
        return offer

    def load(self, config: ScoringConfig) -> None:
        for factor, check in self.switches.items():
            check.setChecked(bool(config.factors.get(factor, False)))
        self.preview_label.clear()
        self.offer.hide()

    def candidate(self, current: ScoringConfig) -> ScoringConfig:
        switches = {f: c.isChecked() for f, c in self.switches.items()}
        return dataclasses.replace(current, factors={**current.factors, **switches})

    def save(self, overwrite: bool = False) -> bool:
        saved = super().save(overwrite)
        self.offer.setVisible(saved and self.message.text() != "Nothing changed.")
        return saved

    def _on_preview_clicked(self) -> None:
        candidate = self.candidate(self.ctx.services.config.current())
        what_if, manager = self.ctx.services.what_if, self.ctx.manager
        self.preview_label.setText("Working it out…")
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: what_if.preview(candidate, manager=manager),
            on_success=self._on_preview_finished,
            on_error=lambda exc: show_message(
                self.preview_label, f"The preview could not be computed: {exc}", True
            ),
        )

    def _on_preview_finished(self, result: WhatIfResult) -> None:
        show_message(
            self.preview_label, describe_what_if(result).replace("these weights", "these switches")
        )
        self.preview_label.setStyleSheet("")

    def _on_rescore_clicked(self) -> None:
        self.offer.hide()
        self.rescore_requested.emit()
