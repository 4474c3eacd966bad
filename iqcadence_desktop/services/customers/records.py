"""Notes, contacts and the sentiment log of a customer (S1).

Each write is one unit of work with its audit entry; `customers_changed` is published
after commit so open detail windows and pages refresh. A sentiment log entry also sets
the customer's current sentiment through the customer service (audited there too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import Contact, Customer, Note, SentimentEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers.fields import SENTIMENTS, check_text
from iqcadence_desktop.services.customers.service import CustomerService
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.team import Scope

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
SENTIMENT_VALUE = {"negative": -1, "neutral": 0, "positive": 1}
_Row = TypeVar("_Row", Note, Contact)
_Dto = TypeVar("_Dto")


@dataclass(frozen=True)
class NoteDTO:
    """A timestamped note."""

    id: int
    customer_id: int
    body: str
    author: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class ContactDTO:
    """A person at the customer."""

    id: int
    customer_id: int
    name: str
    role: str | None
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class SentimentDTO:
    """One reading of the customer's mood."""

    id: int
    customer_id: int
    day: dt.date
    sentiment: str
    comment: str | None


def sentiment_trend(entries: list[SentimentDTO], last: int = 3) -> str:
    """'improving', 'declining' or 'steady' from the mean of the last readings vs before."""
    values = [SENTIMENT_VALUE[e.sentiment] for e in sorted(entries, key=lambda e: (e.day, e.id))]
    if len(values) < 2:
        return "steady"
    recent, before = values[-last:], values[:-last] or values[:1]
    delta = sum(recent) / len(recent) - sum(before) / len(before)
    if delta > 0.25:
        return "improving"
    return "declining" if delta < -0.25 else "steady"


class CustomerRecordsService:
    """Create, edit and delete a customer's notes and contacts; log its sentiment."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        customers: CustomerService,
        scope: Scope,
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._audit = audit
        self._events = events
        self._customers = customers

    # -- notes ------------------------------------------------------------------------
    def notes(self, customer_id: int) -> list[NoteDTO]:
        """Newest first."""
        return self._list(NOTES, customer_id)

    def add_note(self, customer_id: int, body: str) -> NoteDTO:
        text = _required("body", body, "Note: write something before saving.")
        now = self._clock.now()
        values = {"body": text, "author": self._audit.user(), "created_at": now, "updated_at": now}
        return self._add(NOTES, customer_id, values)

    def edit_note(self, note_id: int, body: str) -> NoteDTO:
        text = _required("body", body, "Note: write something before saving.")
        return self._edit(NOTES, note_id, {"body": text, "updated_at": self._clock.now()})

    def delete_note(self, note_id: int) -> None:
        self._delete(NOTES, note_id)

    # -- contacts ---------------------------------------------------------------------
    def contacts(self, customer_id: int) -> list[ContactDTO]:
        """By name."""
        return self._list(CONTACTS, customer_id)

    def add_contact(self, customer_id: int, raw: Mapping[str, str]) -> ContactDTO:
        return self._add(CONTACTS, customer_id, _contact_fields(raw))

    def edit_contact(self, contact_id: int, raw: Mapping[str, str]) -> ContactDTO:
        return self._edit(CONTACTS, contact_id, _contact_fields(raw))

    def delete_contact(self, contact_id: int) -> None:
        self._delete(CONTACTS, contact_id)

    # -- one implementation for both kinds of record -----------------------------------
    def _list(self, kind: _Kind[_Row, _Dto], customer_id: int) -> list[_Dto]:
        with self._db.session() as s:
            rows = s.scalars(
                select(kind.model)
                .where(
                    kind.model.customer_id == customer_id,
                    self._scope.by_customer(kind.model.customer_id),
                )
                .order_by(*kind.order)
            )
            return [kind.to_dto(r) for r in rows]

    def _add(self, kind: _Kind[_Row, _Dto], customer_id: int, values: Mapping[str, object]) -> _Dto:
        with self._db.session() as s:
            name = self._customer_name(s, customer_id)
            row = kind.model(customer_id=customer_id, **values)
            s.add(row)
            s.flush()
            self._record(s, kind, "added", row, name)
            dto = kind.to_dto(row)
        self._publish(customer_id)
        return dto

    def _edit(self, kind: _Kind[_Row, _Dto], row_id: int, values: Mapping[str, object]) -> _Dto:
        with self._db.session() as s:
            row = _get(s, kind.model, row_id, kind.what)
            name = self._customer_name(s, row.customer_id)
            for key, value in values.items():
                setattr(row, key, value)
            self._record(s, kind, "edited", row, name)
            dto = kind.to_dto(row)
        self._publish(row.customer_id)
        return dto

    def _delete(self, kind: _Kind[_Row, _Dto], row_id: int) -> None:
        with self._db.session() as s:
            row = _get(s, kind.model, row_id, kind.what)
            customer_id = row.customer_id
            self._record(s, kind, "deleted", row, self._customer_name(s, customer_id))
            s.delete(row)
        self._publish(customer_id)

    def _record(self, s: Session, kind: _Kind[Any, Any], verb: str, row: Any, name: str) -> None:
        summary = kind.summaries[verb].format(customer=name, detail=kind.detail(row))
        self._audit.record(
            s, f"{kind.what}_{verb}", summary, customer_id=row.customer_id, customer_name=name
        )

    # -- sentiment --------------------------------------------------------------------
    def sentiment_log(self, customer_id: int) -> list[SentimentDTO]:
        """Oldest first."""
        with self._db.session() as s:
            rows = s.scalars(
                select(SentimentEntry)
                .where(
                    SentimentEntry.customer_id == customer_id,
                    self._scope.by_customer(SentimentEntry.customer_id),
                )
                .order_by(SentimentEntry.day, SentimentEntry.id)
            )
            return [SentimentDTO(r.id, r.customer_id, r.day, r.sentiment, r.comment) for r in rows]

    def log_sentiment(
        self, customer_id: int, sentiment: str, comment: str = "", day: dt.date | None = None
    ) -> SentimentDTO:
        """Add a reading and make it the customer's current sentiment."""
        mood = sentiment.strip().lower()
        if mood not in SENTIMENTS:
            raise ValidationError(
                "sentiment",
                f"Sentiment: {sentiment!r} is not allowed; choose positive, neutral or negative.",
            )
        with self._db.session() as s:
            name = self._customer_name(s, customer_id)
            row = SentimentEntry(
                customer_id=customer_id,
                day=day or self._clock.today(),
                sentiment=mood,
                comment=check_text("comment", comment).strip() or None,
                created_at=self._clock.now(),
            )
            s.add(row)
            s.flush()
            self._audit.record(
                s,
                "sentiment_logged",
                f'Sentiment of "{name}": {mood}',
                customer_id=customer_id,
                customer_name=name,
            )
            dto = SentimentDTO(row.id, customer_id, row.day, mood, row.comment)
        self._customers.update(customer_id, {"sentiment": mood})
        self._publish(customer_id)
        return dto

    # -- helpers ----------------------------------------------------------------------
    def _customer_name(self, s: Session, customer_id: int) -> str:
        name = s.scalar(
            select(Customer.name).where(Customer.id == customer_id, self._scope.customer_clause())
        )
        if name is None:
            raise NotFoundError(f"Customer {customer_id} does not exist (it may have been purged).")
        return name

    def _publish(self, customer_id: int) -> None:
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, (customer_id,)))


