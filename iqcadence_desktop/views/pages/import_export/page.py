"""Import / Export page: the CSV import wizard, exports, and backup / restore (S7)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import data_dir
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.system import backup_name
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.import_export.crm_import import CrmImportTab
from iqcadence_desktop.views.pages.import_export.wizard import ImportWizard
from iqcadence_desktop.views.widgets.common import button_row, documents_dir


class ImportExportPage(Page):
    """Import a CSV through a short wizard; export the portfolio; back up and restore."""

    PAGE_ID = "import_export"
    TITLE = "Import / Export"
    SECTION = "Data"
    ICON = "import"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        self.wizard = ImportWizard(ctx)
        self.wizard.customers_requested.connect(
            lambda ids: self.navigation_requested.emit("customers", {"ids": ids})
        )
        self.tabs = QTabWidget()
        self.crm = CrmImportTab(ctx)
        self.crm.settings_requested.connect(
            lambda: self.navigation_requested.emit("settings", {"section": "integrations"})
        )
        self.tabs.addTab(self.wizard, "Import CSV")
        self.tabs.addTab(self.crm, "Import from CRM")
        self.tabs.addTab(self._build_export_tab(), "Export && backup")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.tabs, 1)

    # -- export and backup ---------------------------------------------------------
    def _build_export_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self._export_group())
        layout.addWidget(self._backup_group())
        self.status = QLabel("")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        layout.addStretch(1)
        return tab

    def _export_group(self) -> QGroupBox:
        box = QGroupBox("Export customers")
        grid = QGridLayout(box)
        self.scope = QComboBox()
        grid.addWidget(QLabel("Which customers:"), 0, 0)
        grid.addWidget(self.scope, 0, 1, 1, 2)
        enriched = QPushButton("Export enriched CSV…")
        enriched.clicked.connect(lambda: self._on_export_clicked("enriched"))
        bulk = QPushButton("Export bulksheet…")
        bulk.clicked.connect(lambda: self._on_export_clicked("bulksheet"))
        grid.addWidget(enriched, 1, 1)
        grid.addWidget(bulk, 1, 2)
        hint = QLabel(
            "The enriched CSV holds scores, status, priority and renewal timing for "
            "analysis. The bulksheet holds every editable field and a stable id: "
            "edit it in Excel and import it again to apply your changes."
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "muted")
        grid.addWidget(hint, 2, 0, 1, 4)
        grid.setColumnStretch(3, 1)
        return box

    def _backup_group(self) -> QGroupBox:
        box = QGroupBox("Backup and restore")
        button_row(
            [
                ("Back up to a file…", self._on_backup_clicked),
                ("Copy the database file…", self._on_copy_clicked),
                ("Restore from a backup…", self._on_restore_clicked),
            ],
            box,
        )
        return box

    def refresh(self) -> None:
        super().refresh()
        self.crm.refresh()
        manager = self.ctx.manager
        self.scope.clear()
        self.scope.addItem("The whole portfolio", None)
        if manager:
            self.scope.addItem(f"Only {manager}'s customers", manager)
            self.scope.setCurrentIndex(1)

    def _on_export_clicked(self, kind: str) -> None:
        name = "customers-bulksheet.csv" if kind == "bulksheet" else "customers.csv"
        path = self.ask_save_path(f"Export {kind}", name, "CSV files (*.csv)")
        if path is not None:
            self.export_to(path, kind)

    def export_to(self, path: Path, kind: str) -> None:
        flt = CustomerFilter(manager=self.scope.currentData())
        self._run(
            lambda: self.ctx.services.exporter.export(path, kind, flt),
            lambda n: f"Exported {n:,} customers to {path.name}.",
        )

    def _on_backup_clicked(self) -> None:
        path = self.ask_save_path(
            "Back up", backup_name(self.ctx.services.clock.now()), "Backups (*.json)"
        )
        if path is not None:
            self.backup_to(path)

    def backup_to(self, path: Path) -> None:
        self._run(
            lambda: self.ctx.services.backups.backup(path),
            lambda s: (
                s.damage_text()
                or f"Backed up {s.customers:,} customers and everything else to {path.name}."
            ),
        )

    def _on_copy_clicked(self) -> None:
        path = self.ask_save_path(
            "Copy the database", "iqcadence-copy.sqlite3", "SQLite files (*.sqlite3)"
        )
        if path is not None:
            self._run(
                lambda: self.ctx.services.backups.copy_database(path),
                lambda s: s.damage_text() or f"Copied the database to {s.path.name}.",
            )

    def _on_restore_clicked(self) -> None:
        path = self.ask_open_path("Restore from a backup", "Backups (*.json)")
        if path is not None and self.confirm(
            "Restore this backup?",
            f"Every customer, setting and history entry will be "
            f"replaced by the contents of {path.name}. The current data is saved to a "
            "backup file first.",
        ):
            self.restore_from(path)

    def restore_from(self, path: Path) -> None:
        self._run(
            lambda: self.ctx.services.backups.restore(path, self._safety_folder()),
            lambda s: (
                f"Restored {s.customers:,} customers from {path.name}. The data "
                f"from before is in {s.safety_copy}."
            ),
        )

    def _safety_folder(self) -> Path:
        """The automatic backup before a restore goes beside the database file."""
        path = self.ctx.services.db.path
        return path.parent if path is not None else data_dir() / "backups"

    def _run(self, work: object, done: object) -> None:
        self.status.setText("Working…")
        self.ctx.tasks.run(
            owner=self,
            fn=lambda _token: work(),  # type: ignore[operator]
            on_success=lambda r: self.status.setText(done(r)),  # type: ignore[operator]
            on_error=self._on_task_failed,
        )

    def _on_task_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, UserFacingError):
            raise exc
        self.status.setText(f"⚠ {exc}")

    # -- dialogs (tests replace these) -------------------------------------------------
    def ask_save_path(self, caption: str, name: str, filters: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, caption, str(documents_dir() / name), filters)
        return Path(chosen) if chosen else None

    def ask_open_path(self, caption: str, filters: str) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, caption, str(documents_dir()), filters)
        return Path(chosen) if chosen else None

    def confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes
