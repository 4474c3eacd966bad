"""Calendar page: month grid clicks and hover, keyboard months, agenda, .ics export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.calendar.month_grid import event_tip
from iqcadence_desktop.views.pages.calendar.page import CalendarPage
from tests.conftest import TODAY
from tests.views.conftest import add, double_click


def page(qtbot: QtBot, ctx: PageContext) -> CalendarPage:
    p = CalendarPage(ctx)
    qtbot.addWidget(p)
    p.resize(1200, 780)
    p.show()
    qtbot.waitExposed(p)
    p.refresh()
    return p


def fill(ctx: PageContext) -> int:
    return add(
        ctx.services,
        "Renewing Co",
        manager="Ann",
        mrr="4200",
        logins=5,
        tier="mid",
        renewal_date=(TODAY + dt.timedelta(days=2)).isoformat(),
        last_contact=TODAY.isoformat(),
    )


def test_click_a_chip_opens_the_customer_and_hover_describes_it(
    qtbot: QtBot, ctx: PageContext
) -> None:
    cid = fill(ctx)
    p = page(qtbot, ctx)
    assert p.month_label.text() == "November 2026"
    p.grid.grab()  # paints the grid, which lays out its chips
    chip_rect, event = next((r, e) for r, e in p.grid._chips if e.customer_id == cid)
    assert event.kind == "renewal" and event.day == TODAY + dt.timedelta(days=2)
    tip = event_tip(event)
    assert "Renewing Co" in tip and "$4,200" in tip and event.band_label in tip
    with qtbot.waitSignal(p.grid.customer_clicked) as clicked:
        qtbot.mouseClick(p.grid, Qt.MouseButton.LeftButton, pos=chip_rect.center())
    assert clicked.args == [cid]
    assert p.grid.selected == event.day
    assert [e.name for e in p.agenda.rows()] == ["Renewing Co"]


def test_keyboard_moves_between_months_and_back_to_today(qtbot: QtBot, ctx: PageContext) -> None:
    fill(ctx)
    p = page(qtbot, ctx)
    p.grid.setFocus()
    qtbot.keyClick(p.grid, Qt.Key.Key_PageDown)
    assert p.month_label.text() == "December 2026" and p.view is not None
    assert {e.kind for e in p.view.events} == {"overdue"}  # contact due again in December
    qtbot.keyClick(p.grid, Qt.Key.Key_PageUp)
    qtbot.keyClick(p.grid, Qt.Key.Key_PageUp)
    assert p.month_label.text() == "October 2026"
    qtbot.keyClick(p.grid, Qt.Key.Key_Home)
    assert p.month_label.text() == "November 2026" and p.grid.selected == TODAY
    qtbot.keyClick(p.grid, Qt.Key.Key_Right)
    assert p.grid.selected == TODAY + dt.timedelta(days=1)
    for _ in range(5):  # past the end of the month: the next month opens
        qtbot.keyClick(p.grid, Qt.Key.Key_Right)
    assert p.month_label.text() == "December 2026"


def test_agenda_shows_the_whole_month_and_opens_customers(qtbot: QtBot, ctx: PageContext) -> None:
    ctx.services.customers.load_sample(40, 3, seed=6)
    p = page(qtbot, ctx)
    assert p.view is not None and p.view.events
    p.whole_month.setChecked(True)
    assert p.agenda.rowCount() == len(p.view.events)
    assert p.counts.text().startswith("November 2026:")
    first = p.agenda.record(0)
    with qtbot.waitSignal(p.customer_open_requested) as opened:
        double_click(qtbot, p.agenda_table, p.agenda.index(0, 0))
    assert opened.args == [first.customer_id]


def test_export_the_month_as_ics(qtbot: QtBot, ctx: PageContext, tmp_path: Path) -> None:
    ctx.services.customers.load_sample(40, 3, seed=6)
    p = page(qtbot, ctx)
    assert p.view is not None
    p.export_to(tmp_path / "november")
    path = tmp_path / "november.ics"
    assert "Saved" in p.message.text() and str(path) in p.message.text()
    events = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert len(events) == len(p.view.events)
    assert {str(e["SUMMARY"]) for e in events} == {e.title for e in p.view.events}
    p.export_to(tmp_path / "no such folder" / "x.ics")
    assert "Choose another folder" in p.message.text()


def test_manager_filter_and_empty_states(qtbot: QtBot, ctx: PageContext) -> None:
    p = page(qtbot, ctx)
    assert p._stack.currentWidget() is p.empty and "no accounts yet" in p.empty.title.text()
    fill(ctx)
    ctx.manager = "Zed"
    p.refresh()
    assert "Zed has no accounts yet" in p.empty.title.text()
    ctx.manager = "Ann"
    p.refresh()
    assert p._stack.currentIndex() == 0 and p.view is not None
    assert {e.manager for e in p.view.events} == {"Ann"}


def test_grid_geometry_maps_points_to_days(qtbot: QtBot, ctx: PageContext) -> None:
    fill(ctx)
    p = page(qtbot, ctx)
    rect = p.grid.cell_rect(TODAY)
    assert p.grid.day_at(rect.center()) == TODAY
    assert p.grid.day_at(QPoint(5, 5)) is None  # the weekday header


def test_agenda_model_passes_the_model_tester(
    qtbot: QtBot, ctx: PageContext, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    ctx.services.customers.load_sample(20, 2, seed=6)
    p = page(qtbot, ctx)
    p.whole_month.setChecked(True)
    qtmodeltester.check(p.agenda)
