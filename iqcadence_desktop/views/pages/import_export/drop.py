"""A drop target for CSV files, with a button for those who prefer a file picker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from iqcadence_desktop.views.theme import Color


class ImportDropZone(QFrame):
    """Emits `file_chosen(str)` when a file is dropped or picked.

    Signals:
        file_chosen(str): the path of the file.
        pick_requested(): the user pressed "Choose file…" (the page shows the dialog).
    """

    file_chosen = Signal(str)
    pick_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setObjectName("importDropZone")
        self.setStyleSheet(
            f"#importDropZone {{ border: 2px dashed {Color.BORDER_STRONG}; border-radius: 10px;"
            f" background: {Color.SURFACE_ALT}; }}"
        )
        self.setMinimumHeight(180)
        title = QLabel("Drop a CSV file here")
        title.setStyleSheet("font-size: 16px; font-weight: 600;")
        hint = QLabel(
            "Exports from a CRM or a spreadsheet work as they are: the columns are "
            "recognised, and you can adjust the mapping before anything is saved."
        )
        hint.setWordWrap(True)
        hint.setFixedWidth(440)
        hint.setMinimumHeight(hint.heightForWidth(440))
        hint.setProperty("role", "muted")
        self.button = QPushButton("Choose file…")
        self.button.clicked.connect(self.pick_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (title, hint, self.button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        hint.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt API)
        if _first_file(event.mimeData().urls()) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt API)
        path = _first_file(event.mimeData().urls())
        if path is not None:
            event.acceptProposedAction()
            self.file_chosen.emit(str(path))


def _first_file(urls: list) -> Path | None:  # type: ignore[type-arg]
    for url in urls:
        if url.isLocalFile():
            return Path(url.toLocalFile())
    return None
