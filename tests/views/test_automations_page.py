"""The Automations page: the rules list, the 3-step wizard, the custom-rule builder,
connections with Send test, and scheduled reports — saved through the task runner."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.automations import (
    ConnectionInput,
    RuleDraft,
    parse_when,
    trigger,
)
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.automations.connection_dialog import ConnectionDialog
from iqcadence_desktop.views.pages.automations.page import AutomationsPage
from iqcadence_desktop.views.pages.automations.rule_builder import CustomRuleDialog
from iqcadence_desktop.views.pages.automations.rule_wizard import RuleWizard
from iqcadence_desktop.views.table_models.rules_table_model import RulesTableModel
from iqcadence_desktop.views.widgets.report_schedule import ScheduleDialog
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.views.conftest import add

SECRET = "view-secret"


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(SECRET) as receiver:
        yield receiver


def _page(window: MainWindow) -> AutomationsPage:
    window.show_page("automations")
    page = window.pages["automations"]
    assert isinstance(page, AutomationsPage)
    page.refresh()
    return page


def _hook(services: Services, url: str, name: str = "Hook") -> int:
    data = ConnectionInput(name, "webhook", url=url, secret=SECRET)
    return services.automations.connections.create(data).id


def test_rules_model_passes_the_model_tester(services: Services, qtmodeltester: object) -> None:
    channel = _hook(services, "https://hooks.example.com/x")
    services.automations.rules.create(
        RuleDraft("Low", (trigger("health_below", 40),), channel_ids=(channel,))
    )
    model = RulesTableModel()
    model.set_rules(services.automations.rules.all())
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.index(0, 2).data() == "Health score below 40"


def test_empty_page_explains_what_to_do(window: MainWindow) -> None:
    page = _page(window)
    assert page.rules.holder.is_showing_empty()
    assert "New rule…" in page.rules.holder.empty_label.text()
    assert "0 of 0 rules on" in page.status.text()


def test_the_wizard_creates_a_rule(services: Services, window: MainWindow) -> None:
    _hook(services, "https://hooks.example.com/x")
    add(services, "Failing Co", logins=0, adoption=5, tickets=6, nps=2)
    page = _page(window)
    page.rules.buttons["new"].click()
    wizard = page.dialog
    assert isinstance(wizard, RuleWizard)
    assert not wizard.watch.isComplete()
    wizard.watch.checks["health_below"].setChecked(True)
    wizard.watch.spins["health_below"].setValue(45)
    wizard.watch.checks["nps_detractor"].setChecked(True)
    wizard.next()
    assert wizard.deliver.isComplete()  # the only connection is chosen for you
    wizard.deliver.timing.button(1).setChecked(True)  # daily digest
    wizard.next()
    assert wizard.review.name.text() == "Health score below 45"
    assert wizard.review.summary.text() == (
        "When any account shows: health score below 45 or nps became detractor — send to "
        "Hook in a daily digest."
    )
    wizard.review.name.setText("Morning check")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    [rule] = services.automations.rules.all()
    assert (rule.name, rule.timing, [t.event for t in rule.triggers]) == (
        "Morning check",
        "daily",
        ["health_below", "nps_detractor"],
    )
    assert rule.triggers[0].threshold == 45
    page.refresh()
    assert page.rules.model.rowCount() == 1 and 'Saved rule "Morning check"' in page.message.text()


def test_the_wizard_keeps_a_refused_rule_open(services: Services, window: MainWindow) -> None:
    channel = _hook(services, "https://hooks.example.com/x")
    services.automations.rules.create(
        RuleDraft("Taken", (trigger("no_contact"),), channel_ids=(channel,))
    )
    page = _page(window)
    page.open_wizard(None)
    wizard = page.dialog
    assert isinstance(wizard, RuleWizard)
    wizard.watch.checks["no_contact"].setChecked(True)
    wizard.next()
    wizard.next()
    wizard.review.name.setText("taken")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible()
    assert 'A rule named "taken" already exists' in wizard.review.error.text()


def test_the_custom_builder_previews_counts_and_saves(
    qtbot: QtBot, services: Services, window: MainWindow
) -> None:
    channel = _hook(services, "https://hooks.example.com/x")
    for i in range(3):
        add(services, f"Big {i}", tier="enterprise", logins=0, adoption=5, tickets=6, nps=2)
    add(services, "Small", tier="smb", logins=30, adoption=90, tickets=0, nps=9)
    page = _page(window)
    page.rules.buttons["custom"].click()
    dialog = page.dialog
    assert isinstance(dialog, CustomRuleDialog)
    first = dialog.groups[0].rows[0]
    first.field.setCurrentIndex(first.field.findData("tier"))
    first.choice.setCurrentIndex(first.choice.findData("enterprise"))
    second = dialog.groups[0].add_row()
    second.field.setCurrentIndex(second.field.findData("score"))
    second.op.setCurrentIndex(second.op.findData("<"))
    second.text.setText("40")
    other = dialog.add_group().rows[0]
    other.field.setCurrentIndex(other.field.findData("tags"))
    other.text.setText("vip")
    assert dialog.preview.text() == (
        'Enterprise accounts with a health score below 40, or accounts tagged "vip"'
    )
    qtbot.waitUntil(lambda: dialog.count.text() == "Matches 3 of 4 accounts today.")
    dialog.name.setText("Big and failing")
    dialog.channels.item(0).setCheckState(Qt.CheckState.Checked)
    dialog.buttons.accepted.emit()
    [rule] = services.automations.rules.all()
    assert rule.groups == parse_when("tier = enterprise and score < 40 or tags has vip")
    assert [c.id for c in rule.channels] == [channel]


def test_unfinished_conditions_say_so(services: Services, window: MainWindow) -> None:
    page = _page(window)
    page.open_builder(None)
    dialog = page.dialog
    assert isinstance(dialog, CustomRuleDialog)
    row = dialog.groups[0].rows[0]
    row.field.setCurrentIndex(row.field.findData("mrr"))
    row.text.setText("lots")
    assert '"lots" is not a number' in dialog.error.text()
    dialog.buttons.accepted.emit()
    assert dialog.isVisible() and services.automations.rules.all() == []


def test_switch_filter_and_delete(
    services: Services, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = _hook(services, "https://hooks.example.com/x")
    for name, event in (("Quiet", "no_contact"), ("Renewals", "renewal_within")):
        services.automations.rules.create(
            RuleDraft(name, (trigger(event),), channel_ids=(channel,))
        )
    page = _page(window)
    quiet = page.rules.proxy.index(0, 0)
    page.rules.proxy.setData(quiet, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    page.refresh()
    assert [r.enabled for r in services.automations.rules.all()] == [False, True]
    page.rules.state.setCurrentText("On")
    assert page.rules.proxy.rowCount() == 1
    page.rules.state.setCurrentText("All rules")
    page.rules.search.setText("renew")
    assert page.rules.proxy.rowCount() == 1
    page.rules.table.selectRow(0)
    monkeypatch.setattr(page, "confirm", lambda _text: True)
    page.rules.buttons["delete"].click()
    assert [r.name for r in services.automations.rules.all()] == ["Quiet"]


def test_connections_add_refuse_and_send_test(
    services: Services, window: MainWindow, hook: WebhookReceiver
) -> None:
    page = _page(window)
    page.tabs.setCurrentWidget(page.connections)
    page.connections.buttons["add"].click()
    dialog = page.dialog
    assert isinstance(dialog, ConnectionDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("teams"))
    dialog.name.setText("Room")
    dialog.url.setText("https://acme.webhook.office.com/webhookb2/abc")
    dialog.buttons.accepted.emit()
    assert "retired" in dialog.url_form.error_text("url") and dialog.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData("webhook"))
    dialog.name.setText("Warehouse")
    dialog.url.setText(hook.url)
    dialog.hook_secret.setText(SECRET)
    dialog.buttons.accepted.emit()
    [saved] = services.automations.connections.all()
    assert saved.secret_state == "keyring"
    page.refresh()
    page.connections.table.selectRow(0)
    page.connections.buttons["test"].click()
    assert page.connections.result.text() == "Sent to Warehouse (200)."
    assert hook.wait_for(1)[0].signature_ok


def test_schedules_add_and_pause(services: Services, window: MainWindow) -> None:
    services.automations.connections.create(
        ConnectionInput(
            "Mail",
            "email",
            host="smtp.example.com",
            sender="r@example.com",
            to=("team@example.com",),
        )
    )
    page = _page(window)
    page.tabs.setCurrentWidget(page.schedules)
    page.schedules.buttons["add"].click()
    dialog = page.dialog
    assert isinstance(dialog, ScheduleDialog)
    dialog.every.setCurrentIndex(1)  # weekly
    dialog.weekday.setCurrentIndex(4)  # Friday
    dialog.to.setText("boss@example.com")
    dialog.buttons.accepted.emit()
    [schedule] = services.automations.schedules.all()
    assert schedule.describe() == "Every week on Friday at 08:00"
    page.refresh()
    page.schedules.table.selectRow(0)
    page.schedules.buttons["pause"].click()
    page.refresh()
    assert page.schedules.model.index(0, 6).data() == "Paused"
