"""Shared parts of the settings sections: the weight grid and the config-form base."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import StaleEditError, UserFacingError, ValidationError
from iqcadence_desktop.services.scoring import SIGNAL_LABELS, SIGNALS, ScoringConfig
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.theme import ERROR_STYLE, OK_STYLE
from iqcadence_desktop.views.widgets.common import message_label, show_message
from iqcadence_desktop.views.widgets.stale_edit import ask_reload_or_overwrite


def spin(low: int, high: int, suffix: str = "") -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setSuffix(suffix)
    box.setMinimumWidth(90)
    return box


class WeightGrid(QWidget):
    """One spin box per signal and a live total; CSAT counts only when it is switched on.

    Signals:
        total_changed(float): the enabled weights now add up to this many percent.
    """

    total_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.spins: dict[str, QDoubleSpinBox] = {}
        self.csat_check = QCheckBox("Score CSAT too")
        self.csat_check.toggled.connect(self._on_csat_check_toggled)
        for signal in SIGNALS:
            box = QDoubleSpinBox()
            box.setRange(0, 100)
            box.setDecimals(1)
            box.setSuffix(" %")
            box.setMinimumWidth(100)
            box.valueChanged.connect(self._emit_total)
            box.setObjectName(f"weight_{signal}")
            self.spins[signal] = box
            if signal == "csat":
                form.addRow(self.csat_check)
            form.addRow(SIGNAL_LABELS[signal], box)
        self.total_label = QLabel()
        self.total_label.setObjectName("weights_total")
        form.addRow("Total", self.total_label)

    def set_weights(self, weights: Mapping[str, float], csat_enabled: bool) -> None:
        for signal, box in self.spins.items():
            box.blockSignals(True)
            box.setValue(float(weights.get(signal, 0.0)))
            box.blockSignals(False)
        self.csat_check.setChecked(csat_enabled)
        self._on_csat_check_toggled(csat_enabled)

    def weights(self) -> dict[str, float]:
        return {s: round(b.value(), 1) for s, b in self.spins.items()}

    def csat_enabled(self) -> bool:
        return self.csat_check.isChecked()

    def total(self) -> float:
        return sum(v for s, v in self.weights().items() if s != "csat" or self.csat_enabled())

    def is_complete(self) -> bool:
        return abs(self.total() - 100.0) < 0.001

    def _on_csat_check_toggled(self, checked: bool) -> None:
        self.spins["csat"].setEnabled(checked)
        self._emit_total()

    def _emit_total(self, *_args: object) -> None:
        total = self.total()
        ok = self.is_complete()
        self.total_label.setText(f"{total:g} %" + ("" if ok else "  (must be exactly 100 %)"))
        self.total_label.setStyleSheet((OK_STYLE if ok else ERROR_STYLE) + " font-weight: 600")
        self.total_changed.emit(total)


class ConfigSection(QWidget):
    """A settings section that edits part of the scoring configuration and saves it.

    Subclasses build their controls, `load` a configuration into them and build a
    `candidate` from them; errors from ConfigService.save show next to the matching group.
    """

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors: dict[str, QLabel] = {}
        self.message = message_label()
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(lambda: self.save())
        self.body = QVBoxLayout(self)

    def finish_layout(self) -> None:
        self.body.addWidget(self.message)
        self.body.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.body.addStretch(1)

    def error_label(self, *fields: str) -> QLabel:
        label = message_label()
        for name in fields:
            self.errors[name] = label
        return label

    def refresh(self) -> None:
        for label in {id(v): v for v in self.errors.values()}.values():
            label.clear()
        self.message.clear()
        self.load(self.ctx.services.config.current())

    # Every section overrides these two (a QWidget cannot also use ABCMeta).
    def load(self, config: ScoringConfig) -> None:
        """Put the configuration's values into this section's controls."""
        raise NotImplementedError

    def candidate(self, current: ScoringConfig) -> ScoringConfig:
        """The configuration as edited here, built on `current`."""
        raise NotImplementedError

    def save(self, overwrite: bool = False) -> bool:
        """Validate and store; show what changed, or the problem next to its control."""
        for label in self.errors.values():
            label.clear()
        config = self.ctx.services.config
        try:
            changes = config.save(self.candidate(config.current()), overwrite=overwrite)
        except StaleEditError as exc:  # another laptop saved the settings meanwhile
            choice = ask_reload_or_overwrite(self, exc)
            if choice == "overwrite":
                return self.save(overwrite=True)
            if choice == "reload":
                config.invalidate()
                self.load(config.current())
            return False
        except ValidationError as exc:
            show_message(self.errors.get(exc.field, self.message), str(exc), error=True)
            return False
        except UserFacingError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        show_message(
            self.message, "Saved: " + "; ".join(changes) if changes else "Nothing changed."
        )
        return True
