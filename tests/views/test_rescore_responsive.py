"""The event loop keeps turning while 100k accounts are rescored on the real TaskRunner."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from iqcadence_desktop.models import Customer
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.settings.distribution import DistributionSection
from iqcadence_desktop.views.tasks import TaskRunner

ACCOUNTS = 100_000


def _bulk_accounts(services: Services, count: int) -> None:
    """Insert plain rows in one executemany: seconds, not minutes, for 100k."""
    now = dt.datetime(2026, 11, 26, 9)
    rows = [
        {
            "name": f"Account {i:06d}",
            "name_key": f"account {i:06d}",
            "manager": f"M{i % 7}",
            "mrr_cents": 10_000 + i,
            "logins_30d": i % 40,
            "feature_adoption_pct": i % 101,
            "open_tickets": i % 6,
            "nps": i % 11,
            "lifecycle": "active",
            "status": "unscored",
            "coverage": 0.0,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(count)
    ]
    with services.db.session() as s:
        s.execute(insert(Customer.__table__), rows)  # type: ignore[arg-type]


@pytest.mark.slow
def test_event_loop_turns_during_100k_rescore(qtbot: QtBot, services: Services) -> None:
    _bulk_accounts(services, ACCOUNTS)
    runner = TaskRunner()
    bridge = EventBridge(services.events)
    section = DistributionSection(PageContext(services, runner, bridge))
    qtbot.addWidget(section)
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    section.start_rescore()
    assert section.is_running() and not section.cancel_button.isHidden()
    qtbot.waitUntil(lambda: not section.is_running(), timeout=180_000)
    timer.stop()
    runner.wait()
    bridge.detach()
    assert "Rescored 100,000 accounts" in section.message.text()
    assert len(ticks) >= 20, f"the GUI thread only turned {len(ticks)} times"


def test_cancel_leaves_every_score_unchanged(qtbot: QtBot, services: Services) -> None:
    _bulk_accounts(services, 20_000)
    runner = TaskRunner()
    bridge = EventBridge(services.events)
    section = DistributionSection(PageContext(services, runner, bridge))
    qtbot.addWidget(section)
    section.start_rescore()
    section.cancel_button.click()  # long before the worker has read and scored 20k rows
    qtbot.waitUntil(lambda: not section.is_running(), timeout=60_000)
    runner.wait()
    bridge.detach()
    assert section.message.text() == "Rescore cancelled; no score was changed."
    assert services.audit.entries() == []
    assert not section.rescore_button.isHidden() and section.rescore_button.isEnabled()
