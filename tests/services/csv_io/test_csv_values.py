"""Spreadsheet spellings, header recognition and formula neutralisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqcadence_desktop.services.csv_io import values as V
from iqcadence_desktop.services.csv_io.read import detect_delimiter, detect_encoding, guess_field


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$5,000", "5000"),
        ("5.000,00 €", "5000.00"),
        ("1,234.56", "1234.56"),
        ("1.234.567,8", "1234567.8"),
        ("USD 99.5", "99.5"),
        ("12,5", "12.5"),
        ("700", "700"),
    ],
)
def test_money_spellings(raw: str, expected: str) -> None:
    assert V.money(raw) == expected


@pytest.mark.parametrize(
    ("raw", "day_first", "expected"),
    [
        ("2027-03-04", False, "2027-03-04"),
        ("2027-03-04T10:00:00", False, "2027-03-04"),
        ("03/04/2027", False, "2027-03-04"),
        ("03/04/2027", True, "2027-04-03"),
        ("31/12/2027", False, "2027-12-31"),
        ("12/31/2027", True, "2027-12-31"),
        ("31.12.2027", True, "2027-12-31"),
        ("5 Jan 2027", False, "2027-01-05"),
        ("Jan 5, 2027", False, "2027-01-05"),
        ("2027-02-30", False, "2027-02-30"),
    ],
)
def test_date_spellings(raw: str, day_first: bool, expected: str) -> None:
    assert V.date(raw, day_first) == expected


@pytest.mark.parametrize(
    ("field", "raw", "expected"),
    [
        ("nps", "Promoter", "9"),
        ("nps", "passive", "7"),
        ("nps", "Detractor", "0"),
        ("adoption", "75%", "75"),
        ("mrr", "#N/A", None),
        ("logins", "NULL", None),
        ("csat", "n/a", None),
        ("growth", "n/a", "n/a"),
        ("growth", "Yes", "mild"),
        ("note", "None", "None"),
        ("name", "  ", None),
        ("manager", "NULL", None),
    ],
)
def test_clean_cells(field: str, raw: str, expected: str | None) -> None:
    assert V.clean(field, raw, day_first=False) == expected


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Company", "name"),
        ("Account Name", "name"),
        ("CSM", "manager"),
        ("Owner", "manager"),
        ("ARR", "arr"),
        ("Annual Recurring Revenue", "arr"),
        ("login_frequency", "logins"),
        ("Feature_Adoption_Pct", "adoption"),
        ("NPS Category", "nps"),
        ("Renews On", "renewal_date"),
        ("Days Since Contact", "days"),
        ("Stage", "lifecycle"),
        ("PreferredLoginDevice", None),
        ("CityTier", None),
        ("Ownership", None),
        ("AnnualRevenue", None),
        ("DaySinceLastOrder", None),
    ],
)
def test_headers_match_exact_synonyms_only(header: str, field: str | None) -> None:
    assert guess_field(header) == field


def test_delimiters_and_encodings_are_detected() -> None:
    assert detect_delimiter('name;mrr;note\n"A, B";5;x\n') == ";"
    assert detect_delimiter("name\tmrr\nA\t5\n") == "\t"
    assert detect_delimiter("name,mrr\nA;B,5\n") == ","
    assert detect_encoding("Müller".encode("cp1252")) == "cp1252"
    assert detect_encoding("\ufeffMüller".encode()) == "utf-8-sig"
    assert detect_encoding("Müller".encode()) == "utf-8"


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-x", "@me", "\tx", "\rx", "'=x", "''+y"])
def test_formula_text_is_neutralised(text: str) -> None:
    out = V.neutralise(text)
    assert out.startswith("'") and out != text
    assert V.restore(out) == text


@given(st.text())
def test_neutralise_then_restore_is_identity(text: str) -> None:
    assert V.restore(V.neutralise(text)) == text
    body = V.neutralise(text)
    assert body[:1] not in V.FORMULA_TRIGGERS or not text


@pytest.mark.parametrize("text", ["NULL", "n/a", "#N/A", "None", "'NULL"])
def test_text_that_reads_as_missing_is_guarded_and_restored(text: str) -> None:
    out = V.neutralise(text)
    assert out == "'" + text
    assert V.restore(out) == text
    assert V.clean("manager", out, day_first=False) == text
