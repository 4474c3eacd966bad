"""Spreadsheet spellings, header recognition and formula neutralisation."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.csv_io import values as V
from iqcadence_desktop.services.csv_io.import_rows import parse_id
from iqcadence_desktop.services.csv_io.mapping import recognise
from iqcadence_desktop.services.csv_io.read import detect_delimiter, detect_encoding, guess_field
from iqcadence_desktop.services.customers import GROWTHS, LIFECYCLES, SENTIMENTS, parse_value
from iqcadence_desktop.services.customers.fields import TIER_ALIASES


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


#: Every legal spelling of every field with a value list (S1/S2), and numbers at their
#: edges: none of them may ever be read as "missing".
LEGAL_VALUES: dict[str, tuple[str, ...]] = {
    "growth": (*GROWTHS, "n/a", "N/A", "None", "NONE", "NA", "Strong", "Mild"),
    "lifecycle": LIFECYCLES,
    "sentiment": SENTIMENTS,
    "tier": (*TIER_ALIASES, "Mid-Market", "SMB", "Enterprise"),
    "nps": ("0", "10", "Detractor", "Passive", "Promoter", "neutral"),
    "csat": ("1", "5"),
    "logins": ("0",),
    "tickets": ("0",),
    "adoption": ("0", "100", "0%"),
    "mrr": ("0", "0.00", "$0"),
    "name": ("None", "NA", "N/A", "nil", "-", "nan"),
    "note": ("None", "n/a", "-", "nan"),
}


@pytest.mark.parametrize(
    ("field", "raw"), [(f, v) for f, values in LEGAL_VALUES.items() for v in values]
)
def test_no_legal_value_is_also_a_missing_token(field: str, raw: str) -> None:
    assert not V.is_missing(raw, field)
    cleaned = V.clean(field, raw, day_first=False)
    assert cleaned is not None
    assert parse_value(field, cleaned) is not None


@pytest.mark.parametrize("raw", ["none", "None", "NONE"])
def test_growth_none_is_twenty_points_not_missing(raw: str) -> None:
    assert parse_value("growth", V.clean("growth", raw, day_first=False)) == "none"


@pytest.mark.parametrize("raw", ["n/a", "N/A", "na", "NA"])
def test_growth_na_is_the_excluded_answer(raw: str) -> None:
    assert parse_value("growth", V.clean("growth", raw, day_first=False)) == "na"


@pytest.mark.parametrize("raw", ["", " ", "#N/A", "NULL", "-", "nan"])
def test_growth_still_reads_real_blanks_as_missing(raw: str) -> None:
    assert V.clean("growth", raw, day_first=False) is None


@pytest.mark.parametrize(
    ("header", "samples", "field"),
    [
        ("CustomerID", ["ALFKI", "ANATR"], "external_id"),
        ("Id", ["42", "43"], "external_id"),
        ("account_id", ["acc_001"], "external_id"),
        ("CustomerId", ["CUS-000042"], "id"),
        ("id", ["CUS-000001", "'CUS-000002", ""], "id"),
        ("id", ["CUS-000001", "7"], "external_id"),
        ("External ID", ["CUS-000009"], "external_id"),  # an explicit header is never ours
        ("HubSpot ID", ["1234"], "external_id"),
    ],
)
def test_id_like_columns_are_ours_only_when_the_values_are(
    header: str, samples: list[str], field: str
) -> None:
    assert recognise(header, samples) == field


@pytest.mark.parametrize("text", ["CUS-000042", "cus-42", "CUS42"])
def test_our_own_id_shapes_parse(text: str) -> None:
    assert parse_id(text) == 42


@pytest.mark.parametrize("text", ["42", "ALFKI", "CUS-", "C-42", "CUS-4x"])
def test_anything_else_is_not_our_id(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_id(text)
    assert "External id" in info.value.message
