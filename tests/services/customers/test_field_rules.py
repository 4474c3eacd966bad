"""Field rules for customer input: coercion, ranges and the days/ARR merges."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.customers import fields as F

TODAY = dt.date(2026, 11, 26)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("nps", 11, ["NPS", "11", "0 to 10"]),
        ("adoption", 140, ["Feature adoption", "140", "0 to 100"]),
        ("logins", -1, ["Logins", "-1", "0 to 100000"]),
        ("csat", 0, ["CSAT", "0", "1 to 5"]),
        ("tier", "huge", ["Tier", "huge", "enterprise, mid"]),
        ("renewal_date", "2026-02-30", ["Renewal date", "2026-02-30", "YYYY-MM-DD"]),
        ("tickets", "2.5", ["Open tickets", "whole number"]),
        ("logins", "inf", ["Logins", "inf"]),
        ("mrr", "-5", ["MRR", "0 or more"]),
        ("mrr", "1e999999", ["MRR", "below 100 billion"]),
        ("growth", "huge", ["Growth", "strong, mild, none, na"]),
        ("lifecycle", "dead", ["Lifecycle", "onboarding"]),
        ("adoption", "nan", ["Feature adoption"]),
        ("score", 101, ["Score", "0 to 100"]),
    ],
)
def test_bad_values_name_field_value_and_range(field: str, value: object, words: list[str]) -> None:
    with pytest.raises(ValidationError) as info:
        F.parse_fields({field: value}, TODAY)
    assert info.value.field == field
    for word in words:
        assert word in str(info.value)


def test_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match='"colour" is not a customer field'):
        F.parse_fields({"colour": "red"}, TODAY)


def test_good_values_are_coerced() -> None:
    out = F.parse_fields(
        {
            "logins": "12",
            "adoption": "75%",
            "mrr": "$5,000.50",
            "tier": "Mid-Market",
            "growth": "N/A",
            "tags": "vip| beta |VIP",
            "renewal_date": "2027-01-31",
            "name": "  Acme   Corp ",
        },
        TODAY,
    )
    assert out == {
        "logins": 12,
        "adoption": 75.0,
        "mrr": 500050,
        "tier": "mid",
        "growth": "na",
        "tags": ["vip", "beta"],
        "renewal_date": dt.date(2027, 1, 31),
        "name": "Acme Corp",
    }


def test_days_become_a_last_contact_date() -> None:
    assert F.parse_fields({"days": 10}, TODAY) == {"last_contact": dt.date(2026, 11, 16)}


def test_days_and_matching_date_are_accepted_and_disagreeing_ones_refused() -> None:
    same = F.parse_fields({"days": 10, "last_contact": "2026-11-16"}, TODAY)
    assert same == {"last_contact": dt.date(2026, 11, 16)}
    with pytest.raises(ValidationError, match="disagree"):
        F.parse_fields({"days": 3, "last_contact": "2026-11-16"}, TODAY)


def test_blank_days_beside_a_date_keeps_the_date() -> None:
    out = F.parse_fields({"days": "", "last_contact": "2026-11-16"}, TODAY)
    assert out == {"last_contact": dt.date(2026, 11, 16)}
    assert F.parse_fields({"days": ""}, TODAY) == {"last_contact": None}


def test_arr_fills_mrr_rounded_half_up() -> None:
    assert F.parse_fields({"arr": 120_000}, TODAY) == {"mrr": 1_000_000}
    assert F.parse_fields({"arr": "1000.06"}, TODAY) == {"mrr": 8334}  # 8333.83 cents


def test_mrr_and_arr_must_agree() -> None:
    assert F.parse_fields({"mrr": 1000, "arr": 12000}, TODAY) == {"mrr": 100_000}
    with pytest.raises(ValidationError, match=r"MRR \(\$1,000\) and ARR \(\$13,000\)"):
        F.parse_fields({"mrr": 1000, "arr": 13000}, TODAY)


def test_blank_means_clear() -> None:
    assert F.parse_fields({"nps": "", "tags": ""}, TODAY) == {"nps": None, "tags": []}


def test_name_key_folds_case_and_spacing() -> None:
    assert F.name_key("  Müller   GMBH ") == F.name_key("müller gmbh")


def test_money_text() -> None:
    assert F.money_text(123456) == "$1,234.56"
    assert F.money_text(500000) == "$5,000"
    assert F.money_text(None) == "—"


def test_a_pipe_always_separates_tags_so_every_tag_survives_an_export() -> None:
    assert F.parse_tags(["a|b", "|", "c"]) == ["a", "b", "c"]
    assert F.parse_tags("a, b|c") == ["a", "b", "c"]
