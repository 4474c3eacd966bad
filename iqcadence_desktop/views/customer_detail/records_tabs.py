"""The detail window's Playbook, Notes, Sentiment and Contacts tabs."""

from __future__ import annotations

from collections.abc import Callable

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.customers import (
    SENTIMENT_VALUE,
    SENTIMENTS,
    ContactDTO,
    NoteDTO,
    PlaybookAction,
    SentimentDTO,
    sentiment_trend,
)
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.theme import Color

URGENCY_LABELS = {"now": "Do now", "soon": "Soon", "opportunity": "Opportunity"}
URGENCY_COLORS = {"now": Color.DANGER, "soon": Color.CAUTION, "opportunity": Color.INFO}
ID_ROLE = Qt.ItemDataRole.UserRole


def _guard(parent: QWidget, work: Callable[[], object]) -> bool:
    """Run a service call; show a user-facing error instead of raising. True on success."""
    try:
        work()
    except UserFacingError as exc:
        QMessageBox.warning(parent, "Customer", str(exc))
        return False
    return True


def empty_hint(text: str) -> QLabel:
    """What an empty tab is missing and how to fill it (shown instead of an empty list)."""
    label = QLabel(text)
    label.setObjectName("empty_hint")
    label.setWordWrap(True)
    label.setProperty("role", "muted")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMinimumHeight(80)
    return label


