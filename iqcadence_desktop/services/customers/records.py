"""Notes, contacts and the sentiment log of a customer (S1).

Each write is one unit of work with its audit entry; `customers_changed` is published
after commit so open detail windows and pages refresh. A sentiment log entry also sets
the customer's current sentiment through the customer service (audited there too).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import Contact, Customer, Note, SentimentEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers.fields import SENTIMENTS
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


@dataclass(frozen=True)
class SnapshotDTO:
    """A customer's score and signals at the end of one day."""

    day: dt.date
    score: float | None
    status: str
    coverage: float
    logins_30d: int | None
    feature_adoption_pct: float | None
    open_tickets: int | None
    nps: int | None
    days_since_contact: int | None


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
        with self._db.session() as s:
            rows = s.scalars(
                select(Note)
                .where(
                    Note.customer_id == customer_id,
                    self._scope.by_customer(Note.customer_id),
                )
                .order_by(Note.created_at.desc(), Note.id.desc())
            )
            return [_note(r) for r in rows]

    def add_note(self, customer_id: int, body: str) -> NoteDTO:
        text = _required("body", body, "Note: write something before saving.")
        with self._db.session() as s:
            name = self._customer_name(s, customer_id)
            now = self._clock.now()
            row = Note(
                customer_id=customer_id,
                body=text,
                author=self._audit.user(),
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            s.flush()
            self._audit.record(
                s,
                "note_added",
                f'Note added to "{name}": {_short(text)}',
                customer_id=customer_id,
                customer_name=name,
            )
            dto = _note(row)
        self._publish(customer_id)
        return dto

    def edit_note(self, note_id: int, body: str) -> NoteDTO:
        text = _required("body", body, "Note: write something before saving.")
        with self._db.session() as s:
            row = _get(s, Note, note_id, "note")
            name = self._customer_name(s, row.customer_id)
            row.body, row.updated_at = text, self._clock.now()
            self._audit.record(
                s,
                "note_edited",
                f'Note on "{name}" edited: {_short(text)}',
                customer_id=row.customer_id,
                customer_name=name,
            )
            dto = _note(row)
        self._publish(dto.customer_id)
        return dto

    def delete_note(self, note_id: int) -> None:
        with self._db.session() as s:
            row = _get(s, Note, note_id, "note")
            cid, name = row.customer_id, self._customer_name(s, row.customer_id)
            self._audit.record(
                s,
                "note_deleted",
                f'Note on "{name}" deleted: {_short(row.body)}',
                customer_id=cid,
                customer_name=name,
            )
            s.delete(row)
        self._publish(cid)

    # -- contacts ---------------------------------------------------------------------
    def contacts(self, customer_id: int) -> list[ContactDTO]:
        with self._db.session() as s:
            rows = s.scalars(
                select(Contact)
                .where(
                    Contact.customer_id == customer_id,
                    self._scope.by_customer(Contact.customer_id),
                )
                .order_by(Contact.name, Contact.id)
            )
            return [_contact(r) for r in rows]

    def add_contact(self, customer_id: int, raw: Mapping[str, str]) -> ContactDTO:
        values = _contact_fields(raw)
        with self._db.session() as s:
            name = self._customer_name(s, customer_id)
            row = Contact(customer_id=customer_id, **values)
            s.add(row)
            s.flush()
            self._audit.record(
                s,
                "contact_added",
                f'Contact {row.name} added to "{name}"',
                customer_id=customer_id,
                customer_name=name,
            )
            dto = _contact(row)
        self._publish(customer_id)
        return dto

    def edit_contact(self, contact_id: int, raw: Mapping[str, str]) -> ContactDTO:
        values = _contact_fields(raw)
        with self._db.session() as s:
            row = _get(s, Contact, contact_id, "contact")
            name = self._customer_name(s, row.customer_id)
            for key, value in values.items():
                setattr(row, key, value)
            self._audit.record(
                s,
                "contact_edited",
                f'Contact {row.name} of "{name}" edited',
                customer_id=row.customer_id,
                customer_name=name,
            )
            dto = _contact(row)
        self._publish(dto.customer_id)
        return dto

    def delete_contact(self, contact_id: int) -> None:
        with self._db.session() as s:
            row = _get(s, Contact, contact_id, "contact")
            cid, name = row.customer_id, self._customer_name(s, row.customer_id)
            self._audit.record(
                s,
                "contact_deleted",
                f'Contact {row.name} of "{name}" deleted',
                customer_id=cid,
                customer_name=name,
            )
            s.delete(row)
        self._publish(cid)

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
                comment=comment.strip() or None,
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

    # -- history ----------------------------------------------------------------------
    def history(self, customer_id: int, days: int | None = None) -> list[SnapshotDTO]:
        """Daily snapshots oldest first, as DTOs (views never hold ORM rows)."""
        return [
            SnapshotDTO(
                dt.date.fromordinal(r.day),
                r.score,
                r.status,
                r.coverage,
                r.logins_30d,
                r.feature_adoption_pct,
                r.open_tickets,
                r.nps,
                r.days_since_contact,
            )
            for r in self._customers.history(customer_id, days)
        ]

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
    text = value.strip()
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
