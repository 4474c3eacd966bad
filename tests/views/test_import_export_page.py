"""The Import / Export page: wizard steps, exports, backup and restore, rendered offscreen."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.pages.import_export.page import ImportExportPage
from iqcadence_desktop.views.pages.import_export.wizard import STEP_CHOOSE, STEP_DONE, STEP_MAP
from iqcadence_desktop.views.tasks import SyncTaskRunner

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"
SHOTS = os.environ.get("IQ_SHOTS")  # set to a folder to keep PNGs of every step


@pytest.fixture
def page(qtbot: QtBot, services: Services) -> Iterator[ImportExportPage]:
    bridge = EventBridge(services.events)
    widget = ImportExportPage(PageContext(services, SyncTaskRunner(), bridge))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    widget.refresh()
    yield widget
    bridge.detach()


def shot(widget: ImportExportPage, name: str) -> None:
    if SHOTS:
        for w, h in ((1280, 800), (900, 700)):
            widget.resize(w, h)
            widget.grab().save(f"{SHOTS}/i4-{name}-{w}.png")
        widget.resize(1280, 800)


def test_wizard_import_with_problems(
    page: ImportExportPage, services: Services, qtmodeltester: object
) -> None:
    wizard = page.wizard
    shot(page, "1-choose")
    wizard.load_file(FIXTURES / "crm_export.csv")
    assert wizard.currentIndex() == STEP_MAP
    assert wizard.mapping.mapping()["PreferredLoginDevice"] is None
    assert wizard.mapping.mapping()["Account Name"] == "name"
    qtmodeltester.check(wizard.preview_model)  # type: ignore[attr-defined]
    shot(page, "2-map")
    wizard.start(dry_run=True)
    assert "nothing was saved" in wizard.summary.text() and not wizard.problems.isHidden()
    assert services.customers.list_customers() == []
    qtmodeltester.check(wizard.problems_model)  # type: ignore[attr-defined]
    shot(page, "3-checked")
    wizard.start(dry_run=False)
    assert wizard.currentIndex() == STEP_DONE
    assert "3 created" in wizard.result_text.text()
    shot(page, "4-done")
    assert len(services.customers.list_customers()) == 3


def test_wizard_remap_and_ignore(
    page: ImportExportPage, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Org,Health Notes,Seats\nAcme,fine,4\n")
    wizard = page.wizard
    wizard.load_file(path)
    assert wizard.currentIndex() == STEP_CHOOSE and "Columns found" in wizard.choose_error.text()
    wizard.path = None
    # With a name mapped by hand the file imports, and the mapping is remembered.
    services.importer.run(path, wizard.options(False).__class__(mapping={"Org": "name"}))
    wizard.load_file(path)
    assert wizard.currentIndex() == STEP_MAP and "saved mapping" in wizard.summary.text()
    wizard.mapping.set_field(1, "note")
    wizard.start(dry_run=False)
    assert services.customers.list_customers()[0].note == "fine"


def test_bad_file_message_and_cancel(page: ImportExportPage, services: Services) -> None:
    page.wizard.load_file(FIXTURES / "workbook_renamed.csv")
    assert "looks like a binary file (xlsx? save it as CSV)" in page.wizard.choose_error.text()
    shot(page, "0-error")
    page.wizard.load_file(FIXTURES / "blank_names.csv")
    page.wizard.ctx.tasks.run = _cancelling(page.wizard.ctx.tasks.run)  # type: ignore[method-assign]
    page.wizard.start(dry_run=False)
    assert "cancelled" in page.wizard.summary.text()
    assert services.customers.list_customers() == []


def _cancelling(run: object) -> object:
    def wrapped(fn: object, **kw: object) -> object:
        def cancelled_fn(token: object) -> object:
            token.cancel()  # type: ignore[attr-defined]
            return fn(token)  # type: ignore[operator]

        return run(cancelled_fn, **kw)  # type: ignore[operator]

    return wrapped


def test_problems_export(page: ImportExportPage, tmp_path: Path) -> None:
    page.wizard.load_file(FIXTURES / "malformed_values.csv")
    page.wizard.start(dry_run=True)
    out = tmp_path / "problems.csv"
    page.wizard.save_problems_to(out)
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,column,value,problem" and len(lines) == 16


def test_exports_backup_and_restore(
    page: ImportExportPage, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.customers.create({"name": "Acme", "manager": "Ann"})
    services.customers.create({"name": "Beta", "manager": "Bob"})
    page.ctx.manager = "Ann"
    page.refresh()
    page.tabs.setCurrentIndex(1)
    page.export_to(tmp_path / "e.csv", "enriched")
    assert "Exported 1 customers" in page.status.text()
    page.scope.setCurrentIndex(0)
    page.export_to(tmp_path / "b.csv", "bulksheet")
    assert "Exported 2 customers" in page.status.text()
    page.backup_to(tmp_path / "b.json")
    services.customers.create({"name": "Gamma"})
    monkeypatch.setattr(page, "ask_open_path", lambda *_: tmp_path / "b.json")
    monkeypatch.setattr(page, "confirm", lambda *_: False)
    page._on_restore_clicked()
    assert len(services.customers.list_customers()) == 3
    monkeypatch.setattr(page, "confirm", lambda *_: True)
    page._on_restore_clicked()
    assert "Restored 2 customers" in page.status.text()
    assert len(services.customers.list_customers()) == 2
    shot(page, "5-export")
    page.export_to(tmp_path / "missing" / "x.csv", "enriched")
    assert "does not exist" in page.status.text()


def test_import_runs_off_the_gui_thread_with_progress(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import iqcadence_desktop.services.csv_io.importer as ci
    from iqcadence_desktop.views.tasks import TaskRunner

    monkeypatch.setattr(ci, "CHUNK_ROWS", 100)
    path = tmp_path / "x.csv"  # ~220 KB, so the reader's position moves chunk by chunk
    path.write_text("name,mrr,note\n" + "".join(f"C{i},{i},{'x' * 100}\n" for i in range(2000)))
    bridge = EventBridge(services.events)
    tasks = TaskRunner()
    widget = ImportExportPage(PageContext(services, tasks, bridge))
    qtbot.addWidget(widget)
    seen: list[int] = []
    widget.wizard.progress.valueChanged.connect(seen.append)
    widget.wizard.load_file(path)
    widget.wizard.start(dry_run=False)
    assert not widget.wizard.import_button.isEnabled()  # busy while the worker runs
    qtbot.waitUntil(lambda: widget.wizard.currentIndex() == STEP_DONE, timeout=20000)
    assert "2,000 created" in widget.wizard.result_text.text()
    assert len(seen) >= 3 and seen[-1] == path.stat().st_size
    assert tasks.wait()
    bridge.detach()


def test_unused_columns_can_be_kept_as_custom_fields(
    page: ImportExportPage, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "seats.csv"
    rows = ["name,Seats,Plan", "Acme,12,Gold", "Globex,30,Gold", "Hooli,8,Silver", "Ito,5,Silver"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    wizard = page.wizard
    wizard.load_file(path)
    panel = wizard.keep
    assert panel.isVisibleTo(page)
    assert [s.column for s in panel.suggestions] == ["Seats", "Plan"]
    assert [s.kind for s in panel.suggestions] == ["number", "choice"]
    assert panel.keep() == {}  # nothing is kept unless asked
    panel.set_kept("Seats")
    wizard.start(dry_run=False)
    assert wizard.currentIndex() == STEP_DONE
    fields = services.custom_fields.fields()
    assert [(f.label, f.kind, f.values) for f in fields] == [("Seats", "number", 4)]
    wizard.reset()
    wizard.load_file(path)  # the field now exists: its column is filled without asking
    seats = next(s for s in wizard.keep.suggestions if s.column == "Seats")
    assert seats.existing is not None and "fills the custom field" in seats.text


def test_wizard_shows_match_key_conversions_and_unused_columns(
    page: ImportExportPage, services: Services, tmp_path: Path, qtmodeltester: object
) -> None:
    wizard = page.wizard
    wizard.load_file(FIXTURES / "northwind_customers.csv")
    assert "<b>CustomerID</b>, the account's id in another system" in wizard.what.match.text()
    assert wizard.what.tabs.tabText(2) == "Not imported (9)"
    unused = wizard.what.unused.model
    assert unused.item(0, 0).text() == "ContactName"
    qtmodeltester.check(unused)  # type: ignore[attr-defined]
    shot(page, "5-northwind")
    wizard.start(dry_run=False)
    expected = services.importer.run(FIXTURES / "northwind_customers.csv", wizard.options(True))
    assert "12 created" in wizard.result_text.text() and expected.unchanged == 12

    path = tmp_path / "survey.csv"
    path.write_text("Company,NPS,Renewal\nA,Detractor,03/04/2025\nB,11,2025-01-01\n")
    wizard.reset()
    wizard.load_file(path)
    rows = wizard.what.conversions.model
    pairs = {(rows.item(r, 1).text(), rows.item(r, 2).text()) for r in range(rows.rowCount())}
    assert ("Detractor", "0") in pairs and ("03/04/2025", "2025-03-04") in pairs
    assert ("11", "refused") in pairs and "1 refused" in wizard.what.tabs.tabText(1)
    wizard.date_order.setCurrentIndex(wizard.date_order.findData("dmy"))
    wizard.date_order.activated.emit(wizard.date_order.currentIndex())
    pairs = {(rows.item(r, 1).text(), rows.item(r, 2).text()) for r in range(rows.rowCount())}
    assert ("03/04/2025", "2025-04-03") in pairs
    wizard.mapping.set_field(1, None)  # ignore NPS: it moves to "Not imported"
    assert wizard.what.tabs.tabText(2) == "Not imported (1)"
    shot(page, "6-conversions")


def test_wizard_summary_counts_duplicates_like_the_cli(page: ImportExportPage) -> None:
    wizard = page.wizard
    wizard.load_file(FIXTURES / "subscriptions_small.csv")
    wizard.start(dry_run=False)
    assert wizard.result_text.text().startswith(
        "Imported: 8 created, 0 updated, 0 unchanged, 32 duplicate rows and 0 skipped, of 40 rows."
    )


def test_import_finished_names_what_came_in_and_links_to_it(
    qtbot: QtBot, page: ImportExportPage, services: Services
) -> None:
    wizard = page.wizard
    wizard.load_file(FIXTURES / "crm_export.csv")
    wizard.start(dry_run=False)
    names = sorted(c.name for c in services.customers.list_customers())
    assert all(name in wizard.imported.text() for name in names)
    assert wizard.show_imported.text() == "Show the imported 3 customers →"
    with qtbot.waitSignal(page.navigation_requested) as asked:
        wizard.show_imported.click()
    assert asked.args[0] == "customers"
    assert sorted(asked.args[1]["ids"]) == sorted(c.id for c in services.customers.list_customers())
