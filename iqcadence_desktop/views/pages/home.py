"""Home Base: getting started when the portfolio is empty, headline numbers otherwise."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.portfolio import PortfolioSummary
from iqcadence_desktop.services.scoring import BAND_LABELS, BANDS
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.theme import BAND_COLORS, money

SAMPLE_CUSTOMERS = 250
SAMPLE_DAYS = 90


def card(title: str) -> tuple[QFrame, QLabel]:
    """A KPI card: small title above a large value label."""
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = QVBoxLayout(frame)
    caption = QLabel(title)
    caption.setProperty("role", "muted")
    value = QLabel("—")
    value.setProperty("role", "kpi")
    layout.addWidget(caption)
    layout.addWidget(value)
    return frame, value


class HomePage(Page):
    """Greets the user; offers a sample portfolio when there is nothing yet.

    Signals:
        sample_loaded(): a sample portfolio was added.
    """

    PAGE_ID = "home"
    TITLE = "Home Base"
    SECTION = "Monitor"
    ICON = "home"

    sample_loaded = Signal()

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._stack = QStackedWidget()
        self._stack.addWidget(self._build_empty())
        self._stack.addWidget(self._build_summary())
        layout = QVBoxLayout(self)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        layout.addWidget(title)
        layout.addWidget(self._stack, 1)
        self.track(ctx.bridge.customers_changed, self.mark_stale)
        self.track(ctx.bridge.config_changed, self.mark_stale)

    def _build_empty(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        intro = QLabel("Your portfolio is empty. The quickest way to see what iQcadence does "
                       "is a sample portfolio: a few hundred made-up accounts with three "
                       "months of history. You can move it to the trash later.")
        intro.setWordWrap(True)
        self.sample_button = QPushButton("Load a sample portfolio")
        self.sample_button.setObjectName("load_sample")
        self.sample_button.clicked.connect(self._on_sample_clicked)
        self._progress = QProgressBar()
        self._progress.hide()
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.setStyleSheet("color: #c62828")
        for widget in (intro, self.sample_button, self._progress, self._error):
            layout.addWidget(widget)
        return box

    def _build_summary(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        self.greeting = QLabel()
        self.greeting.setProperty("role", "muted")
        layout.addWidget(self.greeting)
        grid = QGridLayout()
        self.kpis: dict[str, QLabel] = {}
        for i, (key, title) in enumerate((("health", "Portfolio health"),
                                          ("customers", "Accounts"),
                                          ("mrr", "Total MRR"),
                                          ("risk", "Revenue at risk"),
                                          ("expansion", "Expansion opportunity"))):
            frame, value = card(title)
            self.kpis[key] = value
            grid.addWidget(frame, 0, i)
        layout.addLayout(grid)
        bands = QHBoxLayout()
        self.band_labels: dict[str, QLabel] = {}
        for band in BANDS:
            frame, value = card(BAND_LABELS[band])
            value.setStyleSheet(f"color: {BAND_COLORS[band]}")
            self.band_labels[band] = value
            bands.addWidget(frame)
        layout.addLayout(bands)
        layout.addStretch(1)
        return box

    def refresh(self) -> None:
        super().refresh()
        summary = self.ctx.services.portfolio.summary(self.ctx.manager)
        if summary.customers == 0 and not self.ctx.services.customers.list_customers():
            self._stack.setCurrentIndex(0)
            return
        self._stack.setCurrentIndex(1)
        self._show(summary)

    def _show(self, s: PortfolioSummary) -> None:
        user = self.ctx.services.settings.local_user().name
        self.greeting.setText(f"Hello {user}. Here is your portfolio as of "
                              f"{s.as_of:%A %d %B %Y}.")
        avg = "—" if s.average_score is None else f"{s.average_score + 0.5:.0f}"
        self.kpis["health"].setText(avg)
        self.kpis["customers"].setText(f"{s.customers:,}")
        self.kpis["mrr"].setText(money(s.mrr_cents))
        self.kpis["risk"].setText(money(s.revenue_at_risk_cents))
        self.kpis["expansion"].setText(money(s.expansion_estimate_cents))
        for band, label in self.band_labels.items():
            label.setText(f"{s.band_counts.get(band, 0):,}")

    def _on_sample_clicked(self) -> None:
        self.sample_button.setEnabled(False)
        self._progress.show()
        self._error.clear()
        customers = self.ctx.services.customers
        self.ctx.tasks.run(
            lambda token: customers.load_sample(SAMPLE_CUSTOMERS, SAMPLE_DAYS,
                                                progress=token.progress),
            on_success=self._on_sample_finished, on_error=self._on_sample_failed,
            on_progress=self._on_sample_progress)

    def _on_sample_progress(self, done: int, total: int) -> None:
        self._progress.setRange(0, total)
        self._progress.setValue(done)

    def _on_sample_finished(self, _count: int) -> None:
        self._progress.hide()
        self.sample_button.setEnabled(True)
        self.sample_loaded.emit()
        self.refresh()

    def _on_sample_failed(self, exc: BaseException) -> None:
        self._progress.hide()
        self.sample_button.setEnabled(True)
        self._error.setText(f"The sample portfolio could not be loaded: {exc}")
