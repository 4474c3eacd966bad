"""The Customers page's "Export this view" button (enriched CSV or bulksheet)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QPushButton, QWidget

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import Lane

KINDS = {
    "enriched": ("Enriched CSV (scores, status, priority…)", "customers"),
    "bulksheet": ("Bulksheet for editing in Excel", "bulksheet"),
}


class ExportViewButton(QPushButton):
    """Writes exactly the customers the table shows, in its order, off the GUI thread.

    The outcome is handed to `done` as a sentence for the page to show.
    """

    def __init__(
        self,
        ctx: PageContext,
        visible_ids: Callable[[], list[int]],
        done: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Export view", parent)
        self.ctx = ctx
        self._visible_ids = visible_ids
        self._done = done
        menu = QMenu(self)
        for kind, (label, _stem) in KINDS.items():
            menu.addAction(label + "…", partial(self.export, kind))
        self.setMenu(menu)
        self.setToolTip("Save the customers shown below (tab, search and filters applied)")

    def choose_path(self, kind: str) -> Path | None:
        """Where to save (a dialog; tests replace this)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        stem = f"{KINDS[kind][1]}-{self.ctx.services.clock.today().isoformat()}.csv"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Export customers", str(Path(folder) / stem), "CSV files (*.csv)"
        )
        return Path(chosen) if chosen else None

    def export(self, kind: str) -> None:
        ids = self._visible_ids()
        if not ids:
            self._done("Nothing to export: no customer is shown.")
            return
        path = self.choose_path(kind)
        if path is None:
            return
        exporter = self.ctx.services.exporter
        self.setEnabled(False)
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: exporter.export(path, kind, ids),
            on_success=lambda n: self._on_exported(n, path),
            on_error=self._on_failed,
        )

    def _on_exported(self, count: int, path: Path) -> None:
        self.setEnabled(True)
        self._done(f"Exported {count:,} customers to {path.name}.")

    def _on_failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        if not isinstance(exc, UserFacingError):
            raise exc
        QMessageBox.warning(self, "Export", str(exc))
