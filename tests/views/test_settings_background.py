"""Settings changes that touch every account run on the real TaskRunner, off the GUI
thread: the buttons wait while the work runs and the result arrives afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.managers import ManagersSection
from iqcadence_desktop.views.pages.settings.profiles import ProfilesSection
from iqcadence_desktop.views.tasks import TaskRunner
from tests.views.conftest import add


@pytest.fixture
def ctx(services: Services) -> Iterator[PageContext]:
    runner, bridge = TaskRunner(), EventBridge(services.events)
    yield PageContext(services, runner, bridge)
    runner.wait()
    bridge.detach()


def _merge_all(qtbot: QtBot, ctx: PageContext, target: str) -> ManagersSection:
    section = ManagersSection(ctx)
    qtbot.addWidget(section)
    section.refresh()
    section.table.selectAll()
    section.name_edit.setText(target)
    section.merge()
    return section


def test_merge_runs_in_the_background(qtbot: QtBot, services: Services, ctx: PageContext) -> None:
    add(services, "A1", manager="Ana")
    add(services, "B1", manager="Ben")
    section = _merge_all(qtbot, ctx, "Team")
    assert section.message.text() == "Working…"
    assert not any(b.isEnabled() for b in section.buttons)
    qtbot.waitUntil(lambda: section.buttons[0].isEnabled(), timeout=10_000)
    assert "2 accounts moved" in section.message.text()
    assert [m.name for m in services.managers.managers()] == ["Team"]


def test_a_refused_merge_reports_and_gives_the_buttons_back(
    qtbot: QtBot, services: Services, ctx: PageContext
) -> None:
    add(services, "A1", manager="Ana")
    section = _merge_all(qtbot, ctx, "   ")
    qtbot.waitUntil(lambda: section.buttons[0].isEnabled(), timeout=10_000)
    assert section.message.text() not in ("", "Working…")
    assert [m.name for m in services.managers.managers()] == ["Ana"]


def test_profile_assignment_runs_in_the_background(
    qtbot: QtBot, services: Services, ctx: PageContext
) -> None:
    add(services, "Small", tier="smb", logins=30)
    services.config.save_profile("Usage", dict(services.config.current().weights))
    section = ProfilesSection(ctx)
    qtbot.addWidget(section)
    section.refresh()
    section.table.selectRow(0)
    section.tier_checks["smb"].setChecked(True)
    section.assign()
    assert not section.assign_button.isEnabled()
    qtbot.waitUntil(section.assign_button.isEnabled, timeout=10_000)
    assert "1 account now uses" in section.message.text()
    assert services.customers.list_customers()[0].scoring_profile == "Usage"
