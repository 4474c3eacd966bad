"""Customer detail window: the explanation adds up, edits and records go through services."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.customer_detail.window import ALERTS_TAB_INDEX, CustomerDetailWindow
from iqcadence_desktop.views.pages.base import PageContext
from tests.services.reports.helpers import pdf_text

SIGNALS = {
    "logins": 12,
    "adoption": 47.5,
    "tickets": 2,
    "nps": 7,
    "days": 20,
    "growth": "mild",
    "tier": "mid",
}


@pytest.fixture
def window(
    ctx: PageContext, qtbot: QtBot, services: Services, clock: object
) -> Iterator[CustomerDetailWindow]:
    cid = services.customers.create({"name": "Acme", **SIGNALS}).id
    clock.advance(1)  # type: ignore[attr-defined]
    services.customers.update(cid, {"logins": 3, "tickets": 4})
    w = CustomerDetailWindow(ctx, cid)
    w.show()
    yield w
    if shiboken6.isValid(w):  # closing deletes it (WA_DeleteOnClose)
        w.close()


def test_explanation_contributions_add_up_to_the_score(
    window: CustomerDetailWindow, services: Services
) -> None:
    table = window.overview.explain_table
    contributions = [float(table.item(r, 5).text()) for r in range(table.rowCount() - 1)]
    score = services.customers.get(window.customer_id).score
    assert score is not None
    assert sum(contributions) == pytest.approx(score, abs=0.01 * len(contributions))
    assert float(table.item(table.rowCount() - 1, 5).text()) == pytest.approx(score, abs=0.005)
    assert (
        str(services.customers.get(window.customer_id).shown_score)
        in window.overview.headline.text()
    )


def test_change_since_previous_snapshot_is_shown(
    window: CustomerDetailWindow, services: Services
) -> None:
    text = services.customers.explain(window.customer_id).change_text()
    assert text.startswith("−") and "logins" in text and "tickets" in text
    assert text in window.overview.change.text()


def test_save_edits_and_show_field_errors(
    window: CustomerDetailWindow, qtbot: QtBot, services: Services
) -> None:
    nps = window.overview.fields["nps"]
    assert isinstance(nps, QLineEdit)
    nps.setText("14")
    window.overview.save_button.click()
    assert "NPS" in window.overview.form.error_text("nps")
    assert services.customers.get(window.customer_id).nps == 7
    nps.setText("10")
    manager = window.overview.fields["manager"]
    assert isinstance(manager, QLineEdit)
    manager.setText("Priya")
    window.overview.save_button.click()
    dto = services.customers.get(window.customer_id)
    assert (dto.nps, dto.manager) == (10, "Priya")
    assert window.overview.form.error_text("nps") == ""
    qtbot.waitUntil(lambda: window.overview.explain_table.item(3, 1).text() == "10")


def test_renaming_onto_another_customer_is_refused_under_the_name(
    window: CustomerDetailWindow, services: Services
) -> None:
    services.customers.create({"name": "Globex"})
    name = window.overview.fields["name"]
    assert isinstance(name, QLineEdit)
    name.setText("globex")
    window.overview.save_button.click()
    assert "already exists" in window.overview.form.error_text("name")
    assert services.customers.get(window.customer_id).name == "Acme"


def test_notes_crud_through_the_tab_is_audited(
    window: CustomerDetailWindow, qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    notes = window.notes
    notes.editor.setPlainText("Renewal call booked")
    notes.add_button.click()
    qtbot.waitUntil(lambda: notes.list.count() == 1)
    assert "Renewal call booked" in notes.list.item(0).text()
    notes.list.setCurrentRow(0)
    notes.editor.setPlainText("Renewal call booked for Friday")
    notes.save_button.click()
    qtbot.waitUntil(lambda: "Friday" in notes.list.item(0).text())
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    notes.list.setCurrentRow(0)
    notes.delete_button.click()
    qtbot.waitUntil(lambda: notes.list.count() == 0)
    actions = [e.action for e in services.audit.entries()]
    assert {"note_added", "note_edited", "note_deleted"} <= set(actions)


def test_contacts_crud_through_the_tab_is_audited(
    window: CustomerDetailWindow, qtbot: QtBot, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = window.contacts
    tab.edits["name"].setText("Dana Lee")
    tab.edits["email"].setText("not-an-email")
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Ok)
    tab.add_button.click()
    assert services.records.contacts(window.customer_id) == []
    tab.edits["email"].setText("dana@acme.example")
    tab.add_button.click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    tab.table.selectRow(0)
    tab.edits["role"].setText("CFO")
    tab.save_button.click()
    qtbot.waitUntil(lambda: tab.table.item(0, 1).text() == "CFO")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    tab.table.selectRow(0)
    tab.delete_button.click()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0)
    actions = [e.action for e in services.audit.entries()]
    assert {"contact_added", "contact_edited", "contact_deleted"} <= set(actions)


def test_sentiment_and_playbook_and_history(
    window: CustomerDetailWindow, qtbot: QtBot, services: Services
) -> None:
    window.sentiment.mood.setCurrentIndex(window.sentiment.mood.findData("negative"))
    window.sentiment.log_button.click()
    qtbot.waitUntil(lambda: window.sentiment.table.rowCount() == 1)
    assert services.customers.get(window.customer_id).sentiment == "negative"
    titles = " ".join(c.text() for c in window.playbook.cards if isinstance(c, QLabel))
    assert "negative mood" in titles and "usage is low" in titles
    assert window.history.table.rowCount() == 2
    assert window.history.curve is not None
    assert len(window.history.curve.getData()[0]) == 2


def test_alerts_tab_slot_and_purge_closes(
    window: CustomerDetailWindow, qtbot: QtBot, services: Services
) -> None:
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Overview",
        "Alerts",
        "Playbook",
        "Notes",
        "Sentiment",
        "History",
        "Contacts",
    ]
    assert window.tabs.widget(ALERTS_TAB_INDEX) is window.alerts
    window.add_tab(QLabel("more here"), "More", 2)
    assert window.tabs.tabText(2) == "More"
    services.customers.trash([window.customer_id])
    # Generous timeouts: each reload reads five tables, and CI machines are shared.
    qtbot.waitUntil(lambda: "(in the trash)" in window.title.text(), timeout=20000)
    services.customers.purge([window.customer_id])
    # Closing deletes the window (WA_DeleteOnClose), possibly before the next check.
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) or not window.isVisible(), timeout=20000)


def test_alerts_tab_lists_this_customers_alerts(
    window: CustomerDetailWindow, services: Services
) -> None:
    services.customers.update(window.customer_id, {"tickets": 7})
    window.reload()
    model = window.alerts.model
    shown = [model.alert_at(model.index(r, 0)) for r in range(model.rowCount())]
    # Seven tickets sink the account; the tickets are a reason of its health alert.
    assert {a.rule for a in shown if a is not None} & {"open_tickets", "unhealthy"}
    assert {a.customer_id for a in shown if a is not None} == {window.customer_id}


def test_business_review_button_writes_and_opens_the_qbr_pdf(
    window: CustomerDetailWindow, tmp_path: Path
) -> None:
    target = tmp_path / "qbr.pdf"
    opened: list[Path] = []
    window.qbr.choose_path = lambda: target  # type: ignore[method-assign]
    window.qbr.open_file = opened.append  # type: ignore[method-assign]
    assert window.qbr.audience.currentData() == "customer"  # the safe default
    window.qbr.button.click()  # the test context runs tasks inline
    assert opened == [target] and target.read_bytes().startswith(b"%PDF")
    assert "pages" in window.qbr.status.text()
    assert "INTERNAL" not in pdf_text(target)
    window.qbr.audience.setCurrentIndex(window.qbr.audience.findData("internal"))
    window.qbr.button.click()
    assert "INTERNAL" in pdf_text(target)


def test_external_id_is_shown_and_edited(window: CustomerDetailWindow, services: Services) -> None:
    field = window.overview.fields["external_id"]
    assert isinstance(field, QLineEdit) and field.text() == ""
    field.setText("crm-77")
    window.overview.save_button.click()
    assert services.customers.get(window.customer_id).external_id == "crm-77"


def test_a_score_set_by_hand_with_a_reason_and_a_last_day(
    qtbot: QtBot, window: CustomerDetailWindow, services: Services
) -> None:
    import datetime as dt

    overview = window.overview
    assert overview.override_button.isVisible() and not overview.clear_override_button.isVisible()
    dialog = overview.override_dialog()
    dialog.score.setValue(88)
    dialog.accept()  # no reason: refused, the dialog stays open and says why
    assert "Say why" in dialog.error.text()
    dialog.reason.setText("Exec sponsor renewed verbally")
    dialog.limited.setChecked(True)
    dialog.until.setDate(dialog.until.minimumDate().addDays(10))
    dialog.accept()
    window.reload()
    c = services.customers.get(window.customer_id)
    assert c.manual_score and c.score == 88 and c.override_until is not None
    assert c.override_until - services.clock.today() == dt.timedelta(days=10)
    assert "Exec sponsor renewed verbally" in overview.override_note.text()
    assert "(set by hand)" in overview.headline.text()
    assert overview.clear_override_button.isVisible()
    overview.clear_override_button.click()
    window.reload()
    assert not services.customers.get(window.customer_id).manual_score
    assert services.audit.entries()[0].action == "score_override_cleared"


def test_the_figures_say_what_they_mean(window: CustomerDetailWindow) -> None:
    facts = window.overview.facts
    for key in ("coverage", "momentum", "priority"):
        assert facts[key].toolTip().startswith(key.capitalize())
    assert window.overview.change.toolTip()


def test_the_profile_can_follow_the_rules_or_be_chosen(
    window: CustomerDetailWindow, services: Services
) -> None:
    from PySide6.QtWidgets import QComboBox

    weights = {"logins": 100, "adoption": 0, "tickets": 0, "nps": 0, "days": 0, "growth": 0}
    services.config.save_profile("Focus", weights)
    window.reload()
    combo = window.overview.fields["profile"]
    assert isinstance(combo, QComboBox) and combo.currentText().startswith("By rule")
    combo.setCurrentIndex(combo.findData("Focus"))
    window.overview.save_button.click()
    c = services.customers.get(window.customer_id)
    assert c.scoring_profile == "Focus" and c.profile_manual
    window.reload()  # the service's change event arrives through the queued bridge
    assert "Focus (by hand)" in window.overview.facts["profile"].text()
