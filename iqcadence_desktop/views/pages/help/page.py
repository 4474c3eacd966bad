"""Help & Guide (S5): the guide in five tabs, a section list per tab, and a search box
that ranks sections across every tab. Other pages open their own section through
`Page.request_help` (the ? button and F1)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.analytics import HELP_TABS, HelpHit, HelpSection
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.tasks import Lane
from iqcadence_desktop.views.theme import Color, colored
from iqcadence_desktop.views.widgets.page_parts import BusyBar, muted, page_title

Guide = dict[str, list[HelpSection]]


class TabView(QSplitter):
    """One tab: its sections listed on the left, the whole tab rendered on the right."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.sections: list[HelpSection] = []
        self.toc = QListWidget()
        self.toc.setMaximumWidth(240)
        self.text = QTextBrowser()
        self.text.setOpenExternalLinks(True)
        self.addWidget(self.toc)
        self.addWidget(self.text)
        self.setStretchFactor(1, 1)
        self.toc.currentRowChanged.connect(self._on_toc_row_changed)

    def set_sections(self, sections: list[HelpSection]) -> None:
        self.sections = sections
        self.toc.blockSignals(True)
        self.toc.clear()
        for s in sections:
            self.toc.addItem(QListWidgetItem(s.title))
        self.toc.blockSignals(False)
        self.text.setMarkdown("\n\n".join(s.markdown for s in sections))

    def show_section(self, section_id: str) -> bool:
        for row, s in enumerate(self.sections):
            if s.id == section_id:
                self.toc.setCurrentRow(row)
                self._scroll_to(s.title)
                return True
        return False

    def _on_toc_row_changed(self, row: int) -> None:
        if 0 <= row < len(self.sections):
            self._scroll_to(self.sections[row].title)

    def _scroll_to(self, title: str) -> None:
        """Put the heading with this text at the top of the reading pane."""
        doc = self.text.document()
        block = doc.begin()
        while block.isValid():
            if block.blockFormat().headingLevel() and block.text().strip() == title:
                cursor = QTextCursor(block)
                self.text.setTextCursor(cursor)
                top = doc.documentLayout().blockBoundingRect(block).top()
                self.text.verticalScrollBar().setValue(int(top))
                return
            block = block.next()


class HelpPage(Page):
    """The searchable guide."""

    PAGE_ID = "help"
    TITLE = "Help & Guide"
    SECTION = "Settings"
    ICON = "help"
    HELP_TOPIC = "getting_started"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.guide: Guide = {}
        self.hits: list[HelpHit] = []
        self._pending_topic: str | None = None
        self.search = QLineEdit()
        self.search.setObjectName("help_search")
        self.search.setPlaceholderText("Search the guide…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("help_tabs")
        self.views: dict[str, TabView] = {}
        for key, title in HELP_TABS:
            view = TabView()
            self.views[key] = view
            self.tabs.addTab(view, title.replace("&", "&&"))
        self.results = QTextBrowser()
        self.results.setObjectName("help_results")
        self.results.setOpenLinks(False)
        self.results.anchorClicked.connect(self._on_result_clicked)
        self.status = muted()
        self.busy = BusyBar()
        self._stack = QStackedWidget()
        self._stack.addWidget(self.tabs)
        self._stack.addWidget(self.results)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        row = QHBoxLayout()
        row.addWidget(page_title(self.TITLE))
        row.addStretch(1)
        row.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(self._stack, 1)
        self.track(ctx.bridge.config_changed, self.mark_stale)  # the Scoring tab quotes it

    # -- loading -----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        service = self.ctx.services.help
        self.busy.start()
        self.ctx.tasks.run(
            lambda _token: {key: service.sections(key) for key, _ in HELP_TABS},
            owner=self,
            lane=Lane.READ,
            on_success=self._on_guide_loaded,
            on_error=self._on_load_failed,
        )

    def _on_guide_loaded(self, guide: Guide) -> None:
        self.busy.stop()
        self.guide = guide
        for key, view in self.views.items():
            view.set_sections(guide.get(key, []))
        self.status.setText(
            "Read a tab from the top, jump with the list on the left, or search every tab."
        )
        if self._pending_topic is not None:
            self.open_topic(self._pending_topic)
        if self.search.text().strip():
            self.run_search()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.status.setText(f"The guide could not be read: {exc}")

    # -- topics ------------------------------------------------------------------------
    def apply_navigation(self, params: dict[str, object]) -> None:
        """{"topic": "pages/segments"} opens that section; {"search": text} searches."""
        topic, text = params.get("topic"), params.get("search")
        if isinstance(text, str):
            self.search.setText(text)
            self.run_search()
        if isinstance(topic, str):
            self.search.clear()
            self.open_topic(topic)

    def open_topic(self, topic: str) -> bool:
        """Show 'tab/section' (or a tab); an unknown section searches for its words."""
        if not self.guide:
            self._pending_topic = topic  # opened once the guide has loaded
            return False
        self._pending_topic = None
        tab, _, section = topic.partition("/")
        if tab not in self.views:
            return False
        self._stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentWidget(self.views[tab])
        if not section or self.views[tab].show_section(section):
            return True
        self.search.setText(section.replace("-", " "))
        self.run_search()
        return False

    def current_section(self) -> HelpSection | None:
        view = self.tabs.currentWidget()
        if not isinstance(view, TabView):
            return None
        row = view.toc.currentRow()
        return view.sections[row] if 0 <= row < len(view.sections) else None

    # -- search ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def run_search(self) -> None:
        text = self.search.text().strip()
        if not text:
            self._stack.setCurrentWidget(self.tabs)
            return
        loaded = [s for sections in self.guide.values() for s in sections]
        self.hits = self.ctx.services.help.search(text, loaded or None)
        self._stack.setCurrentWidget(self.results)
        self.results.setHtml(_results_html(text, self.hits))

    def _on_result_clicked(self, url: QUrl) -> None:
        topic = url.toString().removeprefix("topic:")
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.open_topic(topic)


def _results_html(text: str, hits: list[HelpHit]) -> str:
    if not hits:
        return (
            f"<p>Nothing in the guide matches <b>{html.escape(text)}</b>.</p>"
            "<p>Try fewer words, another word for the same thing, or browse the tabs "
            "(clear the search box to see them).</p>"
        )
    items = "".join(
        f"<p><a href='topic:{h.section.topic}'><b>{html.escape(h.section.title)}</b></a>"
        f" {colored('· ' + html.escape(h.section.tab_title), Color.MUTED)}<br>"
        f"{html.escape(h.snippet)}</p>"
        for h in hits
    )
    return f"<p>{len(hits)} section(s) match <b>{html.escape(text)}</b>, best first.</p>{items}"
