"""The custom-rule builder: groups of conditions (all of a group must hold; any group
will do), the rule in plain words as you build it, and how many accounts match today.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.automations import (
    CONNECTION_KINDS,
    FIELDS,
    OPERATOR_LABELS,
    TIMINGS,
    Condition,
    ConnectionDTO,
    LiveMatcher,
    RuleDraft,
    RuleDTO,
    RuleSpec,
    condition,
    describe,
)
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import CancelToken, Lane
from iqcadence_desktop.views.theme import ERROR_STYLE

ID_ROLE = Qt.ItemDataRole.UserRole
ALL_MANAGERS = "All managers"
COUNT_DELAY_MS = 250
SaveFn = Callable[[RuleDraft, Callable[[str | None], None]], None]


class ConditionRow(QWidget):
    """Field, operator, value, and a button to remove the row.

    Signals:
        changed(): something in the row changed.
        remove_requested(): the user wants this row gone.
    """

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QComboBox()
        for f in FIELDS.values():
            self.field.addItem(f.label, f.name)
        self.op = QComboBox()
        self.choice = QComboBox()
        self.text = QLineEdit()
        self.text.setPlaceholderText("value")
        remove = QPushButton("✕")
        remove.setFixedWidth(32)
        remove.setToolTip("Remove this condition")
        remove.setAccessibleName("Remove condition")
        remove.clicked.connect(self.remove_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.field, 2), (self.op, 1), (self.choice, 2), (self.text, 2)):
            row.addWidget(widget, stretch)
        row.addWidget(remove)
        self.field.currentIndexChanged.connect(self._on_field_changed)
        for signal in (self.op.currentIndexChanged, self.choice.currentIndexChanged):
            signal.connect(self.changed)
        self.text.textChanged.connect(self.changed)
        self._on_field_changed()

    def _on_field_changed(self, *_args: object) -> None:
        f = FIELDS[str(self.field.currentData())]
        for box, items in (
            (self.op, [(OPERATOR_LABELS[o], o) for o in f.operators]),
            (self.choice, [(label, value) for value, label in f.choices]),
        ):
            box.blockSignals(True)
            box.clear()
            for label, data in items:
                box.addItem(label, data)
            box.blockSignals(False)
        self.choice.setVisible(f.kind == "choice")
        self.text.setVisible(f.kind != "choice")
        self.text.setPlaceholderText({"number": "a number", "tags": "a tag"}.get(f.kind, "a name"))
        self.changed.emit()

    def set_condition(self, c: Condition) -> None:
        self.field.setCurrentIndex(self.field.findData(c.field))
        self.op.setCurrentIndex(self.op.findData(c.op))
        if FIELDS[c.field].kind == "choice":
            self.choice.setCurrentIndex(self.choice.findData(c.value))
        else:
            value = c.value
            self.text.setText(f"{value:g}" if isinstance(value, float) else str(value))

    def condition(self) -> Condition:
        """The checked condition (raises ValidationError with a sentence when it is not)."""
        f = FIELDS[str(self.field.currentData())]
        value = self.choice.currentData() if f.kind == "choice" else self.text.text()
        return condition(f.name, str(self.op.currentData()), value)


class GroupBox(QFrame):
    """One group: every condition in it must hold.

    Signals:
        changed(): a condition was added, removed or edited.
        remove_requested(): the user wants the whole group gone.
    """

    changed = Signal()
    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "card")
        self.rows: list[ConditionRow] = []
        self._rows = QVBoxLayout()
        add = QPushButton("+ Condition")
        add.clicked.connect(lambda: self.add_row())
        remove = QPushButton("Remove group")
        remove.clicked.connect(self.remove_requested)
        head = QLabel("Accounts where all of these hold:")
        head.setProperty("role", "muted")
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addLayout(self._rows)
        layout.addLayout(buttons)

    def add_row(self, c: Condition | None = None) -> ConditionRow:
        row = ConditionRow()
        if c is not None:
            row.set_condition(c)
        row.changed.connect(self.changed)
        row.remove_requested.connect(lambda: self._remove(row))
        self.rows.append(row)
        self._rows.addWidget(row)
        self.changed.emit()
        return row

    def _remove(self, row: ConditionRow) -> None:
        self.rows.remove(row)
        row.deleteLater()
        self.changed.emit()

    def conditions(self) -> tuple[Condition, ...]:
        return tuple(r.condition() for r in self.rows)


class CustomRuleDialog(QDialog):
    """Build (or edit) a custom rule; Save hands the draft to `save`."""

    def __init__(
        self,
        ctx: PageContext,
        managers: Sequence[str],
        connections: Sequence[ConnectionDTO],
        save: SaveFn,
        rule: RuleDTO | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("custom_rule_dialog")
        self.setWindowTitle("Edit custom rule" if rule else "New custom rule")
        self.resize(860, 640)
        self.ctx, self._save = ctx, save
        self.groups: list[GroupBox] = []
        self._matcher: LiveMatcher | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNT_DELAY_MS)
        self._timer.timeout.connect(self._count)
        self._build(managers, connections)
        self._load(rule)
        ctx.tasks.run(
            lambda _t: ctx.services.automations.live_matcher(),
            owner=self,
            lane=Lane.READ,
            on_success=self._on_matcher_loaded,
            on_error=lambda exc: self.count.setText("The live count is not available."),
        )

    # -- building --------------------------------------------------------------------
    def _build(self, managers: Sequence[str], connections: Sequence[ConnectionDTO]) -> None:
        self.name = QLineEdit()
        self.name.setObjectName("custom_rule_name")
        self.manager = QComboBox()
        self.manager.addItems([ALL_MANAGERS, *managers])
        self.timing = QComboBox()
        for key, label in TIMINGS.items():
            self.timing.addItem(label, key)
        self.channels = QListWidget()
        self.channels.setMaximumHeight(96)
        for c in connections:
            item = QListWidgetItem(f"{c.name} — {CONNECTION_KINDS[c.kind]}")
            item.setData(ID_ROLE, c.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.channels.addItem(item)
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Accounts of", self.manager)
        form.addRow("Send to", self.channels if connections else self._no_connections())
        form.addRow("Timing", self.timing)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._build_groups(), 1)
        layout.addWidget(self._build_preview())
        layout.addWidget(self._build_buttons())

    @staticmethod
    def _no_connections() -> QLabel:
        label = QLabel("No connections yet: add one on the Connections tab first.")
        label.setStyleSheet(ERROR_STYLE)
        return label

    def _build_groups(self) -> QScrollArea:
        holder = QWidget()
        self._groups_layout = QVBoxLayout(holder)
        self._groups_layout.addStretch(1)
        add = QPushButton("+ Or group")
        add.setObjectName("add_group")
        add.setToolTip("Another set of conditions; an account matching any group matches the rule")
        add.clicked.connect(lambda: self.add_group())
        self._groups_layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        return scroll

    def _build_preview(self) -> QWidget:
        box = QFrame()
        box.setProperty("role", "card")
        self.preview = QLabel()
        self.preview.setObjectName("rule_preview")
        self.preview.setWordWrap(True)
        self.preview.setStyleSheet("font-weight: 600;")
        self.count = QLabel("Counting accounts…")
        self.count.setObjectName("rule_count")
        self.count.setProperty("role", "muted")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(box)
        for widget in (self.preview, self.count, self.error):
            layout.addWidget(widget)
        return box

    def _build_buttons(self) -> QDialogButtonBox:
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        return self.buttons

    def add_group(self, conditions: Sequence[Condition] = ()) -> GroupBox:
        group = GroupBox()
        group.changed.connect(self._on_changed)
        group.remove_requested.connect(lambda: self._remove_group(group))
        index = self._groups_layout.count() - 2  # before the stretch and the button
        if self.groups:
            joiner = QLabel("— or —")
            joiner.setAlignment(Qt.AlignmentFlag.AlignCenter)
            joiner.setProperty("role", "muted")
            self._groups_layout.insertWidget(index, joiner)
            group.setProperty("joiner", joiner)
            index += 1
        self._groups_layout.insertWidget(index, group)
        self.groups.append(group)
        for c in conditions:
            group.add_row(c)
        if not conditions:
            group.add_row()
        return group

    def _remove_group(self, group: GroupBox) -> None:
        joiner = group.property("joiner")
        if isinstance(joiner, QLabel):
            joiner.deleteLater()
        elif len(self.groups) > 1:  # the first group goes: the next one loses its "or"
            nxt = self.groups[1].property("joiner")
            if isinstance(nxt, QLabel):
                nxt.deleteLater()
                self.groups[1].setProperty("joiner", None)
        self.groups.remove(group)
        group.deleteLater()
        self._on_changed()

    def _load(self, rule: RuleDTO | None) -> None:
        if rule is None:
            self.add_group()
            return
        self.name.setText(rule.name)
        if rule.manager:
            self.manager.setCurrentText(rule.manager)
        self.timing.setCurrentIndex(self.timing.findData(rule.timing))
        chosen = {c.id for c in rule.channels}
        for i in range(self.channels.count()):
            item = self.channels.item(i)
            if int(item.data(ID_ROLE)) in chosen:
                item.setCheckState(Qt.CheckState.Checked)
        for group in rule.groups:
            self.add_group(group)

    # -- state -----------------------------------------------------------------------
    def spec(self) -> RuleSpec:
        """The rule as built so far (raises ValidationError when a value is missing)."""
        groups = tuple(g.conditions() for g in self.groups if g.rows)
        return RuleSpec((), groups, self._manager())

    def _manager(self) -> str | None:
        text = self.manager.currentText()
        return None if text == ALL_MANAGERS else text

    def _on_changed(self) -> None:
        try:
            spec = self.spec()
        except UserFacingError as exc:
            self.preview.setText("Finish the conditions to see the rule in words.")
            self.error.setText(str(exc))
            return
        self.error.clear()
        self.preview.setText(describe(spec.groups) if spec.groups else "Add a condition.")
        self._timer.start()

    def _on_matcher_loaded(self, matcher: LiveMatcher) -> None:
        self._matcher = matcher
        self._count()

    def _count(self) -> None:
        matcher = self._matcher
        try:
            spec = self.spec()
        except UserFacingError:
            return
        if matcher is None or not spec.groups:
            return

        def work(_token: CancelToken) -> tuple[int, int]:
            return matcher.count(spec), matcher.total

        self.ctx.tasks.run(
            work, owner=self, lane=Lane.READ, on_success=self._on_counted, on_error=lambda e: None
        )

    def _on_counted(self, result: tuple[int, int]) -> None:
        n, total = result
        self.count.setText(f"Matches {n:,} of {total:,} accounts today.")

    def draft(self) -> RuleDraft:
        spec = self.spec()
        channel_ids = tuple(
            int(self.channels.item(i).data(ID_ROLE))
            for i in range(self.channels.count())
            if self.channels.item(i).checkState() == Qt.CheckState.Checked
        )
        return RuleDraft(
            self.name.text().strip(),
            (),
            spec.groups,
            spec.manager,
            str(self.timing.currentData()),
            channel_ids,
        )

    def _on_save_clicked(self) -> None:
        try:
            draft = self.draft()
        except UserFacingError as exc:
            self.error.setText(str(exc))
            return
        self.buttons.setEnabled(False)
        self._save(draft, self._on_saved)

    def _on_saved(self, error: str | None) -> None:
        self.buttons.setEnabled(True)
        if error is None:
            self.accept()
        else:
            self.error.setText(error)
