"""The 3-step rule wizard (S9): what to watch, where and when to send it, review.

The wizard only collects a `RuleDraft`; saving runs on the task runner and the wizard
closes when the save worked (a refusal is shown on the review step).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from iqcadence_desktop.services.automations import (
    CONNECTION_KINDS,
    EVENT_TYPES,
    TIMINGS,
    ConnectionDTO,
    RuleDraft,
    RuleDTO,
    Trigger,
)
from iqcadence_desktop.views.theme import ERROR_STYLE

ALL_MANAGERS = "All managers"
ID_ROLE = Qt.ItemDataRole.UserRole
TIMING_HELP = {
    "realtime": "As soon as it happens (checked every minute while the app is open, "
    "or whenever run-due runs).",
    "daily": "One message each morning at 08:00 with the previous day's changes.",
    "weekly": "One message on Monday morning with the previous week's changes.",
}
#: Saves a draft; returns an error message (or None) through the callback it is given.
SaveFn = Callable[[RuleDraft, Callable[[str | None], None]], None]


def _title(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    return label


class WatchPage(QWizardPage):
    """Step 1: alert types with their thresholds, and whose accounts."""

    def __init__(self, managers: Sequence[str]) -> None:
        super().__init__()
        self.setTitle("1. What to watch for")
        self.setSubTitle(
            "Tick the changes you want to hear about. Each fires once, when it starts."
        )
        self.checks: dict[str, QCheckBox] = {}
        self.spins: dict[str, QDoubleSpinBox] = {}
        grid = QGridLayout()
        for row, kind in enumerate(EVENT_TYPES.values()):
            box = QCheckBox(kind.label)
            box.setToolTip(kind.help)
            box.toggled.connect(self.completeChanged)
            self.checks[kind.id] = box
            grid.addWidget(box, row, 0)
            if kind.default is not None:
                spin = QDoubleSpinBox()
                spin.setDecimals(0)
                spin.setRange(kind.minimum, kind.maximum)
                spin.setValue(kind.default)
                spin.setSuffix(f" {kind.unit}")
                spin.setAccessibleName(f"{kind.label} threshold")
                self.spins[kind.id] = spin
                grid.addWidget(spin, row, 1)
            grid.addWidget(_title(kind.help), row, 2)
        grid.setColumnStretch(2, 1)
        self.manager = QComboBox()
        self.manager.addItems([ALL_MANAGERS, *managers])
        form = QFormLayout()
        form.addRow("Accounts of", self.manager)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(form)
        layout.addStretch(1)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return any(b.isChecked() for b in self.checks.values())

    def triggers(self) -> tuple[Trigger, ...]:
        return tuple(
            Trigger(k, self.spins[k].value() if k in self.spins else None)
            for k, box in self.checks.items()
            if box.isChecked()
        )

    def manager_scope(self) -> str | None:
        text = self.manager.currentText()
        return None if text == ALL_MANAGERS else text

    def load(self, rule: RuleDTO) -> None:
        for t in rule.triggers:
            self.checks[t.event].setChecked(True)
            if t.threshold is not None and t.event in self.spins:
                self.spins[t.event].setValue(t.threshold)
        if rule.manager:
            if self.manager.findText(rule.manager) < 0:
                self.manager.addItem(rule.manager)
            self.manager.setCurrentText(rule.manager)


class DeliverPage(QWizardPage):
    """Step 2: which connections, and real-time or a digest."""

    def __init__(self, connections: Sequence[ConnectionDTO]) -> None:
        super().__init__()
        self.setTitle("2. Where and when")
        self.setSubTitle("Choose the connections to send to, and how often.")
        self.channels = QListWidget()
        self.channels.setObjectName("rule_channels")
        for c in connections:
            item = QListWidgetItem(f"{c.name} — {CONNECTION_KINDS[c.kind]}")
            item.setData(ID_ROLE, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if len(connections) == 1 else Qt.CheckState.Unchecked
            )
            self.channels.addItem(item)
        self.channels.itemChanged.connect(self.completeChanged)
        self.timing = QButtonGroup(self)
        layout = QVBoxLayout(self)
        if connections:
            layout.addWidget(self.channels, 1)
        else:
            note = _title(
                "No connections yet. Close the wizard, add a Slack, Teams, email or "
                "webhook connection on the Connections tab, then come back."
            )
            note.setStyleSheet(ERROR_STYLE)
            layout.addWidget(note)
        for i, (key, label) in enumerate(TIMINGS.items()):
            radio = QRadioButton(label)
            radio.setProperty("timing", key)
            radio.setToolTip(TIMING_HELP[key])
            self.timing.addButton(radio, i)
            layout.addWidget(radio)
            layout.addWidget(_title(TIMING_HELP[key]))
        self.timing.button(0).setChecked(True)

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.channel_ids())

    def channel_ids(self) -> tuple[int, ...]:
        return tuple(
            int(self.channels.item(i).data(ID_ROLE))
            for i in range(self.channels.count())
            if self.channels.item(i).checkState() == Qt.CheckState.Checked
        )

    def timing_key(self) -> str:
        button = self.timing.checkedButton()
        return "realtime" if button is None else str(button.property("timing"))

    def load(self, rule: RuleDTO) -> None:
        chosen = {c.id for c in rule.channels}
        for i in range(self.channels.count()):
            item = self.channels.item(i)
            on = int(item.data(ID_ROLE)) in chosen
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        for button in self.timing.buttons():
            button.setChecked(button.property("timing") == rule.timing)


class ReviewPage(QWizardPage):
    """Step 3: a name, the rule in words, switch it on."""

    def __init__(self, wizard: RuleWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle("3. Review")
        self.setSubTitle("Check the rule in plain words, give it a name and save it.")
        self.name = QLineEdit()
        self.name.setObjectName("rule_name")
        self.name.textChanged.connect(self.completeChanged)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("rule_summary")
        self.enabled = QCheckBox("Turn the rule on now")
        self.enabled.setChecked(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout()
        form.addRow("Name", self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(
            _title(
                "Accounts that already match when the rule is saved are "
                "not reported; it fires for each account that starts to match."
            )
        )
        layout.addWidget(self.enabled)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def initializePage(self) -> None:  # noqa: N802 (Qt API)
        w = self._wizard
        if not self.name.text().strip():
            self.name.setText(w.watch.triggers()[0].describe())
        self.summary.setText(w.summary())
        self.error.clear()

    def isComplete(self) -> bool:  # noqa: N802 (Qt API)
        return bool(self.name.text().strip())


class RuleWizard(QWizard):
    """New rule (or edit one): three steps, then `save` is asked to store the draft."""

    def __init__(
        self,
        managers: Sequence[str],
        connections: Sequence[ConnectionDTO],
        save: SaveFn,
        rule: RuleDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rule_wizard")
        self.setWindowTitle("Edit rule" if rule else "New alert rule")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setMinimumSize(720, 520)
        self._save, self._names = save, {c.id: c.name for c in connections}
        self.watch = WatchPage(managers)
        self.deliver = DeliverPage(connections)
        self.review = ReviewPage(self)
        for page in (self.watch, self.deliver, self.review):
            self.addPage(page)
        if rule is not None:
            self.watch.load(rule)
            self.deliver.load(rule)
            self.review.name.setText(rule.name)
            self.review.enabled.setChecked(rule.enabled)

    def draft(self) -> RuleDraft:
        return RuleDraft(
            self.review.name.text().strip(),
            self.watch.triggers(),
            (),
            self.watch.manager_scope(),
            self.deliver.timing_key(),
            self.deliver.channel_ids(),
            self.review.enabled.isChecked(),
        )

    def summary(self) -> str:
        """'When … (Dana's accounts), send to Team (Slack) in a daily digest.'"""
        watched = " or ".join(t.describe().lower() for t in self.watch.triggers())
        scope = self.watch.manager_scope()
        whose = f"{scope}'s accounts" if scope else "any account"
        where = ", ".join(self._names[i] for i in self.deliver.channel_ids()) or "no connection"
        how = {"realtime": "at once", "daily": "in a daily digest", "weekly": "in a weekly digest"}
        return f"When {whose} shows: {watched} — send to {where} {how[self.deliver.timing_key()]}."

    def accept(self) -> None:
        """Finish: ask for the save; close only once it worked."""
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self._save(self.draft(), self._on_saved)

    def _on_saved(self, error: str | None) -> None:
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        if error is None:
            super().accept()
        else:
            self.review.error.setText(error)
