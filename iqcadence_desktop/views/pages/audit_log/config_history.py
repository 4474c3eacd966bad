"""Config history: each stored version of weights, thresholds and profiles, with its diff."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from iqcadence_desktop.services.scoring import ConfigVersionDTO
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.rows_table_model import RowsTableModel
from iqcadence_desktop.views.widgets.common import rows_table


def kind_label(kind: str) -> str:
    return (
        "Scoring settings"
        if kind == "scoring"
        else "Scoring profile"
        if kind.startswith("profile:")
        else kind
    )


class ConfigHistoryView(QWidget):
    """Versions newest first on top; the selected version's changes below."""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._versions: list[ConfigVersionDTO] = []
        self.model = RowsTableModel(("Saved", "By", "What", "Summary"))
        self.table = rows_table(self.model, stretch_column=3)
        self.table.setSelectionMode(self.table.SelectionMode.SingleSelection)
        self.diff = QPlainTextEdit()
        self.diff.setReadOnly(True)
        self.diff.setPlaceholderText("Choose a version above to see what it changed.")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.diff)
        splitter.setSizes([300, 200])
        hint = QLabel(
            "Every saved version of the scoring settings and profiles. The lower "
            "box lists what each version changed from the one before it."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

    def refresh(self) -> None:
        self._versions = self._ctx.services.config.history()
        self.model.set_rows(
            [
                (f"{v.created_at:%Y-%m-%d %H:%M}", v.user or "", kind_label(v.kind), v.summary)
                for v in self._versions
            ],
            [v.id for v in self._versions],
        )
        self.diff.clear()
        if self._versions:
            self.table.selectRow(0)

    def select_version(self, row: int) -> None:
        self.table.selectRow(row)

    def _on_selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.diff.clear()
            return
        version = self._versions[rows[0].row()]
        lines = list(version.changes) or ["(no difference from the version before)"]
        self.diff.setPlainText("\n".join(lines))
