"""The field-mapping dialog of an integration card, and the metric-ownership grid."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.integrations import (
    SYSTEM_LABELS,
    SYSTEMS,
    TARGET_LABELS,
    TARGETS,
    FieldInfo,
)

NOT_SYNCED = "— not synced —"


class MappingDialog(QDialog):
    """One row per field the system offers: which customer field it feeds (or none)."""

    def __init__(
        self,
        system: str,
        fields: list[FieldInfo],
        mapping: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{SYSTEM_LABELS[system]} field mapping")
        self.resize(560, 520)
        self.combos: dict[str, QComboBox] = {}
        form_host = QWidget()
        form = QFormLayout(form_host)
        for info in fields:
            combo = QComboBox()
            combo.addItem(NOT_SYNCED, None)
            for target in TARGETS:
                combo.addItem(TARGET_LABELS[target], target)
            combo.setCurrentIndex(max(0, combo.findData(mapping.get(info.key))))
            combo.setToolTip(f"{SYSTEM_LABELS[system]} field: {info.key}")
            self.combos[info.key] = combo
            form.addRow(info.label, combo)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(form_host)
        hint = QLabel(
            "Each customer field can be fed by one field only. Blank values never clear what "
            "you already have."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(area, 1)
        layout.addWidget(buttons)

    def mapping(self) -> dict[str, str | None]:
        """{their field: our field or None} for every row (None unmaps a default)."""
        return {key: combo.currentData() for key, combo in self.combos.items()}


class OwnershipGrid(QWidget):
    """Which integration writes each customer field; the others' values for it are ignored.

    Signals:
        owner_chosen(str, object): a field's owner was chosen (system name, or None for any).
    """

    owner_chosen = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, QComboBox] = {}
        for i, metric in enumerate(TARGETS):
            combo = QComboBox()
            combo.addItem("Any integration", None)
            for system in SYSTEMS:
                combo.addItem(SYSTEM_LABELS[system], system)
            combo.currentIndexChanged.connect(lambda _i, m=metric: self._on_combo_changed(m))
            self.combos[metric] = combo
            row, col = divmod(i, 2)  # two pairs a row: three would not fit a laptop
            grid.addWidget(QLabel(TARGET_LABELS[metric]), row, col * 2)
            grid.addWidget(combo, row, col * 2 + 1)
        for col in (1, 3):
            grid.setColumnStretch(col, 1)

    def set_owners(self, owners: dict[str, str]) -> None:
        for metric, combo in self.combos.items():
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, combo.findData(owners.get(metric))))
            combo.blockSignals(False)

    def _on_combo_changed(self, metric: str) -> None:
        self.owner_chosen.emit(metric, self.combos[metric].currentData())