def _get(s: Session, cls: type[_Row], row_id: int, what: str) -> _Row:
    row = s.get(cls, row_id)
    if row is None:
        raise NotFoundError(f"That {what} no longer exists; it may have been deleted already.")
    return row


def _required(field: str, value: str, message: str) -> str:
    text = check_text(field, value).strip()
    if not text:
        raise ValidationError(field, message)
    return text


def _contact_fields(raw: Mapping[str, str]) -> dict[str, str | None]:
    name = _required("name", raw.get("name", ""), "Contact name: a contact needs a name.")
    email = raw.get("email", "").strip() or None
    if email is not None and not EMAIL.match(email):
        raise ValidationError(
            "email",
            f"Email: {email!r} is not an email address; write it "
            "like name@example.com or leave it empty.",
        )
    for field in ("role", "phone"):
        check_text(field, raw.get(field, ""))
    return {
        "name": name[:200],
        "role": raw.get("role", "").strip()[:120] or None,
        "email": email,
        "phone": raw.get("phone", "").strip()[:60] or None,
    }


def _short(text: str, width: int = 60) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


def _note(r: Note) -> NoteDTO:
    return NoteDTO(r.id, r.customer_id, r.body, r.author, r.created_at, r.updated_at)


def _contact(r: Contact) -> ContactDTO:
    return ContactDTO(r.id, r.customer_id, r.name, r.role, r.email, r.phone)


@dataclass(frozen=True)
class _Kind(Generic[_Row, _Dto]):
    """What differs between a customer's notes and its contacts; the CRUD is shared."""

    model: type[_Row]
    what: str  # "note" / "contact": messages and the audit action (note_added, ...)
    order: tuple[Any, ...]
    to_dto: Callable[[_Row], _Dto]
    detail: Callable[[_Row], str]  # what the audit summary says about the record
    summaries: dict[str, str]  # verb -> summary with {customer} and {detail}


NOTES: _Kind[Note, NoteDTO] = _Kind(
    Note,
    "note",
    (Note.created_at.desc(), Note.id.desc()),
    _note,
    lambda r: _short(r.body),
    {
        "added": 'Note added to "{customer}": {detail}',
        "edited": 'Note on "{customer}" edited: {detail}',
        "deleted": 'Note on "{customer}" deleted: {detail}',
    },
)
CONTACTS: _Kind[Contact, ContactDTO] = _Kind(
    Contact,
    "contact",
    (Contact.name, Contact.id),
    _contact,
    lambda r: r.name,
    {
        "added": 'Contact {detail} added to "{customer}"',
        "edited": 'Contact {detail} of "{customer}" edited',
        "deleted": 'Contact {detail} of "{customer}" deleted',
    },
)
