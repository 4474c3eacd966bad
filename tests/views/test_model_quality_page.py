"""The Score Quality page, the Signal model and Custom fields settings, and the customer
window's factor rows, churn line and custom fields."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow
from iqcadence_desktop.views.main_window import MainWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.model_quality.page import EMPTY, ModelQualityPage
from iqcadence_desktop.views.pages.settings.page import SettingsPage


def test_empty_state_then_a_fit(window: MainWindow, services: Services) -> None:
    window.show_page("model_quality")
    page = window.pages["model_quality"]
    assert isinstance(page, ModelQualityPage)
    assert page.status.text() == EMPTY
    assert not page.metrics_table.isVisible()
    services.customers.load_sample(customers=120, days=70, seed=5)
    page.horizon.setCurrentIndex(page.horizon.findData(30))
    page.fit_button.click()
    assert "chance of churning within 30 days" in page.status.text()
    assert page.version is not None and page.version.horizon == 30
    assert "Version 1" in page.message.text()
    if page.version.quality is not None:
        assert page.metrics.rowCount() >= 1
        assert "account-windows" in page.readings.text()


def test_suggested_weights_are_previewed_and_applied_only_on_request(
    window: MainWindow, services: Services, monkeypatch: object
) -> None:
    services.customers.load_sample(customers=300, days=100)
    services.churn_model.fit(49)
    page = window.pages["model_quality"]
    assert isinstance(page, ModelQualityPage)
    window.show_page("model_quality")
    page.refresh()
    before = services.config.current().weights
    assert page.weights.rowCount() > 0 and page.apply_button.isVisible()
    page.preview_button.click()
    assert "accounts" in page.preview.text()
    assert services.config.current().weights == before  # a preview changes nothing
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(  # type: ignore[attr-defined]
        QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes
    )
    page.apply_button.click()
    assert services.config.current().weights != before
    assert "suggested by churn history" in services.audit.entries()[0].summary


def test_signal_model_switches_save_and_explain(
    window: MainWindow, services: Services, ctx: PageContext, qtbot: QtBot
) -> None:
    cid = services.customers.create({"name": "Deep Co", "logins": 25, "adoption": 80}).id
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    window.show_page("settings")
    settings.show_section("signal_model")
    section = settings.signal_model
    section.switches["engagement_depth"].setChecked(True)
    assert section.save()
    assert services.config.current().factors["engagement_depth"] is True
    detail = CustomerDetailWindow(ctx, cid)
    qtbot.addWidget(detail)
    table = detail.overview.explain_table
    cells = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert "Weighted average" in cells
    assert any(c.startswith("Engagement depth: deep use: 25 logins") for c in cells)
    assert "Chance of churning within 90 days" in detail.overview.churn.text()


def test_custom_fields_in_settings_and_on_the_customer(
    window: MainWindow, services: Services, ctx: PageContext, qtbot: QtBot
) -> None:
    cid = services.customers.create({"name": "Acme"}).id
    settings = window.pages["settings"]
    assert isinstance(settings, SettingsPage)
    section = settings.custom_fields
    section.refresh()
    assert section.empty.isVisibleTo(section) and not section.table.isVisibleTo(section)
    section.name_edit.setText("Seats")
    section.kind_combo.setCurrentIndex(section.kind_combo.findData("number"))
    section.add()
    assert [f.label for f in services.custom_fields.fields()] == ["Seats"]
    detail = CustomerDetailWindow(ctx, cid)
    qtbot.addWidget(detail)
    editor = detail.overview.custom.editors["seats"]
    editor.setText("lots")  # type: ignore[attr-defined]
    detail.overview.save_button.click()
    assert "number" in detail.overview.custom.form.error_text("seats")
    editor.setText("42")  # type: ignore[attr-defined]
    detail.overview.save_button.click()
    assert services.customers.get(cid).custom == {"seats": 42.0}
