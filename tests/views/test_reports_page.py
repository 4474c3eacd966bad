"""The Reports page: lists the ten reports, generates in the task runner, previews, saves."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import REPORT_KINDS
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.reports.page import ReportsPage
from iqcadence_desktop.views.tasks import SyncTaskRunner


@pytest.fixture
def page(services: Services, qtbot: QtBot) -> ReportsPage:
    services.customers.load_sample(customers=15, days=10, seed=2)
    services.customers.save_by_name(
        {"name": "株式会社サンプル", "logins": 9, "manager": "Ana Ruiz"}
    )
    ctx = PageContext(services, SyncTaskRunner(), EventBridge(services.events))
    widget = ReportsPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.refresh()
    return widget


def _select(page: ReportsPage, kind: str) -> None:
    page.kind_list.setCurrentRow([k.id for k in REPORT_KINDS].index(kind))


def test_lists_the_ten_reports_with_descriptions(page: ReportsPage) -> None:
    assert page.kind_list.count() == 10
    _select(page, "churn-risk")
    assert page.kind_title.text() == "Churn Risk"
    assert "churning" in page.description.text()
    assert not page.customer_box.isEnabled() and not page.qbr_check.isEnabled()
    _select(page, "customer-health")
    assert page.customer_box.isEnabled() and page.qbr_check.isEnabled()
    assert page.as_of.date() == QDate(2026, 11, 26)


def test_generate_shows_progress_result_and_preview(page: ReportsPage, tmp_path: Path) -> None:
    _select(page, "at-risk")
    page.manager_box.setCurrentText("Ana Ruiz")
    page.as_of.setDate(QDate(2026, 11, 20))
    request = page.request()
    assert request.manager == "Ana Ruiz" and request.as_of == dt.date(2026, 11, 20)
    page.generate_button.click()
    assert page.last is not None and page.last.path.exists() and page.last.pages >= 1
    assert "At-Risk Accounts" in page.status.text()
    assert page.open_button.isEnabled() and page.save_button.isEnabled()
    if shutil.which("pdftoppm"):
        assert not page.preview.pixmap().isNull()
    else:
        assert "poppler" in page.preview.text()
    target = tmp_path / "copy.pdf"
    assert page.save_copy(target) and target.read_bytes()[:4] == b"%PDF"
    page.grab().save(str(Path("/tmp") / "r6-page-1280.png"))
    page.resize(900, 700)
    page.grab().save(str(Path("/tmp") / "r6-page-900.png"))


def test_customer_report_without_customer_says_what_to_do(page: ReportsPage) -> None:
    _select(page, "customer-health")
    page.customer_box.setCurrentIndex(0)  # (whole portfolio)
    page.generate_button.click()
    assert page.last is None
    assert "choose the customer" in page.status.text()


def test_qbr_for_a_cjk_customer_and_a_bad_save_target(page: ReportsPage, tmp_path: Path) -> None:
    _select(page, "customer-health")
    page.customer_box.setCurrentText("株式会社サンプル")
    assert not page.audience_box.isEnabled()
    page.qbr_check.setChecked(True)
    assert page.audience_box.isEnabled() and page.request().audience == "customer"
    page.generate_button.click()
    assert page.last is not None and page.last.pages >= 2
    page.audience_box.setCurrentIndex(page.audience_box.findData("internal"))
    assert page.request().audience == "internal"
    page.generate_button.click()
    assert page.last is not None and page.last.pages >= 3
    assert not page.save_copy(tmp_path / "no-such-dir" / "x.pdf")
    assert "does not exist; choose another place" in page.status.text()


def test_csv_format(page: ReportsPage) -> None:
    _select(page, "weekly-digest")
    page.format_box.setCurrentText("CSV")
    page.generate_button.click()
    assert page.last is not None and page.last.format == "csv"
    assert "no page preview" in page.preview.text()


def test_generates_on_a_worker_thread(services: Services, qtbot: QtBot) -> None:
    from iqcadence_desktop.views.tasks import TaskRunner

    services.customers.load_sample(customers=10, days=5, seed=4)
    runner = TaskRunner()
    widget = ReportsPage(PageContext(services, runner, EventBridge(services.events)))
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(lambda: widget.manager_box.count() > 1, timeout=20000)
    _select(widget, "portfolio-summary")
    widget.generate_button.click()
    assert not widget.generate_button.isEnabled()  # busy while the worker runs
    qtbot.waitUntil(lambda: widget.last is not None, timeout=60000)
    assert widget.generate_button.isEnabled() and widget.progress.isHidden()
    assert runner.wait(5000)


def test_open_hands_the_pdf_to_the_system_viewer(
    page: ReportsPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QUrl

    from iqcadence_desktop.views.pages.reports import page as reports_module

    opened: list[QUrl] = []
    monkeypatch.setattr(
        reports_module.QDesktopServices, "openUrl", lambda url: opened.append(url) or True
    )
    _select(page, "segment-analysis")
    page.generate_button.click()
    page.open_button.click()
    assert page.last is not None
    assert [u.toLocalFile() for u in opened] == [str(page.last.path)]
