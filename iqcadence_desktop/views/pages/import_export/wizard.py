"""The CSV import wizard: choose a file → check the mapping → validate → import → result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.csv_io import (
    DELIMITERS,
    ImportIssue,
    ImportOptions,
    ImportPreview,
    ImportResult,
    write_csv,
)
from iqcadence_desktop.services.customers import CustomerFilter
from iqcadence_desktop.services.scoring import Cancelled
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.import_export.drop import ImportDropZone
from iqcadence_desktop.views.pages.import_export.keep_columns import KeepColumnsPanel
from iqcadence_desktop.views.pages.import_export.mapping import ImportMappingTable
from iqcadence_desktop.views.pages.import_export.summary import file_size, summary
from iqcadence_desktop.views.pages.import_export.what_happens import WhatHappensPanel
from iqcadence_desktop.views.tasks import CancelToken
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.common import documents_dir

ENCODINGS = (
    ("Detect", None),
    ("UTF-8", "utf-8"),
    ("UTF-8 with BOM", "utf-8-sig"),
    ("Windows (cp1252)", "cp1252"),
    ("Latin-1", "latin-1"),
)

DATE_ORDERS = (("Month first", "mdy"), ("Day first", "dmy"))
STEP_CHOOSE, STEP_MAP, STEP_DONE = 0, 1, 2
MAX_SHOWN = 2000  # rows in the problem table; "Save problems as CSV" writes them all
PREVIEW_COLUMN_MAX = 260  # pixels
#: Row, column and value widths in the problem tables: a ragged row's value is long.
PROBLEM_COLUMN_WIDTHS = (56, 130, 240)
SHOWN_NAMES = 12  # names listed under "Import finished"; the button shows them all


def _table(model: QStandardItemModel) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    return view


class ImportWizard(QStackedWidget):
    """Three steps on one stack; long work goes through the page context's TaskRunner.

    Signals:
        customers_requested(list): show these customers (the ones just imported).
    """

    customers_requested = Signal(list)

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: Path | None = None
        self.preview: ImportPreview | None = None
        self.last_result: ImportResult | None = None
        self._token: CancelToken | None = None
        self.drop = ImportDropZone()
        self.drop.file_chosen.connect(lambda p: self.load_file(Path(p)))
        self.drop.pick_requested.connect(self._on_pick_requested)
        self.addWidget(self._wrap(self.drop))
        self.addWidget(self._build_map_step())
        self.addWidget(self._build_done_step())

    def _wrap(self, widget: QWidget) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(widget, 1)
        self.choose_error = QLabel("")
        self.choose_error.setWordWrap(True)
        self.choose_error.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.choose_error)
        return page

    # -- step 2: format, preview, mapping, validation ----------------------------------
    def _build_map_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(self._format_row())
        self.preview_model = QStandardItemModel()
        self.mapping = ImportMappingTable()
        self.mapping.mapping_changed.connect(self._on_mapping_changed)
        split = QSplitter()
        split.addWidget(self.mapping)
        self.preview_table = _table(self.preview_model)
        self.what = WhatHappensPanel(self.preview_table)
        self.what.unused.column_activated.connect(self._on_unused_column_activated)
        split.addWidget(self.what)
        split.setSizes([560, 380])  # the mapping matters more than the raw preview
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout.addWidget(split, 3)
        self.keep = KeepColumnsPanel()  # keep_columns.py: unused columns as custom fields
        layout.addWidget(self.keep, 1)
        self.problems_model = QStandardItemModel(0, 4)
        self.problems_model.setHorizontalHeaderLabels(["Row", "Column", "Value", "Problem"])
        self.problems = _table(self.problems_model)
        self.problems.hide()
        layout.addWidget(self.problems, 2)
        layout.addLayout(self._action_row())
        return page

    def _format_row(self) -> QVBoxLayout:
        """File name on one line, the format choices on the next (fits narrow windows)."""
        self.file_label = QLabel("")
        self.file_label.setStyleSheet("font-weight: 600;")
        self.encoding = QComboBox()
        for text, value in ENCODINGS:
            self.encoding.addItem(text, value)
        self.delimiter = QComboBox()
        for char, name in DELIMITERS.items():
            self.delimiter.addItem(name.capitalize(), char)
        self.date_order = QComboBox()
        for text, value in DATE_ORDERS:
            self.date_order.addItem(text, value)
        self.date_order.setToolTip(
            "How to read dates like 03/04/2027 when both parts could "
            "be the month. Unambiguous dates are always read right."
        )
        self.date_order.setCurrentIndex(
            max(0, self.date_order.findData(self.ctx.services.importer.date_order()))
        )
        other = QPushButton("Other file…")
        other.clicked.connect(self._on_other_file_clicked)
        top = QHBoxLayout()
        top.addWidget(self.file_label, 1)
        top.addWidget(other)
        choices = QHBoxLayout()
        for label, combo in (
            ("Encoding", self.encoding),
            ("Delimiter", self.delimiter),
            ("Ambiguous dates", self.date_order),
        ):
            choices.addWidget(QLabel(label))
            choices.addWidget(combo)
            choices.addSpacing(12)
        choices.addStretch(1)
        self.encoding.activated.connect(self._on_format_changed)
        self.delimiter.activated.connect(self._on_format_changed)
        self.date_order.activated.connect(self._on_date_order_changed)
        box = QVBoxLayout()
        box.addLayout(top)
        box.addLayout(choices)
        return box

    def _action_row(self) -> QVBoxLayout:
        box = QVBoxLayout()
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        row = QHBoxLayout()
        self.all_or_nothing = QCheckBox("Import nothing if any row has a problem")
        self.progress = QProgressBar()
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.save_problems = QPushButton("Save problems as CSV…")
        self.save_problems.hide()
        self.save_problems.clicked.connect(self._on_save_problems_clicked)
        self.check_button = QPushButton("Check file")
        self.check_button.clicked.connect(lambda: self.start(dry_run=True))
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(lambda: self.start(dry_run=False))
        box.addWidget(self.all_or_nothing)
        row.addWidget(self.progress, 1)
        for button in (
            self.cancel_button,
            self.save_problems,
            self.check_button,
            self.import_button,
        ):
            row.addWidget(button)
        box.addLayout(row)
        return box

    # -- step 3: result ----------------------------------------------------------------
    def _build_done_step(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.result_title = QLabel("")
        self.result_title.setStyleSheet("font-size: 18px; font-weight: 600;")
        self.result_text = QLabel("")
        self.result_text.setWordWrap(True)
        self.done_problems = _table(self.problems_model)
        self.imported = QLabel("")
        self.imported.setObjectName("imported_names")
        self.imported.setWordWrap(True)
        self.show_imported = QPushButton("")
        self.show_imported.setObjectName("show_imported")
        self.show_imported.clicked.connect(self._on_show_imported_clicked)
        again = QPushButton("Import another file")
        again.clicked.connect(self.reset)
        self.done_save = QPushButton("Save problems as CSV…")
        self.done_save.clicked.connect(self._on_save_problems_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_imported)
        buttons.addWidget(again)
        buttons.addWidget(self.done_save)
        buttons.addStretch(1)
        layout.addWidget(self.result_title)
        layout.addWidget(self.result_text)
        layout.addWidget(self.imported)
        layout.addLayout(buttons)
        layout.addWidget(self.done_problems, 1)
        return page

    # -- behaviour ---------------------------------------------------------------------
    def reset(self) -> None:
        self.path, self.preview = None, None
        self.choose_error.setText("")
        self.setCurrentIndex(STEP_CHOOSE)

    def load_file(self, path: Path, keep_format: bool = False) -> None:
        """Sniff the file and show step 2 (or say why it cannot be read)."""
        options = ImportOptions(
            encoding=self.encoding.currentData() if keep_format else None,
            delimiter=self.delimiter.currentData() if keep_format else None,
        )
        try:
            preview = self.ctx.services.importer.preview(path, options)
        except UserFacingError as exc:
            if self.currentIndex() == STEP_MAP and keep_format:
                self._say(f"⚠ {exc}")
                return
            self.choose_error.setText(f"⚠ {exc}")
            self.setCurrentIndex(STEP_CHOOSE)
            return
        self.path, self.preview = path, preview
        self._show_preview(preview)
        self.setCurrentIndex(STEP_MAP)

    def _show_preview(self, preview: ImportPreview) -> None:
        sniffed = preview.sniffed
        self.file_label.setText(f"{sniffed.path.name}  ({file_size(sniffed.size)})")
        self.file_label.setToolTip(str(sniffed.path))
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(sniffed.format.encoding)))
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(sniffed.format.delimiter)))
        headers = list(sniffed.headers)
        self.preview_model.clear()
        self.preview_model.setHorizontalHeaderLabels(headers)
        for cells in sniffed.rows:
            self.preview_model.appendRow([QStandardItem(c) for c in cells[: len(headers)]])
        self._fit_preview_columns()
        examples = [
            next((r[i] for r in sniffed.rows if i < len(r) and r[i].strip()), "")
            for i in range(len(headers))
        ]
        self.mapping.set_columns(headers, examples, preview.fields)
        self.what.show_preview(preview)
        self._show_unused(preview.fields)
        note = (
            " A saved mapping for this kind of file was applied."
            if preview.saved_mapping_used
            else ""
        )
        self._show_problems(())
        self._say(
            "Check the mapping, then press Check file to validate every row, or Import." + note
        )

    def _fit_preview_columns(self) -> None:
        """Whole headers and short values fit; a long note stops at PREVIEW_COLUMN_MAX."""
        header = self.preview_table.horizontalHeader()
        for column in range(self.preview_model.columnCount()):
            self.preview_table.resizeColumnToContents(column)
            width = max(header.sectionSizeHint(column), self.preview_table.columnWidth(column))
            self.preview_table.setColumnWidth(column, min(width, PREVIEW_COLUMN_MAX))

    def _on_format_changed(self) -> None:
        if self.path is not None:
            self.load_file(self.path, keep_format=True)

    def _show_unused(self, fields: Sequence[str | None]) -> None:
        if self.preview is not None:
            day_first = self.date_order.currentData() == "dmy"
            self.keep.show_columns(self.ctx.services, self.preview.sniffed, fields, day_first)

    def _on_mapping_changed(self) -> None:
        self._show_unused([self.mapping.field_at(r) for r in range(self.mapping.rowCount())])
        self._show_problems(())
        if self._refresh_what_happens():
            self._say("Mapping changed; press Check file to validate again.")

    def _on_date_order_changed(self) -> None:
        if self._refresh_what_happens():
            self._say("Date order changed; the conversions show how dates will be read.")

    def _refresh_what_happens(self) -> bool:
        """Recompute the match key, conversions and unused columns for the current
        choices (a quick read of the file's first rows); False if the mapping is unusable."""
        if self.path is None:
            return False
        try:
            preview = self.ctx.services.importer.preview(self.path, self.options(True))
        except UserFacingError as exc:
            self._say(f"⚠ {exc}")
            return False
        self.preview = preview
        self.what.show_preview(preview)
        return True

    def _on_unused_column_activated(self, index: int) -> None:
        self.mapping.setCurrentCell(index, 2)
        self.mapping.setFocus()

    def options(self, dry_run: bool) -> ImportOptions:
        return ImportOptions(
            mapping=self.mapping.mapping(),
            encoding=self.encoding.currentData(),
            delimiter=self.delimiter.currentData(),
            date_order=self.date_order.currentData(),
            dry_run=dry_run,
            all_or_nothing=self.all_or_nothing.isChecked(),
            keep=self.keep.keep(),
        )

    def start(self, dry_run: bool) -> None:
        """Validate (dry run) or import the file in the background."""
        if self.path is None:
            return
        path, options = self.path, self.options(dry_run)
        self._set_busy(True)
        self._token = self.ctx.tasks.run(
            owner=self,
            fn=lambda token: self.ctx.services.importer.run(
                path, options, token.progress, token.cancelled
            ),
            on_success=self._on_import_succeeded,
            on_error=self._on_import_failed,
            on_progress=self._on_import_progressed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0 if busy else 1)
        self.cancel_button.setVisible(busy)
        self.check_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)

    def _on_import_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_cancel_clicked(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def _on_import_succeeded(self, result: ImportResult) -> None:
        self._set_busy(False)
        self.last_result = result
        self._show_problems(result.errors)
        if result.dry_run or not result.applied:
            self._say(summary(result))
            return
        self.result_title.setText("Import finished")
        self.result_text.setText(summary(result))
        self._show_imported(result.customer_ids)
        self.setCurrentIndex(STEP_DONE)

    def _show_imported(self, ids: tuple[int, ...]) -> None:
        """Name what was imported, and offer to open those accounts in Customers."""
        self.show_imported.setVisible(bool(ids))
        if not ids:
            self.imported.setText("No customer was created or changed.")
            return
        shown = self.ctx.services.customers.list_customers(CustomerFilter(ids=ids[:SHOWN_NAMES]))
        names = ", ".join(c.name for c in shown)
        more = len(ids) - len(shown)
        self.imported.setText(f"Imported: {names}" + (f" and {more:,} more." if more > 0 else "."))
        noun = "customer" if len(ids) == 1 else f"{len(ids):,} customers"
        self.show_imported.setText(f"Show the imported {noun} →")

    def _on_show_imported_clicked(self) -> None:
        if self.last_result is not None:
            self.customers_requested.emit(list(self.last_result.customer_ids))

    def _on_import_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self._say("Import cancelled; nothing was imported.")
        elif isinstance(exc, UserFacingError):
            self._say(f"⚠ {exc}")
        else:
            raise exc

    def _show_problems(self, issues: tuple[ImportIssue, ...]) -> None:
        self.problems_model.removeRows(0, self.problems_model.rowCount())
        for issue in issues[:MAX_SHOWN]:
            items = [
                QStandardItem(str(v)) for v in (issue.row, issue.column, issue.value, issue.message)
            ]
            for item in items:
                item.setToolTip(item.text())  # the full text, when a cell is too narrow
            self.problems_model.appendRow(items)
        for view in (self.problems, self.done_problems):
            for column, width in enumerate(PROBLEM_COLUMN_WIDTHS):
                view.setColumnWidth(column, width)  # the message column stretches
            # Heights follow the widths the view ends up with once it is laid out.
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for widget in (self.problems, self.save_problems, self.done_problems, self.done_save):
            widget.setVisible(bool(issues))

    def _say(self, text: str) -> None:
        self.summary.setText(text)

    def _on_pick_requested(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self,
            "Import a CSV file",
            str(documents_dir()),
            "CSV files (*.csv *.txt *.tsv);;All files (*)",
        )
        if chosen:
            self.load_file(Path(chosen))

    def _on_other_file_clicked(self) -> None:
        self.reset()
        self._on_pick_requested()

    def _on_save_problems_clicked(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Save problems",
            str(documents_dir() / "import-problems.csv"),
            "CSV files (*.csv)",
        )
        if chosen:
            self.save_problems_to(Path(chosen))

    def save_problems_to(self, path: Path) -> None:
        rows = (
            []
            if self.last_result is None
            else [[e.row, e.column, e.value, e.message] for e in self.last_result.errors]
        )
        write_csv(path, ["row", "column", "value", "problem"], rows)
        self._say(f"Saved {len(rows)} problems to {path.name}.")
