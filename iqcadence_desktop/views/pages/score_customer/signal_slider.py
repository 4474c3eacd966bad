"""A slider for one signal, with its value shown beside it and a 'no data' switch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QSlider, QWidget


class SignalSlider(QWidget):
    """Slider + value label + 'No data' check box (a missing signal is left out of the score).

    Signals:
        value_changed(): the value or its 'no data' state changed.
    """

    value_changed = Signal()

    def __init__(
        self,
        low: int,
        high: int,
        value: int,
        describe: Callable[[int], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._describe = describe
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(low, high)
        self.slider.setValue(value)
        self.label = QLabel()
        self.label.setMinimumWidth(96)
        self.missing = QCheckBox("No data")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.missing)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.missing.toggled.connect(self._on_missing_toggled)
        self._on_slider_value_changed(value)

    def value(self) -> int | None:
        return None if self.missing.isChecked() else self.slider.value()

    def set_value(self, value: int | None) -> None:
        self.missing.setChecked(value is None)
        if value is not None:
            self.slider.setValue(value)

    def text(self) -> str:
        return self.label.text()

    def _on_slider_value_changed(self, value: int) -> None:
        self.label.setText(self._describe(value))
        self.value_changed.emit()

    def _on_missing_toggled(self, missing: bool) -> None:
        self.slider.setEnabled(not missing)
        self.label.setEnabled(not missing)
        self.value_changed.emit()
