"""Home Base (S5): getting started when the portfolio is empty, the day's overview otherwise.

All figures come from HomeSummaryService (Qt-free); this page only lays them out and
turns clicks into navigation or customer-open requests.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.alerts import SEVERITY_LABELS
from iqcadence_desktop.services.portfolio import HomeSummary, Kpi
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.home.health_ring import HealthRing
from iqcadence_desktop.views.pages.home.heatmap import HealthHeatmap
from iqcadence_desktop.views.pages.home.kpi_card import KpiCard
from iqcadence_desktop.views.pages.home.sections import (
    LinkList,
    PipelineView,
    SectionCard,
    TierCards,
    band_badge,
    dot,
)
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import ERROR_STYLE, SEVERITY_COLORS, Color, money

SAMPLE_CUSTOMERS = 250
SAMPLE_DAYS = 90
KPI_TITLES = (
    ("health", "Portfolio health"),
    ("risk", "Revenue at risk"),
    ("renewals", "Upcoming renewals"),
    ("expansion", "Expansion opportunity"),
    ("mrr", "Total MRR"),
)
#: Below this page width the KPI cards wrap onto two rows.
NARROW = 900


class HomePage(Page):
    """Greets the user and shows the portfolio at a glance; offers three ways to start.

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
        self.summary: HomeSummary | None = None
        self._stack = QStackedWidget()
        self._stack.addWidget(self._build_empty())
        self._stack.addWidget(self._build_overview())
        # Until the first summary arrives we do not know whether the portfolio is empty:
        # say so, rather than flash the getting-started cards at a full portfolio.
        loading = QLabel("Loading your portfolio…")
        loading.setProperty("role", "muted")
        loading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self._stack.addWidget(loading)
        self._stack.setCurrentWidget(loading)
        layout = QVBoxLayout(self)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        layout.addWidget(title)
        layout.addWidget(self._stack, 1)
        self.track(ctx.bridge.customers_changed, self.mark_stale)
        self.track(ctx.bridge.config_changed, self.mark_stale)
        self.track(ctx.bridge.alerts_changed, self.mark_stale)

    # -- empty portfolio -------------------------------------------------------------
    def _build_empty(self) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        intro = QLabel(
            "There are no accounts yet. Pick one of these to begin; you can combine them later."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(
            self._start_card(
                "Import a CSV file",
                "Bring in a spreadsheet export. Columns are recognised "
                "by name and you can fix the mapping before anything is saved.",
                "Import a CSV…",
                "start_import",
                "import_export",
            )
        )
        row.addWidget(
            self._start_card(
                "Score a customer by hand",
                "Type in one account's signals and watch its health score build up as you go.",
                "Score a customer…",
                "start_score",
                "score_customer",
            )
        )
        row.addWidget(self._sample_card())
        layout.addLayout(row)
        layout.addStretch(1)
        return box

    def _start_card(
        self, title: str, text: str, button_text: str, name: str, page_id: str
    ) -> QFrame:
        card = SectionCard(title, fill=True)
        body = QLabel(text)
        body.setWordWrap(True)
        body.setStyleSheet("border: none;")
        button = QPushButton(button_text)
        button.setObjectName(name)
        button.clicked.connect(lambda: self.navigation_requested.emit(page_id, {}))
        card.body.addWidget(body)
        card.body.addStretch(1)
        card.body.addWidget(button)
        return card

    def _sample_card(self) -> QFrame:
        card = SectionCard("Load a sample portfolio", fill=True)
        body = QLabel(
            f"{SAMPLE_CUSTOMERS} made-up accounts with {SAMPLE_DAYS} days of "
            "history: the quickest way to see every page at work. Move them to "
            "the trash whenever you like."
        )
        body.setWordWrap(True)
        body.setStyleSheet("border: none;")
        self.sample_button = QPushButton("Load a sample portfolio")
        self.sample_button.setObjectName("load_sample")
        self.sample_button.clicked.connect(self._on_sample_clicked)
        self._progress = QProgressBar()
        self._progress.hide()
        self._error = QLabel()
        self._error.setWordWrap(True)
        self._error.setStyleSheet(ERROR_STYLE + " border: none;")
        self._error.hide()
        card.body.addWidget(body)
        card.body.addStretch(1)
        for widget in (self.sample_button, self._progress, self._error):
            card.body.addWidget(widget)
        return card

    # -- overview ----------------------------------------------------------------------
    def _build_overview(self) -> QScrollArea:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 8, 0)
        self.greeting = QLabel()
        self.greeting.setObjectName("greeting")
        self.greeting.setStyleSheet("font-size: 16px;")
        self.greeting.setWordWrap(True)
        layout.addWidget(self.greeting)
        top = QHBoxLayout()
        top.addWidget(self._build_ring_card())
        self.actions_card = SectionCard("Action items")
        self.action_items = LinkList("No open alerts. A quiet day.")
        self.action_items.setObjectName("action_items")
        self.actions_card.body.addWidget(self.action_items)
        top.addWidget(self.actions_card, 1)
        layout.addLayout(top)
        layout.addLayout(self._build_kpis())
        layout.addLayout(self._build_lists())
        layout.addWidget(self._build_heatmap_card())
        layout.addStretch(1)
        return _scrolling(content)

    def _build_kpis(self) -> QGridLayout:
        self.kpi_grid = QGridLayout()
        self.kpis: dict[str, KpiCard] = {}
        for key, title in KPI_TITLES:
            card = KpiCard(title)
            card.setObjectName(f"kpi_{key}")
            card.clicked.connect(lambda k=key: self._on_kpi_clicked(k))
            self.kpis[key] = card
        self._place_kpis(5)
        return self.kpi_grid

    def _build_ring_card(self) -> QFrame:
        card = SectionCard("Portfolio health")
        row = QHBoxLayout()
        self.ring = HealthRing()
        row.addWidget(self.ring)
        self.quick_stats = QLabel()
        self.quick_stats.setObjectName("quick_stats")
        self.quick_stats.setTextFormat(Qt.TextFormat.RichText)
        self.quick_stats.setStyleSheet("border: none;")
        row.addWidget(self.quick_stats)
        card.body.addLayout(row)
        return card

    def _build_lists(self) -> QGridLayout:
        grid = QGridLayout()
        self.pipeline_card = SectionCard("Renewal pipeline")
        self.pipeline = PipelineView()
        self.pipeline_card.body.addWidget(self.pipeline)
        self.priority_card = SectionCard("Priority accounts")
        self.priority = LinkList("No accounts yet.")
        self.priority_card.body.addWidget(self.priority)
        self.drops_card = SectionCard("Biggest drops (7 days)")
        self.drops = LinkList("No score fell over the last 7 days.")
        self.drops_card.body.addWidget(self.drops)
        self.tiers_card = SectionCard("Tiers")
        self.tiers = TierCards()
        self.tiers_card.body.addWidget(self.tiers)
        for i, card in enumerate(
            (self.pipeline_card, self.priority_card, self.drops_card, self.tiers_card)
        ):
            grid.addWidget(card, i // 2, i % 2)
        for links in (self.priority, self.drops, self.action_items):
            links.customer_clicked.connect(self.customer_open_requested.emit)
        return grid

    def _build_heatmap_card(self) -> QFrame:
        card = SectionCard("Health heatmap")
        self.heatmap_mode = "tier"
        group = QButtonGroup(card)
        for mode, text in (("tier", "By tier"), ("manager", "By manager")):
            button = QPushButton(text)
            button.setObjectName(f"heatmap_{mode}")
            button.setCheckable(True)
            button.setChecked(mode == "tier")
            button.clicked.connect(lambda _=False, m=mode: self._on_heatmap_mode_clicked(m))
            group.addButton(button)
            card.header.addWidget(button)
        self.heatmap = HealthHeatmap()
        card.body.addWidget(self.heatmap)
        return card

    def _place_kpis(self, columns: int) -> None:
        for i, (key, _) in enumerate(KPI_TITLES):
            self.kpi_grid.addWidget(self.kpis[key], i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt API)
        self._place_kpis(3 if event.size().width() < NARROW else 5)
        super().resizeEvent(event)

    # -- data ----------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        home, manager = self.ctx.services.home, self.ctx.manager
        self.ctx.tasks.run(
            owner=self,
            lane=Lane.READ,
            fn=lambda _token: home.summary(manager),
            on_success=self._on_summary_loaded,
            on_error=self._on_load_failed,
        )

    def _on_summary_loaded(self, s: HomeSummary) -> None:
        self.summary = s
        self._stack.setCurrentIndex(0 if s.portfolio_empty else 1)
        if s.portfolio_empty:
            return
        self.greeting.setText(
            _greeting(self.ctx.services.settings.display_name(), self.ctx.manager, s)
        )
        self.ring.set_data(
            s.band_counts, None if s.average_score is None else int(s.average_score + 0.5)
        )
        self.quick_stats.setText(_quick_stats(s))
        for kpi in s.kpis:
            self.kpis[kpi.key].set_value(
                _kpi_text(kpi), kpi.detail, "Open the matching accounts in Customers"
            )
        self.action_items.set_lines(
            [
                (
                    a.customer_id,
                    a.customer,
                    f"{dot(SEVERITY_COLORS[a.severity])} "
                    f"{SEVERITY_LABELS[a.severity]}: {html.escape(a.message)}",
                )
                for a in s.action_items
            ]
        )
        self._show_lists(s)

    def _show_lists(self, s: HomeSummary) -> None:
        self.pipeline.set_buckets(s.pipeline)
        self.priority.set_lines(
            [
                (
                    a.customer_id,
                    a.name,
                    f"{band_badge(a.status, a.shown_score)}"
                    f" · {money(a.mrr_cents)} · priority {a.priority:.0f}",
                )
                for a in s.priority_accounts
            ]
        )
        self.drops.set_lines(
            [
                (
                    a.customer_id,
                    a.name,
                    f"{band_badge(a.status, a.shown_score)} "
                    f"<span style='color:{Color.DANGER}'>▼ {abs(a.momentum or 0):.0f}"
                    "</span>",
                )
                for a in s.biggest_drops
            ]
        )
        self.tiers.set_tiers(s.tiers)
        self._show_heatmap()

    def _show_heatmap(self) -> None:
        if self.summary is not None:
            self.heatmap.set_heatmap(
                self.summary.heatmap_tier
                if self.heatmap_mode == "tier"
                else self.summary.heatmap_manager
            )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.greeting.setText(f"Home Base could not be loaded: {html.escape(str(exc))}")

    # -- slots -------------------------------------------------------------------------
    def _on_kpi_clicked(self, key: str) -> None:
        if self.summary is None:
            return
        target = next(k.target for k in self.summary.kpis if k.key == key)
        params = dict(target)
        if self.ctx.manager:
            params["manager"] = self.ctx.manager
        self.navigation_requested.emit("customers", params)

    def _on_heatmap_mode_clicked(self, mode: str) -> None:
        self.heatmap_mode = mode
        self._show_heatmap()

    def _on_sample_clicked(self) -> None:
        self.sample_button.setEnabled(False)
        self._progress.show()
        self._error.hide()
        customers = self.ctx.services.customers
        self.ctx.tasks.run(
            owner=self,
            fn=lambda token: customers.load_sample(
                SAMPLE_CUSTOMERS, SAMPLE_DAYS, progress=token.progress
            ),
            on_success=self._on_sample_finished,
            on_error=self._on_sample_failed,
            on_progress=self._on_sample_progress,
        )

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
        self._error.show()


def _kpi_text(kpi: Kpi) -> str:
    if kpi.value is None:
        return "—"
    return money(int(kpi.value)) if kpi.is_money else f"{kpi.value:,}"


def _greeting(name: str | None, manager: str | None, s: HomeSummary) -> str:
    """'Welcome back, Sarah.' with the display name from Settings; no name, no guess."""
    hello = f"Welcome back, <b>{html.escape(name)}</b>." if name else "Welcome back."
    scope = f"{html.escape(manager)}'s book" if manager else "your portfolio"
    accounts = f"{s.customers:,} account" + ("" if s.customers == 1 else "s")
    return f"{hello} Here is {scope} as of {s.as_of:%A %d %B %Y}: {accounts}."


def _quick_stats(s: HomeSummary) -> str:
    """Four counts of accounts (one unit for the whole legend), the share in a tooltip."""
    healthy = s.band_counts.get("healthy", 0) + s.band_counts.get("expansion", 0)
    rows = (
        ("Healthy or better", healthy, Color.SUCCESS),
        ("At risk", s.at_risk, Color.WARNING),
        ("Improving (7 d)", s.improving, Color.INFO),
        ("Declining (7 d)", s.declining, Color.DANGER),
    )
    cells = "".join(
        f"<tr><td style='color:{Color.MUTED}; padding-right:10px'>{label}</td>"
        f"<td align='right' style='color:{color}; font-weight:600; font-size:15px'>"
        f"{value:,}</td></tr>"
        for label, value, color in rows
    )
    head = f"<tr><td colspan='2' style='color:{Color.MUTED}'>Accounts</td></tr>"
    return f"<table cellspacing='3'>{head}{cells}</table>"


def _scrolling(content: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidget(content)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroll
