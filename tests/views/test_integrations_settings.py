"""Settings → Integrations and API, and Import / Export → Import from CRM, on the fakes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests
from pytestqt.qtbot import QtBot

from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.settings.integration_mapping import MappingDialog
from tests.conftest import TODAY
from tests.fakes.hubspot import FakeHubSpot


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with FakeHubSpot() as fake:
        fake.populate(40, TODAY)
        yield fake


def _settings(window: MainWindow, section: str):  # type: ignore[no-untyped-def]
    window._on_page_navigation_requested("settings", {"section": section})
    page = window.pages["settings"]
    page.refresh()
    return page


def test_connect_preview_sync_and_history_from_the_card(
    window: MainWindow, hubspot: FakeHubSpot
) -> None:
    services = window.ctx.services
    services.integrations.configure("hubspot", {"base_url": hubspot.url, "backoff": 0.01})
    card = _settings(window, "integrations").integrations.cards["hubspot"]
    card.secret.setText("pat-wrong")
    card.buttons["connect"].click()
    assert (
        "refused the token" in card.result.text()
        and not services.integrations.status("hubspot")[0].connected
    )
    card.secret.setText("pat-na1-test")
    card.buttons["connect"].click()
    assert "Connected" in card.state.text() and card.secret.text() == ""
    card.buttons["preview"].click()
    assert "would add 40" in card.result.text() and card.details.isVisibleTo(card)
    assert services.customers.list_customers() == []
    card.buttons["sync"].click()
    assert "added 40" in card.result.text() and len(services.customers.list_customers()) == 40
    card.lookback.setCurrentIndex(0)
    card.buttons["history"].click()
    assert "Wrote" in card.result.text()


def test_mapping_dialog_and_ownership(
    window: MainWindow, hubspot: FakeHubSpot, monkeypatch: pytest.MonkeyPatch
) -> None:
    services = window.ctx.services
    services.integrations.connect(
        "hubspot", token="pat-na1-test", options={"base_url": hubspot.url}
    )
    section = _settings(window, "integrations").integrations
    card = section.cards["hubspot"]

    def choose(dialog: MappingDialog) -> bool:
        dialog.combos["numberofemployees"].setCurrentIndex(
            dialog.combos["numberofemployees"].findData("logins")
        )
        dialog.combos["deals_mrr"].setCurrentIndex(0)
        return True

    monkeypatch.setattr(card, "ask", choose)
    card.buttons["mapping"].click()
    mapping = services.integrations.status("hubspot")[0].mapping
    assert mapping["numberofemployees"] == "logins" and "deals_mrr" not in mapping
    combo = section.owners.combos["mrr"]
    combo.setCurrentIndex(combo.findData("stripe"))
    assert services.integrations.owners() == {"mrr": "stripe"}


def test_api_switch_keys_and_log(window: MainWindow, qtbot: QtBot) -> None:
    section = _settings(window, "api").api
    section.port.setValue(18787 + dt.datetime.now().microsecond % 1000)
    section.enabled.setChecked(True)
    section.apply_button.click()
    try:
        assert "Answering at http://127.0.0.1:" in section.state.text()
        section._on_new_clicked()
        key = section.new_key.text()
        assert key.startswith("iqc_") and section.keys_model.rowCount() == 1
        url = window.ctx.services.api.running_url or ""
        assert requests.get(
            url, params={"action": "list_customers"}, headers={"x-api-key": key}, timeout=10
        ).ok
        section.refresh_log()
        assert section.log_model.rowCount() == 1 and "list_customers" in section.log_model.data(
            section.log_model.index(0, 1)
        )
    finally:
        section.enabled.setChecked(False)
        section.apply_button.click()
    assert window.ctx.services.api.running_url is None and "Off" in section.state.text()


def test_import_from_crm_tab(window: MainWindow, hubspot: FakeHubSpot) -> None:
    services = window.ctx.services
    window._on_page_navigation_requested("import_export", {})
    page = window.pages["import_export"]
    page.refresh()
    assert page.crm.empty.isVisibleTo(page.crm) and not page.crm.form.isVisibleTo(page.crm)
    services.integrations.connect(
        "hubspot", token="pat-na1-test", options={"base_url": hubspot.url}
    )
    services.integrations.sync("hubspot")
    page.refresh()
    assert page.crm.form.isVisibleTo(page.crm) and page.crm.system.currentData() == "hubspot"
    page.crm.lookback.setCurrentIndex(0)
    page.crm.pull.click()
    assert "Wrote" in page.crm.result.text()
    page.crm.connect_button.click()
    assert window.pages["settings"].tabs.currentWidget() is not None
