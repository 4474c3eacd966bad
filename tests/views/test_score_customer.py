"""Score a Customer: live preview, MRR/ARR both ways, duplicates, field errors, save."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.customers.page import CustomersPage
from iqcadence_desktop.views.pages.score_customer.page import ScoreCustomerPage, nps_text


@pytest.fixture
def page(ctx: PageContext, qtbot: QtBot) -> ScoreCustomerPage:
    page = ScoreCustomerPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    return page


def test_nps_labels_name_the_category() -> None:
    assert [nps_text(v) for v in (3, 8, 10)] == ["3 — Detractor", "8 — Passive", "10 — Promoter"]


def test_fill_save_and_find_it_in_the_table_with_the_previewed_score(
    page: ScoreCustomerPage, ctx: PageContext, qtbot: QtBot
) -> None:
    page.name.setText("Globex")
    page.sliders["logins"].slider.setValue(24)
    page.sliders["adoption"].slider.setValue(70)
    page.sliders["tickets"].slider.setValue(0)
    page.sliders["nps"].slider.setValue(6)
    assert page.sliders["nps"].text() == "6 — Detractor"
    page.sliders["days"].set_value(None)
    page.growth.setCurrentIndex(page.growth.findData("mild"))
    previewed = page.preview_score.text()
    with qtbot.waitSignal(page.navigation_requested) as nav:
        page.save_button.click()
        assert page.status.text().startswith("Saved Globex")
        page.show_in_list.click()
    assert nav.args == ["customers", {"search": "Globex"}]
    customers = CustomersPage(ctx)
    qtbot.addWidget(customers)
    customers.refresh()
    customers.apply_navigation(nav.args[1])
    assert customers.model.rowCount() == 1
    saved = customers.model.customer_at(0)
    assert saved.name == "Globex" and saved.days_since_contact is None
    assert f">{saved.shown_score}<" in previewed


def test_preview_follows_the_sliders(page: ScoreCustomerPage) -> None:
    for key in ("logins", "adoption", "tickets", "nps", "days"):
        page.sliders[key].set_value(None)
    page.growth.setCurrentIndex(page.growth.findData("na"))
    assert ">—<" in page.preview_score.text() and "Unscored" in page.preview_score.text()
    page.sliders["adoption"].set_value(100)
    assert ">100<" in page.preview_score.text()
    assert "Coverage 25%" in page.preview_coverage.text()


def test_mrr_and_arr_fill_each_other(page: ScoreCustomerPage, services: Services) -> None:
    page.arr.setText("12000")
    page.arr.textEdited.emit("12000")
    assert page.mrr.text() == "1000"
    page.mrr.setText("2500.50")
    page.mrr.textEdited.emit("2500.50")
    assert page.arr.text() == "30006"
    page.name.setText("Money Inc")
    page.save_button.click()
    assert services.customers.get(services.customers.find_id("Money Inc") or 0).mrr_cents == 250050


def test_bad_money_shows_a_message_under_the_field(
    page: ScoreCustomerPage, services: Services
) -> None:
    page.name.setText("Broke")
    page.mrr.setText("lots")
    page.mrr.textEdited.emit("lots")
    assert "MRR" in page.form.error_text("mrr")
    page.save_button.click()
    assert "MRR" in page.form.error_text("mrr")
    assert services.customers.find_id("Broke") is None


def test_duplicate_name_is_flagged_as_you_type_and_refused(
    page: ScoreCustomerPage, services: Services, ctx: PageContext
) -> None:
    existing = services.customers.create({"name": "Initech"}).id
    page.name.setText("  initech ")
    assert page.duplicate.isVisibleTo(page)
    page.save_button.click()
    assert "already exists" in page.form.error_text("name")
    assert len(services.customers.list_customers()) == 1
    page.open_existing.click()
    (window,) = page.findChildren(CustomerDetailWindow)
    assert window.customer_id == existing
    window.close()
    page.name.setText("Initech Two")
    assert not page.duplicate.isVisibleTo(page)


def test_csat_is_disabled_unless_enabled_in_settings(page: ScoreCustomerPage) -> None:
    assert not page.sliders["csat"].isEnabled()
    assert "Settings" in page.csat_hint.text()
    assert "csat" not in page.raw_input()
