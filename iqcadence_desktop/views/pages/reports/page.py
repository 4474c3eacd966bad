"""Reports: pick one of the ten reports, set filter and day, generate it in the background,
then open it, save a copy, or glance at its first page."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.paths import data_dir
from iqcadence_desktop.services.reports import (
    RenderedReport,
    ReportFormat,
    ReportKind,
    ReportRequest,
    Thumbnail,
    first_page_png,
)
from iqcadence_desktop.services.system import write_bytes
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.reports.mailing import ReportMailing
from iqcadence_desktop.views.tasks import CancelToken, Lane
from iqcadence_desktop.views.theme import ERROR_STYLE
from iqcadence_desktop.views.widgets.audience import audience_combo
from iqcadence_desktop.views.widgets.common import documents_dir

log = logging.getLogger(__name__)
KIND_ROLE = Qt.ItemDataRole.UserRole
ALL_MANAGERS = "All managers"
WHOLE_PORTFOLIO = "(whole portfolio)"
STEPS = 3
#: Width of the list-and-controls column; the preview takes the rest.
CONTROLS_WIDTH = 330
#: The first page is drawn this wide, then shown at the column's width (sharp when shrunk).
PREVIEW_PIXELS = 1100


class ReportsPage(Page):
    """The ten reports with their controls, background generation and a preview."""

    PAGE_ID = "reports"
    TITLE = "Reports"
    SECTION = "Automate"
    ICON = "reports"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.last: RenderedReport | None = None
        self.mailing = ReportMailing(self)
        self._kinds = ctx.services.reports.kinds()
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        # The list and the controls share one narrow column, so the page preview gets
        # the rest of the width: wide enough to read on a laptop.
        left = QVBoxLayout()
        left.addWidget(self._build_list())
        left.addLayout(self._build_controls(), 1)
        holder = QWidget()
        holder.setLayout(left)
        holder.setFixedWidth(CONTROLS_WIDTH)
        body = QHBoxLayout()
        body.addWidget(holder)
        body.addLayout(self._build_preview(), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(body, 1)
        self.track(ctx.bridge.customers_changed, self.mark_stale)
        self.kind_list.setCurrentRow(0)

    # -- building --------------------------------------------------------------------
    def _build_list(self) -> QListWidget:
        self.kind_list = QListWidget()
        self.kind_list.setObjectName("report_kinds")
        self.kind_list.setMaximumHeight(
            len(self._kinds) * self.kind_list.fontMetrics().lineSpacing() + 12
        )
        for kind in self._kinds:
            item = QListWidgetItem(kind.title)
            item.setData(KIND_ROLE, kind.id)
            item.setToolTip(kind.description)
            self.kind_list.addItem(item)
        self.kind_list.currentRowChanged.connect(self._on_kind_changed)
        return self.kind_list

    def _build_controls(self) -> QVBoxLayout:
        self.kind_title = QLabel()
        self.kind_title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setProperty("role", "muted")
        self.manager_box = QComboBox()
        self.as_of = QDateEdit()
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.customer_box = QComboBox()
        self.customer_box.setEditable(True)
        self.customer_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.qbr_check = QCheckBox("Business review (multi-page QBR pack)")
        self.qbr_check.setToolTip("A multi-page review pack instead of the one-page health report")
        self.audience_box = audience_combo()
        self.qbr_check.toggled.connect(self.audience_box.setEnabled)
        self.audience_box.setEnabled(False)
        self.format_box = QComboBox()
        self.format_box.addItems(["PDF", "CSV"])
        form = QFormLayout()
        form.addRow("Manager", self.manager_box)
        form.addRow("As of", self.as_of)
        form.addRow("Customer", self.customer_box)
        form.addRow("", self.qbr_check)
        form.addRow("Review for", self.audience_box)
        form.addRow("Format", self.format_box)
        return self._with_actions(form)

    def _with_actions(self, form: QFormLayout) -> QVBoxLayout:
        self.generate_button = QPushButton("Generate")
        self.generate_button.setObjectName("generate_report")
        self.generate_button.clicked.connect(self._on_generate_clicked)
        self.open_button = QPushButton("Open")
        self.open_button.clicked.connect(self._on_open_clicked)
        self.save_button = QPushButton("Save as…")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.open_button.setEnabled(False)
        self.save_button.setEnabled(False)
        self.email_button = QPushButton("Email now…")
        self.email_button.setObjectName("email_report")
        self.email_button.setToolTip("Send this report by email now, through an email connection")
        self.email_button.clicked.connect(self.mailing.email_now)
        self.schedule_button = QPushButton("Schedule…")
        self.schedule_button.setObjectName("schedule_report")
        self.schedule_button.setToolTip("Email this report every day, week or month")
        self.schedule_button.clicked.connect(self.mailing.schedule)
        buttons = QHBoxLayout()
        for b in (
            self.generate_button,
            self.open_button,
            self.save_button,
            self.email_button,
            self.schedule_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        self.progress = QProgressBar()
        self.progress.setRange(0, STEPS)
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        # Room for three wrapped lines, so a long saved-to path is never cut off.
        self.status.setMinimumHeight(3 * self.status.fontMetrics().lineSpacing() + 6)
        self.status.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        column = QVBoxLayout()
        for w in (self.kind_title, self.description):
            column.addWidget(w)
        column.addLayout(form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addStretch(1)
        return column

    def _build_preview(self) -> QVBoxLayout:
        self.preview = QLabel("Generate a report to see its first page here.")
        self.preview.setObjectName("report_preview")
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self._page_image = QPixmap()
        self.preview.setProperty("role", "muted")
        # The page is shown as wide as the column allows and scrolls down: at a readable
        # size it is taller than a laptop screen.
        self.preview_scroll = QScrollArea()
        self.preview_scroll.setWidget(self.preview)
        self.preview_scroll.setWidgetResizable(True)
        self.preview_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.preview_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout()
        caption = QLabel("Preview of the first page")
        caption.setProperty("role", "muted")
        column.addWidget(caption)
        column.addWidget(self.preview_scroll, 1)
        return column

    # -- state -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload managers and customer names off the GUI thread (10k names take a while)."""
        super().refresh()
        services = self.ctx.services
        if self.as_of.date() == QDate(2000, 1, 1):  # Qt's unset value: start on today
            today = services.clock.today()
            self.as_of.setDate(QDate(today.year, today.month, today.day))
        self._on_kind_changed(self.kind_list.currentRow())

        def load(_token: CancelToken) -> tuple[list[str], list[str]]:
            names = [c.name for c in services.customers.list_customers()]
            return services.customers.managers(), sorted(names, key=str.lower)

        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=load,
            on_success=self._on_choices_loaded,
            on_error=self._on_report_failed,
        )

    def _on_choices_loaded(self, choices: tuple[list[str], list[str]]) -> None:
        managers, names = choices
        keep = self.manager_box.currentText() or self.ctx.manager or ALL_MANAGERS
        self._fill(self.manager_box, [ALL_MANAGERS, *managers], keep)
        self._fill(self.customer_box, [WHOLE_PORTFOLIO, *names], self.customer_box.currentText())

    @staticmethod
    def _fill(box: QComboBox, items: list[str], keep: str) -> None:
        box.blockSignals(True)
        box.clear()
        box.addItems(items)
        box.setCurrentIndex(max(0, box.findText(keep)))
        box.blockSignals(False)

    def selected_kind(self) -> ReportKind:
        return self._kinds[max(0, self.kind_list.currentRow())]

    def _on_kind_changed(self, row: int) -> None:
        kind = self._kinds[max(0, row)]
        self.kind_title.setText(kind.title)
        self.description.setText(kind.description)
        self.customer_box.setEnabled(kind.customer != "none")
        self.qbr_check.setEnabled(kind.id == "customer-health")
        if kind.id != "customer-health":
            self.qbr_check.setChecked(False)

    def request(self) -> ReportRequest:
        """The request the controls describe (raises UserFacingError on bad input)."""
        kind = self.selected_kind()
        manager = self.manager_box.currentText()
        name = self.customer_box.currentText().strip()
        customer_id = None
        if kind.customer != "none" and name and name != WHOLE_PORTFOLIO:
            customer_id = self.ctx.services.reports.customer_id(name)
        day = self.as_of.date()
        return ReportRequest(
            kind.id,
            dt.date(day.year(), day.month(), day.day()),
            None if manager == ALL_MANAGERS else manager,
            customer_id,
            self.qbr_check.isChecked() and kind.id == "customer-health",
            self.audience_box.currentData(),
        )

    # -- actions ---------------------------------------------------------------------
    def _on_generate_clicked(self) -> None:
        try:
            request = self.request()
        except UserFacingError as exc:
            self._show_error(exc)
            return
        fmt: ReportFormat = "csv" if self.format_box.currentText() == "CSV" else "pdf"
        out = _work_path(request, fmt)
        reports = self.ctx.services.reports

        def work(token: CancelToken) -> tuple[RenderedReport, Thumbnail | None]:
            token.progress(1, STEPS)
            done = reports.render(request, out, fmt)
            token.progress(2, STEPS)
            thumb = first_page_png(done.path, PREVIEW_PIXELS) if fmt == "pdf" else None
            token.progress(STEPS, STEPS)
            return done, thumb

        self._set_busy(True)
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=work,
            on_success=self._on_report_generated,
            on_error=self._on_report_failed,
            on_progress=self._on_progress,
        )

    def _set_busy(self, busy: bool) -> None:
        self.generate_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        if busy:
            self.status.setText("Generating…")
            self.status.setStyleSheet("")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _on_report_generated(self, result: tuple[RenderedReport, Thumbnail | None]) -> None:
        done, thumb = result
        self._set_busy(False)
        self.last = done
        self.open_button.setEnabled(True)
        self.save_button.setEnabled(True)
        size = f"{done.pages:,} pages" if done.format == "pdf" else f"{done.rows:,} rows"
        self.status.setText(f"{done.title}: {size}, ready to open or save.")
        self._show_thumbnail(thumb)

    def _show_thumbnail(self, thumb: Thumbnail | None) -> None:
        if thumb is None:
            self._page_image = QPixmap()
            self.preview.setPixmap(QPixmap())
            self.preview.setText("CSV files have no page preview.")
            return
        self._page_image = QPixmap()
        if thumb.png is not None and self._page_image.loadFromData(thumb.png, "PNG"):
            self._fit_preview()
        else:
            self.preview.setPixmap(QPixmap())
            self.preview.setText(thumb.message)

    def _fit_preview(self) -> None:
        if self._page_image.isNull():
            return
        width = max(200, self.preview_scroll.viewport().width() - 4)
        self.preview.setPixmap(
            self._page_image.scaledToWidth(
                min(width, self._page_image.width()), Qt.TransformationMode.SmoothTransformation
            )
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_preview()

    def _on_report_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, UserFacingError):
            log.error("Report generation failed", exc_info=exc)
        self._show_error(exc)

    def _show_error(self, exc: BaseException) -> None:
        text = (
            str(exc)
            if isinstance(exc, UserFacingError)
            else (
                "The report could not be made because of an internal error; the details are in "
                "the log file."
            )
        )
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE)

    def _on_open_clicked(self) -> None:
        if self.last is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last.path)))

    def _on_save_clicked(self) -> None:
        if self.last is None:
            return
        suffix = self.last.path.suffix
        target, _ = QFileDialog.getSaveFileName(
            self,
            "Save report as",
            str(documents_dir() / self.last.path.name),
            f"{suffix[1:].upper()} (*{suffix})",
        )
        if target:
            self.save_copy(Path(target))

    def save_copy(self, target: Path) -> bool:
        """Copy the last generated report to `target`; says so on failure."""
        assert self.last is not None
        try:  # whole or not at all, like every file the app writes
            write_bytes(target, self.last.path.read_bytes())
        except UserFacingError as exc:
            self._show_error(exc)
            return False
        self.status.setText(f"Saved a copy to {target}.")
        self.status.setStyleSheet("")
        return True


def _work_path(request: ReportRequest, fmt: str) -> Path:
    """Where a freshly generated report goes before the user saves it elsewhere."""
    folder = data_dir() / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{request.kind}-{request.as_of.isoformat()}.{fmt}"
