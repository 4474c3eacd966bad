"""Signal weights: live total, what-if preview, save, then an offer to rescore."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from iqcadence_desktop.services.scoring import BAND_LABELS, ScoringConfig, WhatIfResult
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.common import ConfigSection, WeightGrid
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import money
from iqcadence_desktop.views.widgets.common import message_label, show_message


def describe_what_if(r: WhatIfResult) -> str:
    """Plain words for a what-if result."""
    if not r.band_changes:
        head = f"No account would change band (of {r.customers:,})."
    else:
        moves = sorted(r.moves.items(), key=lambda kv: -kv[1])[:4]
        parts = [f"{n:,} {BAND_LABELS[a]} → {BAND_LABELS[b]}" for (a, b), n in moves]
        head = (
            f"{r.band_changes:,} of {r.customers:,} accounts would change band: "
            + ", ".join(parts)
            + (", …" if len(r.moves) > 4 else ".")
        )
    return (
        f"{head}\nRevenue at risk: {money(r.revenue_at_risk_before_cents)} now → "
        f"{money(r.revenue_at_risk_after_cents)} with these weights."
    )


class WeightsSection(ConfigSection):
    """Edits the global weights; saving is blocked until they total 100 %.

    Signals:
        rescore_requested(): the user accepted the offer to rescore after saving.
    """

    rescore_requested = Signal()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        intro = QLabel(
            "How much each signal counts towards the health score. Missing "
            "signals are left out and the others share their weight."
        )
        intro.setWordWrap(True)
        self.grid = WeightGrid()
        self.grid.total_changed.connect(self._on_grid_total_changed)
        self.preview_button = QPushButton("Preview the effect")
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.preview_label = message_label()
        self.preview_label.setObjectName("what_if")
        self.offer = QWidget()
        offer_row = QHBoxLayout(self.offer)
        offer_row.setContentsMargins(0, 0, 0, 0)
        offer_row.addWidget(
            QLabel(
                "Saved. Rescore every account now so stored bands and "
                "today's history use the new weights?"
            ),
            1,
        )
        self.rescore_button = QPushButton("Rescore now")
        self.rescore_button.clicked.connect(self._on_rescore_clicked)
        offer_row.addWidget(self.rescore_button)
        self.offer.hide()
        self.body.addWidget(intro)
        self.body.addWidget(self.grid)
        self.body.addWidget(self.error_label("weights"))
        self.body.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addWidget(self.preview_label)
        self.finish_layout()
        self.body.insertWidget(self.body.count() - 1, self.offer)

    def load(self, config: ScoringConfig) -> None:
        self.grid.set_weights(config.weights, config.csat_enabled)
        self.preview_label.clear()
        self.offer.hide()

    def candidate(self, current: ScoringConfig) -> ScoringConfig:
        return dataclasses.replace(
            current, weights=self.grid.weights(), csat_enabled=self.grid.csat_enabled()
        )

    def save(self, overwrite: bool = False) -> bool:
        saved = super().save(overwrite)
        self.offer.setVisible(saved and self.message.text() != "Nothing changed.")
        return saved

    def _on_grid_total_changed(self, _total: float) -> None:
        complete = self.grid.is_complete()
        self.save_button.setEnabled(complete)
        self.preview_button.setEnabled(complete)
        self.preview_label.clear()

    def _on_preview_clicked(self) -> None:
        candidate = self.candidate(self.ctx.services.config.current())
        what_if, manager = self.ctx.services.what_if, self.ctx.manager
        self.preview_label.setText("Working it out…")
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: what_if.preview(candidate, manager=manager),
            on_success=self._on_preview_finished,
            on_error=self._on_preview_failed,
        )

    def _on_preview_finished(self, result: WhatIfResult) -> None:
        show_message(self.preview_label, describe_what_if(result))
        self.preview_label.setStyleSheet("")

    def _on_preview_failed(self, exc: BaseException) -> None:
        show_message(self.preview_label, f"The preview could not be computed: {exc}", True)

    def _on_rescore_clicked(self) -> None:
        self.offer.hide()
        self.rescore_requested.emit()
