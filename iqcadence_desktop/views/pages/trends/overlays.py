"""Choosing overlays for the Trends chart: managers' books and single customers."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import MAX_OVERLAYS
from iqcadence_desktop.views.widgets.page_parts import muted

Search = Callable[[str, Callable[[list[tuple[int, str]]], None]], None]


class CustomerPicker(QDialog):
    """Find a customer by name; `search(text, done)` fetches matches in the background."""

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Overlay a customer")
        self._search = search
        self.box = QLineEdit()
        self.box.setPlaceholderText("Type part of a customer's name…")
        self.results = QListWidget()
        self.results.setObjectName("customer_results")
        self.hint = muted("Matching customers appear here.")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(150)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.box.textChanged.connect(self._timer.start)
        self.results.itemDoubleClicked.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (self.box, self.results, self.hint, buttons):
            layout.addWidget(widget)
        self.resize(380, 360)
        self._on_timer_timeout()

    def chosen(self) -> tuple[int, str] | None:
        item = self.results.currentItem()
        return None if item is None else (int(item.data(Qt.ItemDataRole.UserRole)), item.text())

    def _on_timer_timeout(self) -> None:
        self._search(self.box.text(), self.show_results)

    def show_results(self, found: list[tuple[int, str]]) -> None:
        self.results.clear()
        for cid, name in found:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, cid)
            self.results.addItem(item)
        if found:
            self.results.setCurrentRow(0)
        self.hint.setText("" if found else "No customer matches that name.")


class OverlayBar(QWidget):
    """'Add overlay' menu plus one removable chip per overlay.

    Signals:
        changed(): overlays were added or removed.
    """

    changed = Signal()

    def __init__(self, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._search = search
        self.managers: list[str] = []
        self.customers: list[tuple[int, str]] = []
        self._available: list[str] = []
        self.add_button = QToolButton()
        self.add_button.setObjectName("add_overlay")
        self.add_button.setText("Add overlay ▾")
        self.add_button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.add_button)
        self.menu.aboutToShow.connect(self._on_menu_about_to_show)
        self.add_button.setMenu(self.menu)
        self._chips = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.add_button)
        layout.addLayout(self._chips)
        layout.addStretch(1)
        self.note = muted(wrap=False)
        layout.addWidget(self.note)

    def set_available_managers(self, managers: list[str]) -> None:
        self._available = managers

    def count(self) -> int:
        return len(self.managers) + len(self.customers)

    def add_manager(self, name: str) -> None:
        if name not in self.managers and self.count() < MAX_OVERLAYS:
            self.managers.append(name)
            self._rebuild()

    def add_customer(self, customer_id: int, name: str) -> None:
        if all(c != customer_id for c, _ in self.customers) and self.count() < MAX_OVERLAYS:
            self.customers.append((customer_id, name))
            self._rebuild()

    def clear(self) -> None:
        self.managers, self.customers = [], []
        self._rebuild()

    def _rebuild(self) -> None:
        while self._chips.count():
            item = self._chips.takeAt(0)
            widget = None if item is None else item.widget()
            if widget is not None:
                widget.deleteLater()
        for name in self.managers:
            self._chip(f"{name}'s book", partial(self._remove_manager, name))
        for cid, name in self.customers:
            self._chip(name, partial(self._remove_customer, cid))
        full = self.count() >= MAX_OVERLAYS
        self.note.setText(f"At most {MAX_OVERLAYS} overlays." if full else "")
        self.changed.emit()

    def _chip(self, text: str, remove: Callable[[], None]) -> None:
        chip = QPushButton(f"{text}  ×")
        chip.setToolTip("Remove this overlay")
        chip.setObjectName("overlay_chip")
        chip.clicked.connect(remove)
        self._chips.addWidget(chip)

    def _remove_manager(self, name: str) -> None:
        self.managers.remove(name)
        self._rebuild()

    def _remove_customer(self, customer_id: int) -> None:
        self.customers = [c for c in self.customers if c[0] != customer_id]
        self._rebuild()

    def _on_menu_about_to_show(self) -> None:
        self.menu.clear()
        self.menu.addSection("A manager's book")
        for name in self._available:
            action = self.menu.addAction(name, partial(self.add_manager, name))
            action.setEnabled(name not in self.managers)
        if not self._available:
            self.menu.addAction("No managers yet").setEnabled(False)
        self.menu.addSection("A single customer")
        self.menu.addAction("Find a customer…", self.pick_customer)
        for action in self.menu.actions():
            if self.count() >= MAX_OVERLAYS and not action.isSeparator():
                action.setEnabled(False)

    def pick_customer(self) -> None:
        dialog = CustomerPicker(self._search, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            chosen = dialog.chosen()
            if chosen is not None:
                self.add_customer(*chosen)