def _table(headers: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class PlaybookTab(QWidget):
    """Suggested next actions, most urgent first, one card each."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        intro = QLabel("Suggested next steps, worked out from this account's current state.")
        intro.setProperty("role", "muted")
        self.cards: list[QLabel] = []
        holder = QWidget()
        self._cards_layout = QVBoxLayout(holder)
        self._cards_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)

    def show_actions(self, actions: list[PlaybookAction]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = [self._card(a) for a in actions] or [
            QLabel("Nothing needs doing right now: signals, cadence and renewal all look fine.")
        ]
        for i, card in enumerate(self.cards):
            self._cards_layout.insertWidget(i, card)

    @staticmethod
    def _card(a: PlaybookAction) -> QLabel:
        card = QLabel(
            f"<span style='color:{URGENCY_COLORS[a.urgency]}; font-weight:600'>"
            f"{URGENCY_LABELS[a.urgency]}</span> · <b>{a.title}</b><br>{a.reason}"
        )
        card.setWordWrap(True)
        card.setProperty("role", "card")
        card.setStyleSheet(
            f"QLabel {{ background: {Color.SURFACE}; border: 1px solid {Color.BORDER}; "
            "border-radius: 6px; padding: 8px; }"
        )
        return card


class _RecordEditor(QWidget):
    """A list of records above an editor and Add / Save edit / Delete buttons.

    Notes and contacts differ in the list, the editor and the service calls (the hooks
    below); selecting, confirming a delete and reporting errors are the same.
    """

    WHAT = ""  # "note" / "contact"

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.add_button = QPushButton(f"Add {self.WHAT}")
        self.save_button = QPushButton("Save edit")
        self.delete_button = QPushButton("Delete")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)

    def _layout(self, listing: QWidget, editor: QWidget | QFormLayout, empty_text: str) -> None:
        """The listing (or, while there is none, a hint saying how to add one), the editor
        and the buttons."""
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.add_button, self.save_button, self.delete_button):
            buttons.addWidget(b)
        self.empty = empty_hint(empty_text)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty, 1)
        layout.addWidget(listing, 1)
        if isinstance(editor, QFormLayout):
            layout.addLayout(editor)
        else:
            layout.addWidget(editor)
        layout.addLayout(buttons)

    def _show_selection(self, chosen: bool) -> None:
        self.save_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # hooks
    def _selected_id(self) -> int | None:
        raise NotImplementedError

    def _add(self) -> object:
        raise NotImplementedError

    def _save(self, record_id: int) -> object:
        raise NotImplementedError

    def _delete(self, record_id: int) -> object:
        raise NotImplementedError

    def _clear_editor(self) -> None:
        raise NotImplementedError

    # slots
    def _on_add_clicked(self) -> None:
        if _guard(self, self._add):
            self._clear_editor()

    def _on_save_clicked(self) -> None:
        record_id = self._selected_id()
        if record_id is not None:
            _guard(self, lambda: self._save(record_id))

    def _on_delete_clicked(self) -> None:
        record_id = self._selected_id()
        if record_id is None:
            return
        title, question = f"Delete {self.WHAT}", f"Delete this {self.WHAT}?"
        confirmed = QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes
        if confirmed and _guard(self, lambda: self._delete(record_id)):
            self._clear_editor()


class NotesTab(_RecordEditor):
    """Timestamped notes, newest first; add, edit the selected one, delete it."""

    WHAT = "note"

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, customer_id, parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Write a note…")
        self.editor.setMaximumHeight(90)
        self.list.currentItemChanged.connect(self._on_list_current_changed)
        self._layout(
            self.list,
            self.editor,
            "No notes yet. Write what was discussed below and press Add note; the notes of "
            "the last 90 days go into the business review.",
        )
        self._on_list_current_changed(None)

    def show_notes(self, notes: list[NoteDTO]) -> None:
        self.empty.setVisible(not notes)
        self.list.setVisible(bool(notes))
        self.list.clear()
        for n in notes:
            edited = " (edited)" if n.updated_at != n.created_at else ""
            stamp = n.created_at.strftime("%Y-%m-%d %H:%M")
            item = QListWidgetItem(f"{stamp} · {n.author or 'unknown'}{edited}\n{n.body}")
            item.setData(ID_ROLE, n.id)
            self.list.addItem(item)

    def _selected_id(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(ID_ROLE))

    def _add(self) -> object:
        return self.ctx.services.records.add_note(self.customer_id, self.editor.toPlainText())

    def _save(self, record_id: int) -> object:
        return self.ctx.services.records.edit_note(record_id, self.editor.toPlainText())

    def _delete(self, record_id: int) -> object:
        self.ctx.services.records.delete_note(record_id)
        return None

    def _clear_editor(self) -> None:
        self.editor.clear()

    def _on_list_current_changed(self, item: QListWidgetItem | None, *_: object) -> None:
        chosen = item is not None and item.data(ID_ROLE) is not None
        self._show_selection(chosen)
        if chosen and item is not None:
            self.editor.setPlainText(item.text().split("\n", 1)[1])


class SentimentTab(QWidget):
    """The sentiment log with its trend; logging a reading sets the current sentiment."""

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.customer_id = ctx, customer_id
        self.trend = QLabel()
        self.trend.setObjectName("trend")
        self.plot = pg.PlotWidget()
        self.plot.setBackground("w")
        self.plot.setYRange(-1.2, 1.2, padding=0)
        left = self.plot.getPlotItem().getAxis("left")
        left.setTicks([[(-1, "negative"), (0, "neutral"), (1, "positive")]])
        left.setWidth(70)  # the auto width lags one paint and clips the labels at first
        self.plot.setMaximumHeight(170)
        self.table = _table(("Day", "Sentiment", "Comment"))
        self.mood = QComboBox()
        for s in SENTIMENTS:
            self.mood.addItem(s.capitalize(), s)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText("What did you hear? (optional)")
        self.log_button = QPushButton("Log sentiment")
        self.log_button.clicked.connect(self._on_log_clicked)
        row = QHBoxLayout()
        row.addWidget(self.mood)
        row.addWidget(self.comment, 1)
        row.addWidget(self.log_button)
        self.empty = empty_hint(
            "No sentiment logged yet. Choose how the customer sounded below and press Log "
            "sentiment; the account's sentiment follows the newest reading."
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.trend)
        layout.addWidget(self.plot)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def show_log(self, entries: list[SentimentDTO]) -> None:
        for widget in (self.plot, self.table, self.trend):
            widget.setVisible(bool(entries))
        self.empty.setVisible(not entries)
        trend = sentiment_trend(entries)
        self.trend.setText(
            f"Trend: {trend}"
            + (f" over {len(entries)} readings" if entries else " (no readings yet)")
        )
        self.plot.clear()
        if entries:
            self.plot.plot(
                list(range(1, len(entries) + 1)),
                [SENTIMENT_VALUE[e.sentiment] for e in entries],
                pen=pg.mkPen(Color.ACCENT, width=2),
                symbol="o",
                symbolSize=6,
            )
            step = max(1, len(entries) // 8)  # at most ~8 date labels
            self.plot.getPlotItem().getAxis("bottom").setTicks(
                [[(i + 1, e.day.strftime("%b %d")) for i, e in enumerate(entries) if i % step == 0]]
            )
            self.plot.setXRange(0.5, len(entries) + 0.5, padding=0)
        rows = list(reversed(entries))
        self.table.setRowCount(len(rows))
        for r, e in enumerate(rows):
            for c, text in enumerate(
                (e.day.isoformat(), e.sentiment.capitalize(), e.comment or "")
            ):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def _on_log_clicked(self) -> None:
        records = self.ctx.services.records
        mood, text = str(self.mood.currentData()), self.comment.text()
        if _guard(self, lambda: records.log_sentiment(self.customer_id, mood, text)):
            self.comment.clear()


class ContactsTab(_RecordEditor):
    """People at the customer: pick one to edit it, or fill the form and add."""

    WHAT = "contact"
    FIELDS = (("name", "Name"), ("role", "Role"), ("email", "Email"), ("phone", "Phone"))

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, customer_id, parent)
        self.table = _table(tuple(label for _, label in self.FIELDS))
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.edits = {key: QLineEdit() for key, _ in self.FIELDS}
        form = QFormLayout()
        for key, label in self.FIELDS:
            form.addRow(label, self.edits[key])
        self._layout(
            self.table,
            form,
            "No contacts yet. Fill in a name (and a role, email or phone) below and press "
            "Add contact.",
        )
        self._on_table_selection_changed()

    def show_contacts(self, contacts: list[ContactDTO]) -> None:
        self.empty.setVisible(not contacts)
        self.table.setVisible(bool(contacts))
        self.table.setRowCount(len(contacts))
        for r, c in enumerate(contacts):
            for col, text in enumerate((c.name, c.role, c.email, c.phone)):
                item = QTableWidgetItem(text or "")
                item.setData(ID_ROLE, c.id)
                self.table.setItem(r, col, item)

    def _selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return int(self._cell(rows[0].row(), 0).data(ID_ROLE))

    def _values(self) -> dict[str, str]:
        return {key: edit.text() for key, edit in self.edits.items()}

    def _add(self) -> object:
        return self.ctx.services.records.add_contact(self.customer_id, self._values())

    def _save(self, record_id: int) -> object:
        return self.ctx.services.records.edit_contact(record_id, self._values())

    def _delete(self, record_id: int) -> object:
        self.ctx.services.records.delete_contact(record_id)
        return None

    def _clear_editor(self) -> None:
        for edit in self.edits.values():
            edit.clear()

    def _on_table_selection_changed(self) -> None:
        chosen = self._selected_id() is not None
        self._show_selection(chosen)
        if chosen:
            row = self.table.selectionModel().selectedRows()[0].row()
            for col, (key, _) in enumerate(self.FIELDS):
                self.edits[key].setText(self._cell(row, col).text())

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:  # every cell is filled when the table is loaded
            raise LookupError(f"no cell at row {row}, column {column}")
        return item
