"""Custom fields: kept from an import, typed, shown on the DTO, exported and re-imported
losslessly, and removed with an audit entry and nothing else lost."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from iqcadence_desktop.errors import UserFacingError, ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions, suggest_custom
from iqcadence_desktop.services.customers import CustomerFilter, detect_kind

FILE = (
    "Company,Logins,Contract Type,Seats,Has SSO,Signed On,Region Note\n"
    "Acme,20,Annual,120,yes,2025-03-01,North =x\n"
    "Globex,5,Monthly,8,no,2025-07-15,\n"
    "Initech,12,Annual,45.5,yes,2024-11-30,South\n"
    "Hooli,30,Monthly,300,no,2026-01-02,East\n"
)


def write(tmp_path: Path, text: str, name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_name(services: Services) -> dict[str, dict[str, object]]:
    return {c.name: dict(c.custom) for c in services.customers.list_customers(CustomerFilter())}


def test_kinds_are_detected_from_the_data() -> None:
    assert detect_kind(["yes", "no", None]) == ("yesno", ())
    assert detect_kind(["2025-01-01", "2024-12-31"]) == ("date", ())
    assert detect_kind(["1.5", "20", "-3"]) == ("number", ())
    assert detect_kind(["Annual", "Monthly", "Annual", "Annual"]) == (
        "choice",
        ("Annual", "Monthly"),
    )
    assert detect_kind(["a", "b", "c"])[0] == "text"


def test_preview_suggests_a_kind_for_every_unused_column(
    services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, FILE)
    preview = services.importer.preview(path)
    found = {s.column: s.kind for s in suggest_custom(preview.sniffed, preview.fields, [])}
    assert found == {
        "Contract Type": "choice",
        "Seats": "number",
        "Has SSO": "yesno",
        "Signed On": "date",
        "Region Note": "text",
    }


def test_kept_columns_become_typed_fields(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, FILE)
    keep = {c: "auto" for c in ("Contract Type", "Seats", "Has SSO", "Signed On", "Region Note")}
    result = services.importer.run(path, ImportOptions(keep=keep))
    assert result.created == 4 and result.custom.values == 19
    assert set(result.custom.created) == set(keep)
    kinds = {f.label: f.kind for f in services.custom_fields.fields()}
    assert kinds["Seats"] == "number" and kinds["Signed On"] == "date"
    acme = by_name(services)["Acme"]
    assert acme == {
        "contract_type": "Annual",
        "seats": 120.0,
        "has_sso": True,
        "signed_on": dt.date(2025, 3, 1),
        "region_note": "North =x",
    }
    assert "Globex" in by_name(services) and "region_note" not in by_name(services)["Globex"]
    entry = services.audit.entries()[0]
    assert entry.action in ("custom_fields_imported", "customers_imported")


def test_export_and_reimport_is_lossless(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, FILE)
    keep = {c: "auto" for c in ("Contract Type", "Seats", "Has SSO", "Signed On", "Region Note")}
    services.importer.run(path, ImportOptions(keep=keep))
    before = by_name(services)
    out = tmp_path / "bulk.csv"
    services.exporter.export(out, "bulksheet")
    again = services.importer.run(out)  # known field names: kept without asking
    assert again.changed == 0 and again.custom.values == 0 and again.unchanged == 4
    edited = out.read_text(encoding="utf-8-sig").replace("Annual", "Biennial", 1)
    services.importer.run(write(tmp_path, edited, "edited.csv"))
    after = by_name(services)
    assert after["Acme"]["contract_type"] == "Biennial"  # a new choice joins the list
    assert {k: v for k, v in after.items() if k != "Acme"} == {
        k: v for k, v in before.items() if k != "Acme"
    }


def test_bad_custom_values_are_reported_by_row_and_column(
    services: Services, tmp_path: Path
) -> None:
    services.custom_fields.create("Seats", "number")
    path = write(tmp_path, "name,Seats\nAcme,12\nGlobex,lots\n")
    result = services.importer.run(path)
    assert [(e.row, e.column, e.value) for e in result.errors] == [(3, "Seats", "lots")]
    assert by_name(services)["Acme"] == {"seats": 12.0}
    refused = services.importer.run(
        write(tmp_path, "name,Seats\nAcme,13\nGlobex,lots\n", "b.csv"),
        ImportOptions(all_or_nothing=True),
    )
    assert not refused.applied and by_name(services)["Acme"] == {"seats": 12.0}


def test_values_can_be_set_by_hand_and_are_checked(services: Services) -> None:
    field = services.custom_fields.create("Plan", "choice", ["Gold", "Silver"])
    dto = services.customers.create({"name": "Acme"})
    assert services.custom_fields.set_values(dto.id, {"Plan": "gold"}) == {"plan": "Gold"}
    with pytest.raises(ValidationError, match="one of Gold, Silver"):
        services.custom_fields.set_values(dto.id, {"plan": "Bronze"})
    assert services.customers.get(dto.id).custom == {"plan": "Gold"}
    assert services.customers.get(dto.id).to_json()["custom"] == {"plan": "Gold"}
    with pytest.raises(ValidationError, match="built-in"):
        services.custom_fields.create("Manager", "text")
    assert field.kind_label == "Choice"


def test_removing_a_field_is_audited_and_keeps_everything_else(
    services: Services, tmp_path: Path
) -> None:
    path = write(tmp_path, FILE)
    services.importer.run(path, ImportOptions(keep={"Seats": "number", "Has SSO": "yesno"}))
    seats = services.custom_fields.field("seats")
    before = {c.name: (c.logins_30d, c.score) for c in services.customers.list_customers()}
    assert services.custom_fields.remove(seats.id) == 4
    after = services.customers.list_customers()
    assert {c.name: (c.logins_30d, c.score) for c in after} == before
    assert all(set(c.custom) == {"has_sso"} for c in after)
    entry = services.audit.entries()[0]
    assert entry.action == "custom_field_removed" and "4 values" in entry.summary


def test_keeping_an_unknown_column_is_refused(services: Services, tmp_path: Path) -> None:
    path = write(tmp_path, FILE)
    with pytest.raises(UserFacingError, match="Nope"):
        services.importer.run(path, ImportOptions(keep={"Nope": "auto"}))
    assert services.customers.list_customers() == []


def test_rules_can_read_custom_fields(services: Services) -> None:
    from iqcadence_desktop.services.customers import rule_fields, rule_value

    services.custom_fields.create("Seats", "number")
    cid = services.customers.create({"name": "Acme"}).id
    services.custom_fields.set_values(cid, {"Seats": "40"})
    assert rule_fields(services.custom_fields.fields()) == [("custom.seats", "Seats", "number")]
    dto = services.customers.get(cid)
    assert rule_value(dto, "custom.seats") == 40.0 and rule_value(dto, "custom.other") is None
    with pytest.raises(ValidationError):
        rule_value(dto, "seats")
