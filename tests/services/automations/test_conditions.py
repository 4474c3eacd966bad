"""Custom-rule conditions: parsing `--when`, plain-language previews, refusals."""

from __future__ import annotations

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations import Condition, describe, parse_when, to_text


def test_and_binds_tighter_than_or() -> None:
    groups = parse_when("tier = enterprise and score_drop_7d >= 15 or status = critical")
    assert groups == (
        (Condition("tier", "=", "enterprise"), Condition("score_drop_7d", ">=", 15.0)),
        (Condition("status", "=", "critical"),),
    )


def test_preview_reads_like_a_sentence() -> None:
    groups = parse_when("tier = enterprise and score_drop_7d >= 15 or status = critical")
    assert describe(groups) == (
        "Enterprise accounts whose score fell 15+ points in 7 days, or Critical accounts"
    )


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        (
            "renewal_within <= 30 and mrr >= 10000",
            "Accounts renewing within 30 days and with MRR of $10,000 or more",
        ),
        ('manager = "Dana Lee" and tags has vip', 'Accounts managed by Dana Lee and tagged "vip"'),
        (
            "tier != smb and days_since_contact >= 21",
            "Accounts outside the SMB tier and not contacted for 21+ days",
        ),
        ("lifecycle = churned", "Churned accounts"),
        ("csat < 3", "Accounts with csat below 3"),
    ],
)
def test_descriptions(text: str, sentence: str) -> None:
    assert describe(parse_when(text)) == sentence


def test_values_are_understood_loosely() -> None:
    groups = parse_when("Tier is Mid-Market and Status = at risk and MRR >= $2,500")
    assert groups[0] == (
        Condition("tier", "=", "mid"),
        Condition("status", "=", "at_risk"),
        Condition("mrr", ">=", 2500.0),
    )


def test_text_round_trips() -> None:
    groups = parse_when('manager = "Dana Lee" and nps <= 6 or tags lacks vip')
    assert parse_when(to_text(groups)) == groups


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("colour = red", '"colour" is not a field'),
        ("tier > enterprise", "Tier cannot be compared"),
        ("tier = gold", '"gold" is not one of enterprise, mid, smb'),
        ("score < high", '"high" is not a number'),
        ("score < 40 and", 'ends with "and"'),
        ("score < 40 tier = smb", 'Expected "and" or "or" before "tier"'),
        ("manager = Dana tier = smb", 'Expected "and" or "or" before "tier"'),
        ("", "at least one condition"),
    ],
)
def test_bad_text_gets_one_clear_sentence(text: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        parse_when(text)
    assert words in str(err.value)
