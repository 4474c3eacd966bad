"""Alert thresholds, hysteresis margins and rule switches (for the Settings page).

Thresholds that belong to the scoring settings (bands, renewal windows, contact cadence,
'quiet after', momentum points) are edited there; this form holds the alert-only ones.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import StaleEditError, UserFacingError
from iqcadence_desktop.services.alerts import RULE_LABELS, RULES, AlertConfig
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.stale_edit import ask_reload_or_overwrite

#: field -> (label, minimum, maximum, is_float, suffix)
FIELDS: dict[str, tuple[str, float, float, bool, str]] = {
    "tickets_warning": ("Open tickets for a warning", 1, 999, False, " tickets"),
    "tickets_attention": ("Open tickets for attention", 1, 999, False, " tickets"),
    "logins_warning": ("Warn below this many logins (30 d)", 1, 999, False, " logins"),
    "adoption_attention": ("Flag feature adoption below", 0.5, 100, True, " %"),
    "nps_detractor_max": ("Highest NPS that counts as a detractor", 0, 9, False, ""),
    "renewal_healthy_days": ("Alert on a healthy account's renewal within", 1, 365, False, " days"),
    "margin_points": ("Margin before a cleared alert returns (scores, %)", 0, 20, True, " points"),
    "margin_units": (
        "Margin before a cleared alert returns (counts, days)",
        0,
        30,
        False,
        " units",
    ),
}


class AlertSettingsWidget(QWidget):
    """Edits AlertConfig; Save validates and stores a new version (or says what is wrong)."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.inputs: dict[str, QSpinBox | QDoubleSpinBox] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for name, (label, low, high, is_float, suffix) in FIELDS.items():
            box: QSpinBox | QDoubleSpinBox = QDoubleSpinBox() if is_float else QSpinBox()
            box.setRange(low, high)  # type: ignore[arg-type]
            box.setSuffix(suffix)
            if isinstance(box, QDoubleSpinBox):
                box.setDecimals(1)
            box.setObjectName(name)
            self.inputs[name] = box
            form.addRow(label, box)
        self.fold = QCheckBox(
            "One alert for an unhealthy account (its weak signals are the reasons)"
        )
        self.fold.setObjectName("fold_into_health")
        self.fold.setToolTip(
            "When an account is At Risk or Critical, its tickets, logins, adoption, NPS and "
            "sentiment are shown as the reasons for its health alert instead of as alerts "
            "of their own."
        )
        form.addRow(self.fold)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._build_rules())
        self.save_button = QPushButton("Save alert settings")
        self.save_button.setObjectName("save_alert_settings")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.save_button)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self.load()

    def _build_rules(self) -> QGroupBox:
        group = QGroupBox("Rules in use")
        grid = QGridLayout(group)
        self.rule_boxes: dict[str, QCheckBox] = {}
        for i, rule in enumerate(RULES):
            box = QCheckBox(RULE_LABELS[rule])
            box.setObjectName(f"rule_{rule}")
            self.rule_boxes[rule] = box
            grid.addWidget(box, i // 2, i % 2)
        return group

    def load(self) -> None:
        config = self._services.alert_config.current()
        for name, box in self.inputs.items():
            box.setValue(getattr(config, name))
        for rule, rule_box in self.rule_boxes.items():
            rule_box.setChecked(rule not in config.disabled_rules)
        self.fold.setChecked(config.fold_into_health)
        self.message.clear()

    def edited(self) -> AlertConfig:
        values: dict[str, object] = {name: box.value() for name, box in self.inputs.items()}
        disabled = tuple(r for r, box in self.rule_boxes.items() if not box.isChecked())
        return AlertConfig(
            **values,  # type: ignore[arg-type]
            disabled_rules=disabled,
            fold_into_health=self.fold.isChecked(),
        )

    def _on_save_clicked(self) -> None:
        self._save(overwrite=False)

    def _save(self, overwrite: bool) -> None:
        try:
            changes = self._services.alert_config.save(self.edited(), overwrite=overwrite)
        except StaleEditError as exc:  # another laptop saved the rules meanwhile
            choice = ask_reload_or_overwrite(self, exc)
            if choice == "overwrite":
                self._save(overwrite=True)
            elif choice == "reload":
                self._services.alert_config.invalidate()
                self.load()
            return
        except UserFacingError as exc:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(exc))
            return
        self.message.setStyleSheet("")
        self.message.setText("Saved: " + "; ".join(changes) if changes else "Nothing changed.")
