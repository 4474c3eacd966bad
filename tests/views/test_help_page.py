"""Help & Guide: search ranks sections, results open them, every page's ? opens its own
section, and the Scoring tab quotes the settings in force."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot

from iqcadence_desktop.views.main_window import PAGE_CLASSES, MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.help.page import HelpPage


def page(qtbot: QtBot, ctx: PageContext) -> HelpPage:
    p = HelpPage(ctx)
    qtbot.addWidget(p)
    p.resize(1100, 760)
    p.show()
    p.refresh()
    return p


def test_search_lists_ranked_sections_and_a_click_opens_one(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    qtbot.keyClicks(p.search, "snooze alert")
    p.run_search()  # what the typing timer does
    assert p._stack.currentWidget() is p.results
    assert p.hits[0].section.topic == "pages/alerts"
    assert "best first" in p.results.toPlainText() and "Alerts" in p.results.toPlainText()
    p.results.anchorClicked.emit(QUrl(f"topic:{p.hits[0].section.topic}"))
    assert p._stack.currentWidget() is p.tabs and p.search.text() == ""
    section = p.current_section()
    assert section is not None and section.topic == "pages/alerts"


def test_search_with_no_match_says_what_to_try(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    p.search.setText("xylophone")
    p.run_search()
    assert "Nothing in the guide matches" in p.results.toPlainText()
    p.search.clear()
    p.run_search()
    assert p._stack.currentWidget() is p.tabs


def test_every_page_has_its_own_section(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    for cls in PAGE_CLASSES:
        topic = cls(ctx).help_topic()
        assert ctx.services.help.find(topic) is not None, cls.__name__
        assert p.open_topic(topic), topic


def test_question_mark_and_f1_open_the_current_pages_section(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.show_page("trends")
    qtbot.mouseClick(window.help_button, Qt.MouseButton.LeftButton)
    help_page = window.pages["help"]
    assert isinstance(help_page, HelpPage) and window.current_page() is help_page
    section = help_page.current_section()
    assert section is not None and section.topic == "pages/trends"
    window.show_page("calendar")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    section = help_page.current_section()
    assert section is not None and section.topic == "pages/calendar"
    assert help_page.tabs.currentWidget() is help_page.views["pages"]


def test_scoring_tab_follows_a_weight_change(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    assert "Logins (30 d)" in p.views["scoring"].text.toPlainText()
    config = ctx.services.config.current()
    ctx.services.config.save(
        dataclasses.replace(config, weights=dict(config.weights, logins=30.0, adoption=20.0))
    )
    before = "25 %" in p.views["scoring"].text.toPlainText()
    # The config event arrives through the queued bridge and reloads the visible page.
    qtbot.waitUntil(lambda: "30 %" in p.views["scoring"].text.toPlainText())
    assert before and "20 %" in p.views["scoring"].text.toPlainText()
