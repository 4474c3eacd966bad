"""First checks of the customer service end to end on a real SQLite file."""

from __future__ import annotations

import pytest

from iqcadence_desktop.errors import DuplicateNameError, ValidationError
from iqcadence_desktop.services.container import Services


def test_create_scores_and_audits(services: Services) -> None:
    dto = services.customers.create(
        {
            "name": "Acme Corp",
            "logins": 30,
            "adoption": 100,
            "tickets": 0,
            "nps": 10,
            "days": 0,
            "growth": "strong",
        }
    )
    assert dto.score == pytest.approx(100.0)
    assert dto.status == "expansion"
    assert [e.action for e in services.audit.entries()] == ["customer_created"]


def test_duplicate_name_is_refused_case_and_space_folded(services: Services) -> None:
    services.customers.create({"name": "Acme Corp"})
    with pytest.raises(DuplicateNameError):
        services.customers.create({"name": "  acme   CORP "})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("nps", 11),
        ("adoption", 140),
        ("logins", -1),
        ("csat", 0),
        ("tier", "huge"),
        ("renewal_date", "2026-02-30"),
    ],
)
def test_bad_values_are_refused_and_nothing_written(
    services: Services, field: str, value: object
) -> None:
    with pytest.raises(ValidationError) as info:
        services.customers.create({"name": "Bad", field: value})
    assert info.value.field == field
    assert services.customers.list_customers() == []
