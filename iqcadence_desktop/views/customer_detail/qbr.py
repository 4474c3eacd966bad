"""The detail window's "Business review" button: a QBR pack PDF for this customer, for
the customer (the default: nothing internal in it) or for internal use."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from iqcadence_desktop.services.reports import RenderedReport, ReportRequest
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.widgets.audience import audience_combo


class QbrButton(QWidget):
    """Asks where to save, builds the business-review PDF in the background, opens it."""

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self.customer_name = ""
        self.button = QPushButton("Business review (PDF)…")
        self.button.setToolTip(
            "A business review PDF: for the customer (health, trends, value, adoption, "
            "actions) or internal (also churn risk, notes, agenda and talking points)"
        )
        self.button.clicked.connect(self._on_button_clicked)
        self.audience = audience_combo()
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.status, 1)
        row.addWidget(self.audience)
        row.addWidget(self.button)

    def choose_path(self) -> Path | None:
        """Where to save (a dialog; tests replace this)."""
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        today = self.ctx.services.clock.today().isoformat()
        internal = " (internal)" if self.audience.currentData() == "internal" else ""
        suggested = str(
            Path(folder) / f"{self.customer_name} business review{internal} {today}.pdf"
        )
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the business review", suggested, "PDF files (*.pdf)"
        )
        return Path(chosen) if chosen else None

    def open_file(self, path: Path) -> None:
        """Show the PDF in the system viewer (tests replace this)."""
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _on_button_clicked(self) -> None:
        path = self.choose_path()
        if path is None:
            return
        reports, day = self.ctx.services.reports, self.ctx.services.clock.today()
        request = ReportRequest(
            "customer-health",
            day,
            customer_id=self.customer_id,
            qbr=True,
            audience=self.audience.currentData(),
        )
        self.button.setEnabled(False)
        self.status.setText("Preparing the business review…")
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: reports.render(request, path, "pdf"),
            on_success=self._on_rendered,
            on_error=self._on_failed,
        )

    def _on_rendered(self, rendered: RenderedReport) -> None:
        self.button.setEnabled(True)
        self.status.setText(f"Saved {rendered.path.name} ({rendered.pages} pages).")
        self.open_file(rendered.path)

    def _on_failed(self, exc: BaseException) -> None:
        self.button.setEnabled(True)
        self.status.setText(f"The business review could not be made: {exc}")
