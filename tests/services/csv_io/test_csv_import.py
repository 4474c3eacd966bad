"""CSV import: bad files, every value malformation, and the database left exactly as before."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions
from iqcadence_desktop.services.csv_io.mapping import NoNameColumnError
from iqcadence_desktop.services.csv_io.read import ImportFileError
from iqcadence_desktop.services.system.events import CUSTOMERS_CHANGED, DomainEvent

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def state(services: Services) -> dict[str, Any]:
    """Every table's rows: the database "exactly as before" is this being equal."""
    tables = services.backups.snapshot()["tables"]
    return {name: body["rows"] for name, body in tables.items()}


@pytest.fixture
def seeded(services: Services) -> Services:
    services.customers.create({"name": "Existing Co", "mrr": "1000", "logins": "10"})
    return services


@pytest.mark.parametrize(
    ("fixture", "words"),
    [
        ("empty.csv", "is empty"),
        ("header_only.csv", "only a header row"),
        ("workbook_renamed.csv", "looks like a binary file (xlsx? save it as CSV)"),
        ("binary.csv", "looks like a binary file"),
        ("duplicate_headers.csv", 'Columns "MRR" (column 2) and "mrr" (column 4) both hold MRR'),
        ("no_name.csv", 'Columns found: "Manager", "MRR", "PreferredLoginDevice"'),
    ],
)
def test_bad_files_are_refused_and_nothing_changes(
    seeded: Services, fixture: str, words: str
) -> None:
    before = state(seeded)
    with pytest.raises(ImportFileError) as info:
        seeded.importer.run(FIXTURES / fixture)
    assert words in str(info.value)
    assert state(seeded) == before


def test_no_name_column_is_its_own_error(services: Services) -> None:
    with pytest.raises(NoNameColumnError):
        services.importer.run(FIXTURES / "no_name.csv")


def test_blank_names_are_reported_and_the_other_rows_imported(services: Services) -> None:
    result = services.importer.run(FIXTURES / "blank_names.csv")
    assert (result.created, result.skipped) == (2, 2)
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Name: a customer needs a name."),
        (4, "Name: a customer needs a name."),
    ]
    assert sorted(c.name for c in services.customers.list_customers()) == ["Acme", "Beta"]


def test_every_value_malformation_is_reported_by_row_column_and_value(services: Services) -> None:
    result = services.importer.run(FIXTURES / "malformed_values.csv")
    assert result.created == 1 and result.skipped == 15
    found = {(e.row, e.column, e.value) for e in result.errors}
    assert found == {
        (3, "mrr", "five"),
        (4, "logins", "-3"),
        (5, "adoption", "175%"),
        (6, "tickets", "1.5"),
        (7, "nps", "11"),
        (8, "nps", "Superfan"),
        (9, "csat", "0"),
        (10, "days", "soon"),
        (11, "renewal_date", "2027-02-30"),
        (12, "renewal_date", "next spring"),
        (13, "growth", "huge"),
        (14, "tier", "giant"),
        (15, "lifecycle", "zombie"),
        (16, "sentiment", "meh"),
        (17, "arr", "5000"),
    }
    assert all(e.message for e in result.errors)
    good = services.customers.list_customers()[0]
    assert (good.name, good.mrr_cents, good.feature_adoption_pct, good.nps, good.tier) == (
        "Good Co",
        500_000,
        75.0,
        9,
        "mid",
    )
    assert good.renewal_date == dt.date(2027, 6, 30)


def test_all_or_nothing_imports_nothing_when_a_row_fails(seeded: Services) -> None:
    before = state(seeded)
    result = seeded.importer.run(
        FIXTURES / "malformed_values.csv", ImportOptions(all_or_nothing=True)
    )
    assert not result.applied and result.created == 1 and len(result.errors) == 15
    assert state(seeded) == before


def test_dry_run_reports_and_writes_nothing(seeded: Services) -> None:
    before = state(seeded)
    result = seeded.importer.run(FIXTURES / "crm_export.csv", ImportOptions(dry_run=True))
    assert result.dry_run and not result.applied and result.created == 3
    assert state(seeded) == before


def test_crm_export_quirks(services: Services) -> None:
    result = services.importer.run(FIXTURES / "crm_export.csv")
    assert result.mapping == {
        "Account Name": "name",
        "Account Owner": "manager",
        "Logins_30d": "logins",
        "NPS": "nps",
        "Notes": "note",
        "Tags": "tags",
    }
    assert result.ignored == (
        "PreferredLoginDevice",
        "CityTier",
        "Ownership",
        "AnnualRevenue",
        "DaySinceLastOrder",
    )
    assert (result.created, result.skipped) == (3, 1)
    assert result.errors[0].row == 6 and "header has" in result.errors[0].message
    by_name = {c.name: c for c in services.customers.list_customers()}
    assert by_name["Acme Corp"].note == "Line one\nline two, with comma"
    assert by_name["Acme Corp"].nps is None and by_name["Acme Corp"].tags == ("beta", "emea")
    assert by_name["Beta LLC"].manager is None and by_name["Beta LLC"].logins_30d is None
    assert by_name["Gamma Inc"].note == "=cmd|' /C calc'!A0"


