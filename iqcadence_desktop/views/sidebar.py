"""The sectioned sidebar: section headers, one row per page with its icon and badge."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from iqcadence_desktop.paths import resource_path

PAGE_ROLE = Qt.ItemDataRole.UserRole
TITLE_ROLE = Qt.ItemDataRole.UserRole + 1
SIDEBAR_WIDTH = 200


def page_icon(name: str) -> QIcon:
    """The bundled monochrome icon for a page, or the generic page icon."""
    path = resource_path("icons", f"{name or 'page'}.svg")
    if not path.is_file():
        path = resource_path("icons", "page.svg")
    return QIcon(str(path))


class Sidebar(QListWidget):
    """Lists pages under section headers; headers cannot be selected.

    Signals:
        page_selected(str): the user (or `select`) made this page current.
    """

    page_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setFixedWidth(SIDEBAR_WIDTH)
        self.setIconSize(QSize(18, 18))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.currentItemChanged.connect(self._on_current_item_changed)

    def add_section(self, title: str) -> None:
        header = QListWidgetItem(title.upper())
        header.setFlags(Qt.ItemFlag.NoItemFlags)
        header.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title} section")
        self.addItem(header)

    def add_page(self, page_id: str, title: str, icon: str) -> None:
        item = QListWidgetItem(page_icon(icon), title)
        item.setData(PAGE_ROLE, page_id)
        item.setData(TITLE_ROLE, title)
        item.setToolTip(title)
        self.addItem(item)

    def page_ids(self) -> list[str]:
        """Pages in sidebar order."""
        return [pid for pid in (self.item(r).data(PAGE_ROLE) for r in range(self.count())) if pid]

    def set_badge(self, page_id: str, text: str) -> None:
        item = self._item(page_id)
        if item is not None:
            title = item.data(TITLE_ROLE)
            item.setText(f"{title}  ({text})" if text else title)

    def select(self, page_id: str) -> bool:
        item = self._item(page_id)
        if item is None:
            return False
        self.setCurrentItem(item)
        return True

    def current_page_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(PAGE_ROLE))

    def _item(self, page_id: str) -> QListWidgetItem | None:
        for row in range(self.count()):
            if self.item(row).data(PAGE_ROLE) == page_id:
                return self.item(row)
        return None

    def _on_current_item_changed(
        self, item: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if item is not None and item.data(PAGE_ROLE):
            self.page_selected.emit(item.data(PAGE_ROLE))
