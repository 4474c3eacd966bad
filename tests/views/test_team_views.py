"""Team mode in the window: sign-in, the client picker, the unreachable banner, a stale
save asking reload or overwrite, Settings › Team."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.customer_detail.overview_tab import OverviewTab
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.customers.page import CustomersPage
from iqcadence_desktop.views.pages.settings.page import SettingsPage
from iqcadence_desktop.views.team.sign_in import SignInDialog
from iqcadence_desktop.views.team.watch import UNREACHABLE_TEXT, ConnectionBanner, ConnectionWatch
from tests.services.team.helpers import ADMIN, CSM, PASSWORD, make_team


def _window(qtbot: QtBot, ctx: PageContext, tmp_path: Path) -> MainWindow:
    win = MainWindow(ctx, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_sign_in_dialog_refuses_a_wrong_password_then_signs_in(
    qtbot: QtBot, services: Services
) -> None:
    make_team(services)
    dialog = SignInDialog(services, CSM)
    qtbot.addWidget(dialog)
    dialog.password.setText("wrong password")
    dialog._on_sign_in_clicked()
    assert "wrong" in dialog.error.text() and not services.scope.signed_in
    dialog.password.setText(PASSWORD)
    dialog.remember.setChecked(True)
    dialog._on_sign_in_clicked()
    assert dialog.result() == 1 and services.scope.identity.email == CSM
    again = SignInDialog(services, CSM)
    qtbot.addWidget(again)
    services.scope.set_identity(services.scope.identity.__class__(None, "", "x", "admin", None))  # type: ignore[arg-type]
    assert again.try_stored()  # remembered in the keyring: no dialog next time


def test_client_picker_narrows_every_page(
    qtbot: QtBot, services: Services, ctx: PageContext, tmp_path: Path
) -> None:
    make_team(services)
    services.team.sign_in(ADMIN, PASSWORD)
    win = _window(qtbot, ctx, tmp_path)
    assert win.team is not None
    combo = win.team.client_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All my clients",
        "Acme",
        "Default",
        "Globex",
    ]
    win.show_page("customers")
    page = win.pages["customers"]
    assert isinstance(page, CustomersPage)
    combo.setCurrentIndex(combo.findText("Globex"))
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    names = {page.model.customer_at(r).name for r in range(page.model.rowCount())}
    assert names == {"Globex One", "Globex Zeta"}
    assert "Ada (admin)" in win.team.account.text()


def test_a_csm_sees_only_their_client(
    qtbot: QtBot, services: Services, ctx: PageContext, tmp_path: Path
) -> None:
    make_team(services)
    services.team.sign_in(CSM, PASSWORD)
    win = _window(qtbot, ctx, tmp_path)
    win.show_page("customers")
    page = win.pages["customers"]
    assert isinstance(page, CustomersPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert {page.model.customer_at(r).name for r in range(2)} == {"Acme One", "Acme Two"}


def test_unreachable_banner_shows_and_goes(qtbot: QtBot, ctx: PageContext) -> None:
    banner = ConnectionBanner()
    qtbot.addWidget(banner)
    watch = ConnectionWatch(ctx.services.db, ctx.tasks, banner)  # owned by a widget
    watch.lost.connect(banner.show)
    watch.restored.connect(banner.hide)
    banner.show()
    watch.report_failure()  # a page's read just failed: unreachable
    assert banner.isVisible() and banner.text() == UNREACHABLE_TEXT
    assert watch.timer.interval() == 3000
    with qtbot.waitSignal(watch.restored):
        watch.probe()  # the (real) database answers again
    assert not banner.isVisible() and watch.timer.interval() == 15000


def test_stale_save_offers_reload_or_overwrite(
    qtbot: QtBot, services: Services, ctx: PageContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = make_team(services)
    services.team.sign_in(CSM, PASSWORD)
    cid = ids["Acme One"]
    tab = OverviewTab(ctx, cid)
    qtbot.addWidget(tab)
    tab.load_fields(services.customers.get(cid))
    services.customers.update(cid, {"logins": 30})  # another laptop, after we read
    asked: list[str] = []

    def answer(_parent: object, exc: Exception) -> str:
        asked.append(str(exc))
        return "overwrite"

    monkeypatch.setattr(
        "iqcadence_desktop.views.customer_detail.overview_tab.ask_reload_or_overwrite", answer
    )
    tab.fields["logins"].setText("4")  # type: ignore[attr-defined]
    tab._on_save_clicked()
    assert asked and "was changed by Priya at" in asked[0]
    assert services.customers.get(cid).logins_30d == 4  # overwritten on purpose


def test_settings_team_tab_lists_clients_and_users(
    qtbot: QtBot, services: Services, ctx: PageContext, tmp_path: Path
) -> None:
    make_team(services)
    services.team.sign_in(ADMIN, PASSWORD)
    win = _window(qtbot, ctx, tmp_path)
    win.show_page("settings")
    page = win.pages["settings"]
    assert isinstance(page, SettingsPage)
    page.show_section("team")
    team = page.team
    assert team.clients.rowCount() == 3
    team._act(lambda s: s.team.add_client("Initech"), "added")
    assert team.clients.rowCount() == 4 and team.message.text() == "added"


@pytest.mark.sqlite_only  # on PostgreSQL the local admin manages users: the table is shown
def test_settings_team_on_a_single_user_file_shows_no_users_table(
    qtbot: QtBot, ctx: PageContext, tmp_path: Path
) -> None:
    """The users list belongs to a team database; on a laptop file it must not be drawn
    (it once sat over the Database box, outside any layout)."""
    win = _window(qtbot, ctx, tmp_path)
    win.show_page("settings")
    page = win.pages["settings"]
    assert isinstance(page, SettingsPage)
    page.show_section("team")
    qtbot.waitUntil(lambda: page.team.isVisible())
    assert not page.team.users_table.isVisible()