def test_european_semicolon_cp1252_file(services: Services) -> None:
    preview = services.importer.preview(FIXTURES / "european_cp1252.csv")
    assert (preview.sniffed.format.encoding, preview.sniffed.format.delimiter) == ("cp1252", ";")
    services.importer.run(FIXTURES / "european_cp1252.csv", ImportOptions(date_order="dmy"))
    by_name = {c.name: c for c in services.customers.list_customers()}
    muller = by_name["Müller GmbH"]
    assert (muller.manager, muller.mrr_cents, muller.feature_adoption_pct) == (
        "José Peña",
        500_000,
        75.5,
    )
    assert muller.renewal_date == dt.date(2027, 12, 31)
    assert by_name["Café Crème"].renewal_date == dt.date(2027, 1, 5)


def test_tab_file_with_bom(services: Services) -> None:
    result = services.importer.run(FIXTURES / "tab_utf8_bom.csv")
    assert result.format.encoding == "utf-8-sig" and result.format.delimiter == "\t"
    row = services.customers.list_customers()[0]
    assert (row.name, row.manager, row.lifecycle) == ("Ångström AB", "Émile", "onboarding")


@pytest.mark.parametrize(
    ("order", "expected"), [("mdy", dt.date(2027, 3, 4)), ("dmy", dt.date(2027, 4, 3))]
)
def test_ambiguous_dates_follow_the_date_order(
    services: Services, order: str, expected: dt.date
) -> None:
    services.importer.run(FIXTURES / "dates_ambiguous.csv", ImportOptions(date_order=order))
    by_name = {c.name: c for c in services.customers.list_customers()}
    assert by_name["Ambig"].renewal_date == expected
    assert by_name["US"].renewal_date == by_name["EU"].renewal_date == dt.date(2027, 12, 31)
    assert by_name["EU"].last_contact_date == dt.date(2026, 11, 20)


