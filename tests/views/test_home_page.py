"""Home Base: getting started when empty, the overview and its clickable cards otherwise."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.home.page import HomePage
from iqcadence_desktop.views.tasks import SyncTaskRunner


@pytest.fixture
def ctx(services: Services) -> Iterator[PageContext]:
    """A page context over the real services with a synchronous task runner."""
    bridge = EventBridge(services.events)
    yield PageContext(services, SyncTaskRunner(), bridge)
    bridge.detach()


BAD = {"logins": 1, "adoption": 10, "tickets": 6, "nps": 2, "days": 100, "tier": "smb"}
GOOD = {
    "logins": 30,
    "adoption": 90,
    "tickets": 0,
    "nps": 10,
    "days": 1,
    "growth": "strong",
    "tier": "enterprise",
}


def home(qtbot: QtBot, ctx: PageContext) -> HomePage:
    page = HomePage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.refresh()
    return page


def fill(ctx: PageContext, clock: FixedClock) -> None:
    renew = (clock.today() + dt.timedelta(days=10)).isoformat()
    ctx.services.customers.create(
        {"name": "Bad Co", "manager": "Ann", "mrr": "3000", "renewal_date": renew, **BAD}
    )
    ctx.services.customers.create({"name": "Good Co", "manager": "Ben", "mrr": "9000", **GOOD})


@pytest.mark.parametrize(
    ("button", "page_id"), [("start_import", "import_export"), ("start_score", "score_customer")]
)
def test_empty_portfolio_offers_ways_to_start(
    qtbot: QtBot, ctx: PageContext, button: str, page_id: str
) -> None:
    page = home(qtbot, ctx)
    assert page._stack.currentIndex() == 0
    with qtbot.waitSignal(page.navigation_requested) as nav:
        qtbot.mouseClick(page.findChild(QPushButton, button), Qt.MouseButton.LeftButton)
    assert nav.args == [page_id, {}]


def test_sample_button_loads_and_shows_the_overview(
    qtbot: QtBot, ctx: PageContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("iqcadence_desktop.views.pages.home.page.SAMPLE_CUSTOMERS", 30)
    monkeypatch.setattr("iqcadence_desktop.views.pages.home.page.SAMPLE_DAYS", 10)
    page = home(qtbot, ctx)
    with qtbot.waitSignal(page.sample_loaded):
        page.sample_button.click()
    assert page._stack.currentIndex() == 1
    assert page.summary is not None and page.summary.customers > 0


@pytest.mark.parametrize(
    ("kpi", "params"),
    [
        ("risk", {"statuses": ["at_risk", "critical"]}),
        ("expansion", {"status": "expansion"}),
        ("renewals", {"renewal_within_days": 90}),
        ("mrr", {}),
        ("health", {}),
    ],
)
def test_kpi_cards_open_the_filtered_customers_list(
    qtbot: QtBot, ctx: PageContext, clock: FixedClock, kpi: str, params: dict[str, object]
) -> None:
    fill(ctx, clock)
    page = home(qtbot, ctx)
    with qtbot.waitSignal(page.navigation_requested) as nav:
        qtbot.mouseClick(page.kpis[kpi], Qt.MouseButton.LeftButton)
    assert nav.args == ["customers", params]


def test_overview_content_follows_the_manager_filter(
    qtbot: QtBot, ctx: PageContext, clock: FixedClock
) -> None:
    fill(ctx, clock)
    page = home(qtbot, ctx)
    assert page.kpis["risk"].value.text() == "$3,000"
    assert page.kpis["renewals"].value.text() == "1"
    assert "Bad Co" in page.action_items.text() and "Critical" in page.action_items.text()
    assert "Welcome back" in page.greeting.text()
    assert page.heatmap.data.rows == ("Enterprise", "SMB")
    page.findChild(QPushButton, "heatmap_manager").click()
    assert page.heatmap.data.rows == ("Ann", "Ben")
    ctx.manager = "Ben"
    page.refresh()
    assert page.kpis["risk"].value.text() == "$0" and "Bad Co" not in page.action_items.text()
    with qtbot.waitSignal(page.navigation_requested) as nav:
        page.kpis["expansion"].clicked.emit()
    assert nav.args == ["customers", {"status": "expansion", "manager": "Ben"}]


def test_account_links_open_the_customer(qtbot: QtBot, ctx: PageContext, clock: FixedClock) -> None:
    fill(ctx, clock)
    page = home(qtbot, ctx)
    bad = ctx.services.customers.find_id("Bad Co")
    with qtbot.waitSignal(page.customer_open_requested) as opened:
        page.priority.linkActivated.emit(f"customer:{bad}")
    assert opened.args == [bad]


def test_the_greeting_uses_the_display_name_never_the_login(
    qtbot: QtBot, services: Services, ctx: PageContext
) -> None:
    import getpass

    services.customers.create({"name": "Acme", "logins": 10})
    page = HomePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    login = getpass.getuser()
    assert (
        page.greeting.text().startswith("Welcome back.")
        and f"{login}</b>" not in page.greeting.text()
    )
    services.settings.set_many({"user.display_name": "Sarah"})
    page.refresh()
    assert page.greeting.text().startswith("Welcome back, <b>Sarah</b>.")
    stats = page.quick_stats.text()
    assert "%" not in stats and "Accounts" in stats
