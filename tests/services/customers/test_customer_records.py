"""Notes, contacts and the sentiment log: CRUD on a real SQLite file, audited, evented."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.records import SentimentDTO, sentiment_trend
from iqcadence_desktop.services.system.events import CUSTOMERS_CHANGED, DomainEvent


@pytest.fixture
def cid(services: Services) -> int:
    return services.customers.create({"name": "Acme Corp", "logins": 20}).id


def _actions(services: Services) -> list[str]:
    return [e.action for e in reversed(services.audit.entries())]


def test_note_crud_is_audited_and_published(services: Services, cid: int) -> None:
    seen: list[DomainEvent] = []
    services.events.subscribe(CUSTOMERS_CHANGED, seen.append)
    note = services.records.add_note(cid, "  Kickoff went well  ")
    assert note.body == "Kickoff went well"
    assert note.created_at == services.clock.now()
    edited = services.records.edit_note(note.id, "Kickoff went very well")
    assert [n.body for n in services.records.notes(cid)] == [edited.body]
    services.records.delete_note(note.id)
    assert services.records.notes(cid) == []
    assert _actions(services)[-3:] == ["note_added", "note_edited", "note_deleted"]
    assert [e.customer_ids for e in seen] == [(cid,)] * 3


def test_empty_note_and_missing_rows_are_refused(services: Services, cid: int) -> None:
    with pytest.raises(ValidationError):
        services.records.add_note(cid, "   ")
    with pytest.raises(NotFoundError):
        services.records.edit_note(999, "x")
    with pytest.raises(NotFoundError):
        services.records.add_note(999, "x")
    assert services.records.notes(cid) == []


def test_contact_crud_is_audited(services: Services, cid: int) -> None:
    contact = services.records.add_contact(
        cid, {"name": "Dana Lee", "role": "VP Ops", "email": "dana@acme.example"}
    )
    services.records.edit_contact(contact.id, {"name": "Dana Lee", "phone": "+1 555 0100"})
    (after,) = services.records.contacts(cid)
    assert (after.role, after.email, after.phone) == (None, None, "+1 555 0100")
    services.records.delete_contact(contact.id)
    assert services.records.contacts(cid) == []
    assert _actions(services)[-3:] == ["contact_added", "contact_edited", "contact_deleted"]


def test_bad_email_names_the_field(services: Services, cid: int) -> None:
    with pytest.raises(ValidationError) as info:
        services.records.add_contact(cid, {"name": "Dana", "email": "dana-at-acme"})
    assert info.value.field == "email"
    assert services.records.contacts(cid) == []


def test_sentiment_log_sets_current_sentiment(services: Services, cid: int) -> None:
    services.records.log_sentiment(cid, "Negative", "Unhappy with outage")
    assert services.customers.get(cid).sentiment == "negative"
    (entry,) = services.records.sentiment_log(cid)
    assert (entry.sentiment, entry.comment, entry.day) == (
        "negative",
        "Unhappy with outage",
        services.clock.today(),
    )
    assert "sentiment_logged" in _actions(services)
    with pytest.raises(ValidationError):
        services.records.log_sentiment(cid, "furious")


def _entries(*moods: str) -> list[SentimentDTO]:
    start = dt.date(2026, 1, 1)
    return [SentimentDTO(i, 1, start + dt.timedelta(days=i), m, None) for i, m in enumerate(moods)]


@pytest.mark.parametrize(
    ("moods", "trend"),
    [
        (("negative", "negative", "neutral", "positive", "positive"), "improving"),
        (("positive", "positive", "neutral", "negative", "negative"), "declining"),
        (("neutral", "neutral", "neutral", "neutral"), "steady"),
        (("positive",), "steady"),
    ],
)
def test_sentiment_trend(moods: tuple[str, ...], trend: str) -> None:
    assert sentiment_trend(_entries(*moods)) == trend


def test_history_comes_back_as_dtos(services: Services, cid: int) -> None:
    (snap,) = services.customers.history(cid)
    assert snap.day == services.clock.today()
    assert snap.logins_30d == 20
    assert snap.score == services.customers.get(cid).score