def test_same_name_updates_and_later_row_wins(seeded: Services, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Customer,MRR\nexisting  co,2000\nNew One,5\nNEW ONE,7\n")
    events: list[DomainEvent] = []
    seeded.events.subscribe(CUSTOMERS_CHANGED, events.append)
    result = seeded.importer.run(path)
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    assert [(n.row, n.value) for n in result.notices] == [(4, "NEW ONE")]
    rows = {c.name: c.mrr_cents for c in seeded.customers.list_customers()}
    assert rows == {"existing co": 200_000, "NEW ONE": 700}
    audit = [a for a in seeded.audit.entries() if a.action == "customers_imported"]
    assert len(audit) == 1 and "1 created, 1 updated" in audit[0].summary
    assert len(events) == 1


def test_mapping_overrides_and_saved_mapping(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("Org,Health Notes,Seats\nAcme,fine,4\n")
    with pytest.raises(NoNameColumnError):
        services.importer.preview(path)
    services.importer.run(
        path, ImportOptions(mapping={"Org": "name", "Health Notes": "note", "Seats": None})
    )
    again = services.importer.preview(path)
    assert again.saved_mapping_used and again.fields == ("name", "note", None)
    assert services.customers.list_customers()[0].note == "fine"


def test_file_changed_during_import_rolls_back(
    seeded: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import iqcadence_desktop.services.csv_io.importer as ci

    monkeypatch.setattr(ci, "CHUNK_ROWS", 10)
    path = tmp_path / "x.csv"
    path.write_text("name,mrr\n" + "".join(f"C{i},{i}\n" for i in range(50)))
    before = state(seeded)

    def touch(done: int, total: int) -> None:
        with path.open("a") as handle:
            handle.write("Late,1\n")

    with pytest.raises(ImportFileError, match="changed on disk"):
        seeded.importer.run(path, progress=touch)
    assert state(seeded) == before


def test_cancel_rolls_back(
    seeded: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import iqcadence_desktop.services.csv_io.importer as ci
    from iqcadence_desktop.services.scoring.rescore import Cancelled

    monkeypatch.setattr(ci, "CHUNK_ROWS", 10)
    path = tmp_path / "x.csv"
    path.write_text("name,mrr\n" + "".join(f"C{i},{i}\n" for i in range(50)))
    before = state(seeded)
    calls = iter([False, False, True])
    with pytest.raises(Cancelled):
        seeded.importer.run(path, cancelled=lambda: next(calls))
    assert state(seeded) == before


def test_import_scores_snapshots_and_clears_manual_score(
    services: Services, tmp_path: Path
) -> None:
    created = services.customers.create({"name": "Acme", "logins": "30", "score": "12"})
    assert created.manual_score
    path = tmp_path / "x.csv"
    path.write_text("name,logins,adoption\nAcme,0,10\n")
    services.importer.run(path)
    dto = services.customers.get(created.id)
    assert not dto.manual_score and dto.status == "critical"
    history = services.customers.history(created.id)
    assert history[-1].logins_30d == 0 and history[-1].status == "critical"


def test_both_write_paths_give_the_same_result(services: Services, tmp_path: Path) -> None:
    """SQLite's driver-level path here; PostgreSQL's one-statement-per-chunk path (columns
    as arrays) when make test-postgres runs it on a real server."""
    path = tmp_path / "x.csv"
    path.write_text("name,mrr,tags,renewal_date\nAcme,5,a|b,2027-01-02\nBeta,6,,\n")
    assert services.importer.run(path).created == 2
    path.write_text("name,mrr,tags,renewal_date\nAcme,7,b,2027-01-03\nBeta,6,,\n")
    result = services.importer.run(path)
    assert (result.updated, result.unchanged) == (1, 1)
    acme = services.customers.get(services.customers.find_id("Acme") or 0)
    assert (acme.mrr_cents, acme.tags, acme.renewal_date) == (700, ("b",), dt.date(2027, 1, 3))


def test_import_on_a_later_day_refreshes_everyone_in_the_same_transaction(
    services: Services, tmp_path: Path
) -> None:
    from iqcadence_desktop.models import PortfolioDaily
    from iqcadence_desktop.services.container import build_services
    from iqcadence_desktop.services.system.clock import FixedClock

    services.customers.create({"name": "Old", "logins": "30"})
    later = build_services(services.db, FixedClock(dt.date(2026, 12, 3)))
    path = tmp_path / "x.csv"
    path.write_text("name,logins\nNew,10\n")
    result = later.importer.run(path)
    assert result.created == 1
    day = dt.date(2026, 12, 3).toordinal()
    with services.db.session() as s:
        row = s.get(PortfolioDaily, (day, ""))
        assert row is not None and row.customers == 2
    old_history = later.customers.history(services.customers.find_id("Old") or 0)
    assert [h.day.toordinal() for h in old_history][-1] == day
    actions = [a.action for a in later.audit.entries()]
    assert actions[:2] == ["customers_imported", "customer_created"]


def test_blank_lifecycle_cell_keeps_the_stage_or_starts_active(
    services: Services, tmp_path: Path
) -> None:
    """A blank stage used to reach the database as NULL and crash the import."""
    kept = services.customers.create({"name": "Kept", "lifecycle": "onboarding"})
    path = tmp_path / "x.csv"
    path.write_text("name,lifecycle,logins\nKept,,12\nFresh,,30\n")
    result = services.importer.run(path)
    assert (result.created, result.updated, result.errors) == (1, 1, ())
    assert services.customers.get(kept.id).lifecycle == "onboarding"
    fresh = services.customers.get(services.customers.find_id("Fresh") or 0)
    assert fresh.lifecycle == "active"
    again = services.importer.run(path)
    assert (again.updated, again.unchanged) == (0, 2)


def test_one_chunk_mixing_new_changed_renamed_and_unchanged_rows(
    services: Services, tmp_path: Path
) -> None:
    a = services.customers.create({"name": "Alpha", "mrr": "10", "tags": ["x"]})
    b = services.customers.create({"name": "Beta", "mrr": "20"})
    c = services.customers.create({"name": "Gamma", "mrr": "30"})
    path = tmp_path / "x.csv"
    path.write_text(
        "id,name,mrr,tags\n"
        f"CUS-{a.id:06d},Alpha,11,x|y\n"  # changed MRR and tags
        f"CUS-{b.id:06d},Beta Renamed,20,\n"  # renamed by its id
        "  ,Delta,40,z\n"  # new
        f"CUS-{c.id:06d},Gamma,30,\n"
    )  # unchanged
    result = services.importer.run(path)
    assert (result.created, result.updated, result.unchanged, result.errors) == (1, 2, 1, ())
    alpha, beta = services.customers.get(a.id), services.customers.get(b.id)
    assert (alpha.mrr_cents, alpha.tags) == (1100, ("x", "y"))
    assert (beta.name, services.customers.find_id("beta renamed")) == ("Beta Renamed", b.id)
    delta = services.customers.get(services.customers.find_id("Delta") or 0)
    assert (delta.mrr_cents, delta.tags) == (4000, ("z",))
    assert services.customers.history(delta.id)[-1].mrr_cents == 4000


def test_problems_are_listed_by_row_then_column(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text(
        "name,mrr,logins,nps\n"
        "A,five,-1,11\n"
        "B,1,2\n"  # too few values
        "C,2,x,3\n"
        "D,1,1,1\n"
    )
    result = services.importer.run(path)
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "mrr"),
        (2, "logins"),
        (2, "nps"),
        (3, ""),
        (4, "logins"),
    ]
    assert result.created == 1


def test_a_rename_by_id_frees_the_old_name_for_a_new_customer(
    services: Services, tmp_path: Path
) -> None:
    alpha = services.customers.create({"name": "Alpha", "mrr": "10"})
    path = tmp_path / "x.csv"
    path.write_text(f"id,name,mrr\nCUS-{alpha.id:06d},Alpha Two,10\n,Alpha,99\n")
    result = services.importer.run(path)
    assert (result.created, result.updated, result.errors) == (1, 1, ())
    assert services.customers.get(alpha.id).name == "Alpha Two"
    fresh = services.customers.get(services.customers.find_id("Alpha") or 0)
    assert fresh.id != alpha.id and fresh.mrr_cents == 9900
