"""Exports from other systems: foreign ids go to external_id, and the counts add up.

rows = created + updated + unchanged + duplicates + skipped, always; created, updated and
unchanged count customers in the database; updated is 0 on an empty database.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions, ImportResult

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "csv"


def adds_up(r: ImportResult) -> None:
    total = r.created + r.updated + r.unchanged + len(r.duplicates) + r.skipped
    assert total == r.rows
    assert r.skipped == len({e.row for e in r.errors})


def write(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def subscriptions(path: Path, accounts: int, months: int) -> Path:
    """A billing export: one row per account per month, newest month last."""
    rows: list[list[object]] = []
    for month in range(months):
        start = dt.date(2026, 1, 1) + dt.timedelta(days=31 * month)
        for a in range(accounts):
            rows.append(
                [f"in_{len(rows) + 1:06d}", f"cus_{a:05d}", f"Account {a:05d}", "Team", "active"]
                + [f"{100 + a + month}.00", start.isoformat(), 3 + a % 7]
            )
    header = ["invoice_id", "customer_id", "customer_name", "plan", "status", "mrr"]
    return write(path, [*header, "period_start", "seats"], rows)


def test_northwind_export_imports_with_foreign_ids(services: Services) -> None:
    path = FIXTURES / "northwind_customers.csv"
    preview = services.importer.preview(path)
    assert preview.match.column == "CustomerID" and preview.match.field == "external_id"
    assert [u.column for u in preview.unused] == [
        "ContactName",
        "ContactTitle",
        "Address",
        "City",
        "Region",
        "PostalCode",
        "Country",
        "Phone",
        "Fax",
    ]
    result = services.importer.run(path)
    adds_up(result)
    assert (result.rows, result.created, result.updated, result.skipped) == (12, 12, 0, 0)
    assert result.mapping["CustomerID"] == "external_id"
    by_ext = {c.external_id: c.name for c in services.customers.list_customers()}
    assert by_ext["ALPKI"] == "Alpine Kitchen Imports" and by_ext["IKEDA"] == "池田商事"
    again = services.importer.run(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 12)


def test_the_external_id_is_the_first_match_key(services: Services, tmp_path: Path) -> None:
    services.importer.run(FIXTURES / "northwind_customers.csv")
    renamed = write(
        tmp_path / "renamed.csv",
        ["CustomerID", "CompanyName"],
        [["ALPKI", "Alpine Kitchen Imports GmbH"], ["BRVBK", "Brava Bakery"]],
    )
    result = services.importer.run(renamed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    names = {c.external_id: c.name for c in services.customers.list_customers()}
    assert names["ALPKI"] == "Alpine Kitchen Imports GmbH"


def test_subscription_export_counts_customers_not_rows(services: Services) -> None:
    result = services.importer.run(FIXTURES / "subscriptions_small.csv")
    adds_up(result)
    assert (result.rows, result.created, result.updated, result.unchanged) == (40, 8, 0, 0)
    assert (len(result.duplicates), result.skipped) == (32, 0)
    first = result.duplicates[0]
    assert (first.row, first.first_row, first.column, first.value) == (
        10,
        2,
        "customer_id",
        "cus_0001",
    )
    assert first.to_json()["rows"] == [2, 10]
    customers = {c.external_id: c for c in services.customers.list_customers()}
    assert customers["cus_0002"].mrr_cents == 20_300  # the last month's row won


def test_five_thousand_rows_of_five_hundred_accounts(services: Services, tmp_path: Path) -> None:
    path = subscriptions(tmp_path / "subs.csv", accounts=500, months=10)
    result = services.importer.run(path)
    adds_up(result)
    counts = (result.rows, result.created, result.updated, result.unchanged, result.skipped)
    assert counts == (5000, 500, 0, 0, 0)
    assert len(result.duplicates) == 4500
    assert len(services.customers.list_customers()) == 500
    again = services.importer.run(path)
    adds_up(again)
    assert (again.created, again.updated, again.unchanged, len(again.duplicates)) == (
        0,
        0,
        500,
        4500,
    )
    payload = again.to_json()
    assert payload["rows"] == 5000 and len(payload["duplicates"]) == 4500


def test_bad_rows_are_skipped_and_the_sum_still_holds(services: Services, tmp_path: Path) -> None:
    path = write(
        tmp_path / "mixed.csv",
        ["account_id", "Account Name", "MRR", "NPS"],
        [
            ["a1", "One", "100", "9"],
            ["a2", "Two", "lots", "9"],  # refused: money
            ["a1", "One", "120", "Promoter"],  # duplicate of row 2, wins
            ["a3", "Three", "5", "11"],  # refused: NPS out of range
            ["a4", "One", "7", "1"],  # refused: another account already uses the name
        ],
    )
    result = services.importer.run(path)
    adds_up(result)
    assert (result.created, len(result.duplicates), result.skipped) == (1, 1, 3)
    assert sorted({e.row for e in result.errors}) == [3, 5, 6]


def test_an_existing_customer_found_by_name_gets_its_external_id(
    services: Services, tmp_path: Path
) -> None:
    services.customers.create({"name": "Acme", "mrr": "10"})
    services.customers.create({"name": "Beta", "external_id": "crm-2"})
    path = write(
        tmp_path / "crm.csv",
        ["Id", "Name"],
        [["crm-1", "Acme"], ["crm-9", "Beta"]],
    )
    result = services.importer.run(path)
    adds_up(result)
    assert (result.updated, result.skipped) == (1, 1)
    assert "already has external id 'crm-2'" in result.errors[0].message
    acme = services.customers.get(services.customers.find_id("Acme") or 0)
    assert acme.external_id == "crm-1"


def test_bare_numbers_in_an_id_column_are_never_our_ids(services: Services, tmp_path: Path) -> None:
    first = services.customers.create({"name": "Ours"})
    path = write(tmp_path / "ids.csv", ["Id", "Company"], [[str(first.id), "Theirs"]])
    result = services.importer.run(path)
    assert result.mapping == {"Id": "external_id", "Company": "name"}
    assert (result.created, result.updated) == (1, 0)
    assert services.customers.get(first.id).name == "Ours"


def test_our_own_ids_still_match_by_id(services: Services, tmp_path: Path) -> None:
    first = services.customers.create({"name": "Ours"})
    path = write(tmp_path / "ids.csv", ["Id", "Company"], [[first.display_id, "Ours Renamed"]])
    result = services.importer.run(path)
    assert result.mapping == {"Id": "id", "Company": "name"}
    assert (result.created, result.updated) == (0, 1)
    assert services.customers.get(first.id).name == "Ours Renamed"


def test_external_ids_are_unique(services: Services) -> None:
    created = services.customers.create({"name": "A", "external_id": " x-1 "})
    assert services.customers.find_by_external_id("x-1") == created.id
    assert services.customers.find_by_external_id("") is None
    with pytest.raises(Exception, match='"x-1" already belongs to "A"'):
        services.customers.create({"name": "B", "external_id": "x-1"})


def test_preview_lists_every_conversion_under_the_date_order(
    services: Services, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "survey.csv",
        [
            "Company",
            "NPS Category",
            "MRR",
            "Renewal Date",
            "Growth",
            "Segment",
            "Logins Last Month",
        ],
        [
            ["A", "Detractor", "1.200,50", "03/04/2025", "none", "SMB", "12"],
            ["B", "Promoter", "$5,000", "2025-06-01", "N/A", "Mid", "3"],
            ["C", "11", "12", "31/12/2025", "", "", ""],
        ],
    )
    preview = services.importer.preview(path, ImportOptions(date_order="dmy"))
    seen = {(c.raw, c.result) for c in preview.conversions if not c.problem}
    assert {("Detractor", "0"), ("1.200,50", "1200.50"), ("03/04/2025", "2025-04-03")} <= seen
    assert {("Promoter", "9"), ("$5,000", "5000.00"), ("N/A", "n/a"), ("12", "12.00")} <= seen
    assert ("none", "none") not in seen  # stored exactly as written: not a conversion
    problems = {c.raw: c.problem for c in preview.conversions if c.problem}
    assert "11" in problems and "NPS" in problems["11"]
    assert [(u.column, u.examples) for u in preview.unused] == [
        ("Segment", ("SMB", "Mid")),
        ("Logins Last Month", ("12", "3")),
    ]
    mdy = services.importer.preview(path, ImportOptions(date_order="mdy"))
    assert ("03/04/2025", "2025-03-04") in {(c.raw, c.result) for c in mdy.conversions}
    ignored = services.importer.preview(path, ImportOptions(mapping={"MRR": None}))
    assert ("MRR", "ignored") in {(u.column, u.reason) for u in ignored.unused}
