"""Settings user flows: weights → what-if → save → rescore; sections save through services."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.settings.page import SettingsPage
from tests.views.conftest import add


def _settings(window: MainWindow) -> SettingsPage:
    window.show_page("settings")
    page = window.pages["settings"]
    assert isinstance(page, SettingsPage)
    return page


def test_weights_what_if_save_and_rescore_change_bands(
    qtbot: QtBot, services: Services, window: MainWindow
) -> None:
    usage = add(services, "Usage Co", mrr=1000, logins=30, adoption=0)
    adopt = add(services, "Adopt Co", mrr=3000, logins=0, adoption=100)
    page = _settings(window)
    w = page.weights
    w.grid.spins["logins"].setValue(35)
    assert "110 %" in w.grid.total_label.text()
    assert not w.save_button.isEnabled() and not w.preview_button.isEnabled()
    w.grid.spins["adoption"].setValue(15)
    assert w.grid.total_label.text() == "100 %" and w.save_button.isEnabled()
    for signal in ("tickets", "nps", "days", "growth"):  # only logins and adoption count
        w.grid.spins[signal].setValue(0)
    w.grid.spins["logins"].setValue(85)
    qtbot.mouseClick(w.preview_button, Qt.MouseButton.LeftButton)
    assert "2 of 2 accounts would change band" in w.preview_label.text()
    assert "$0 now → $3,000" in w.preview_label.text()
    qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)
    assert services.config.current().weights["logins"] == 85
    assert w.offer.isVisible()
    qtbot.mouseClick(w.rescore_button, Qt.MouseButton.LeftButton)
    assert page.tabs.currentWidget() is page.distribution
    assert "2 changed band" in page.distribution.message.text()
    assert services.customers.get(usage).status == "expansion"
    assert services.customers.get(adopt).status == "critical"
    assert services.audit.entries()[0].action == "bulk_rescore"


def test_thresholds_out_of_order_show_error_next_to_bands(
    services: Services, window: MainWindow
) -> None:
    section = _settings(window).thresholds
    section.bands["watch"].setValue(20)  # below At Risk (25)
    assert not section.save()
    assert "in order" in section.errors["bands"].text()
    assert services.config.current().bands.watch == 50
    section.bands["watch"].setValue(55)
    assert section.save()
    assert services.config.current().bands.watch == 55


def test_cadence_and_expansion_saved(services: Services, window: MainWindow) -> None:
    section = _settings(window).cadence
    section.cadence["smb"][0].setValue(50)  # due soon after overdue (45)
    assert not section.save() and "SMB" in section.errors["cadence"].text()
    section.cadence["smb"][0].setValue(40)
    section.flat_radio.setChecked(True)
    section.flat.setValue(250.5)
    assert section.save()
    config = services.config.current()
    assert (
        config.cadence["smb"].due_soon,
        config.expansion_method,
        config.expansion_flat_cents,
    ) == (40, "flat", 25050)


def test_branding_validates_and_saves_keys(services: Services, window: MainWindow) -> None:
    section = _settings(window).branding
    section.edits["brand.company"].setText("  Northwind   Success ")
    section.edits["brand.primary_color"].setText("blue")
    section.edits["user.email"].setText("ana@example.com")
    assert not section.save()
    assert "#RRGGBB" in section.errors["brand.primary_color"].text()
    assert services.settings.get("brand.company") is None
    section.edits["brand.primary_color"].setText("#123abc")
    section.confidential.setChecked(True)
    assert section.save()
    assert services.settings.get("brand.confidential") is True
    assert services.reports.brand().confidential
    assert services.settings.get("brand.company") == "Northwind Success"
    assert services.settings.get("brand.primary_color") == "#123abc"
    assert services.audit.user().endswith("<ana@example.com>")


def test_profiles_create_clone_assign_delete(services: Services, window: MainWindow) -> None:
    add(services, "Small", tier="smb", logins=30, adoption=0)
    section = _settings(window).profiles
    section.name_edit.setText("Usage")
    for signal, value in {
        "logins": 100,
        "adoption": 0,
        "tickets": 0,
        "nps": 0,
        "days": 0,
        "growth": 0,
    }.items():
        section.grid.spins[signal].setValue(value)
    section.save()
    assert [p.name for p in services.config.profiles()] == ["Usage"]
    section.table.selectRow(0)
    section.clone()
    section.save()
    assert [p.name for p in services.config.profiles()] == ["Usage", "Usage (copy)"]
    section.table.selectRow(0)
    section.tier_checks["smb"].setChecked(True)
    section.assign()
    assert 'Rules saved: 1 account now uses "Usage".' in section.message.text()
    assert 'Tier is "SMB" → Usage' in section.rule_list.item(0).text()
    assert services.customers.list_customers()[0].scoring_profile == "Usage"
    section.table.selectRow(0)
    section.delete()
    assert services.customers.list_customers()[0].scoring_profile is None


def test_csm_rename_merge_reassign_from_the_page(
    qtbot: QtBot, services: Services, window: MainWindow
) -> None:
    a = add(services, "A1", manager="Ana")
    add(services, "B1", manager="Ben")
    section = _settings(window).managers
    section.refresh()
    assert section.model.rowCount() == 2
    section.table.selectRow(0)
    section.name_edit.setText("Ana Lopez")
    section.rename()
    assert "Renamed" in section.message.text()
    section.table.selectRow(0)
    assert section.accounts_model.rowCount() == 1
    section.accounts.selectRow(0)
    section.target_combo.setEditText("Cleo")
    section.reassign()
    assert services.customers.get(a).manager == "Cleo"
    section.table.selectAll()
    section.name_edit.setText("Team")
    section.merge()
    assert [m.name for m in services.managers.managers()] == ["Team"]
    actions = [e.action for e in services.audit.entries()]
    assert {"manager_renamed", "customer_reassigned", "managers_merged"} <= set(actions)


def test_data_health_finding_opens_customers(
    qtbot: QtBot, services: Services, window: MainWindow
) -> None:
    empty = add(services, "Empty")
    page = _settings(window)
    page.health.refresh()
    kinds = [f.kind for f in page.health.findings]
    assert kinds[0] == "unscored"
    seen: list[dict[str, object]] = []
    window.pages["customers"].apply_navigation = seen.append  # type: ignore[method-assign]
    page.health.open_finding(0)
    assert window.current_page().PAGE_ID == "customers"
    assert seen == [{"ids": [empty]}]


def test_item_models_pass_the_model_tester(
    qtmodeltester,
    services: Services,  # type: ignore[no-untyped-def]
    window: MainWindow,
) -> None:
    add(services, "Acme", manager="Ana")
    add(services, "ACME Inc", manager="Ben")
    services.config.save_profile(
        "P",
        {"logins": 100, "adoption": 0, "tickets": 0, "nps": 0, "csat": 0, "days": 0, "growth": 0},
    )
    page = _settings(window)
    page.refresh()
    page.managers.table.selectRow(0)
    for model in (
        page.managers.model,
        page.managers.accounts_model,
        page.health.model,
        page.profiles.model,
    ):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    window.show_page("audit_log")
    audit = window.pages["audit_log"]
    audit.refresh()
    qtmodeltester.check(audit.model)  # type: ignore[attr-defined]
    qtmodeltester.check(audit.history.model)  # type: ignore[attr-defined]


def test_alert_rules_and_system_sections_show_what_is_in_force(window: MainWindow) -> None:
    from PySide6.QtWidgets import QLabel

    page = _settings(window)
    page.show_section("alerts")
    page.refresh()
    assert page.alerts.hit_rates.row_of("open_tickets") >= 0
    page.show_section("system")
    texts = [label.text() for label in page.system.findChildren(QLabel)]
    assert window.ctx.services.db.describe() in texts
    assert any("keyring" in t.lower() for t in texts)  # tests run on the null backend
