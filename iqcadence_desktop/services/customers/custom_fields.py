"""Custom fields (S1): typed columns a user chose to keep, and their values per customer.

A field has a label, a machine key, a kind (custom_values.py) and a flag saying whether
the churn model may learn from it. Every change is one unit of work with an audit entry
and a `customers_changed` event. Removing a field removes that field and its own values
only; no customer and no other field is touched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import NotFoundError, ValidationError
from iqcadence_desktop.models import Customer, CustomField, CustomFieldValue
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers.custom_values import (
    KIND_LABELS,
    KINDS,
    CustomValue,
    canonical,
    field_key,
    from_canonical,
    parse_custom,
)
from iqcadence_desktop.services.customers.dto import CustomerDTO
from iqcadence_desktop.services.customers.fields import CUSTOMER_FIELD_LABELS, KNOWN_FIELDS
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    upsert,
)
from iqcadence_desktop.services.team import Permission, Scope

#: Names a custom field may not take: the built-in fields and derived columns.
RESERVED = frozenset(
    {*KNOWN_FIELDS, *CUSTOMER_FIELD_LABELS, "id", "score", "status", "arr", "days"}
    | {label.casefold() for label in CUSTOMER_FIELD_LABELS.values()}
)
MAX_IN = 900


@dataclass(frozen=True)
class CustomFieldDTO:
    """A custom field and how many customers have a value for it."""

    id: int
    key: str
    label: str
    kind: str
    choices: tuple[str, ...]
    in_model: bool
    values: int = 0

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    def parse(self, text: object) -> CustomValue | None:
        """The value typed by this field's kind; a bad one names the field by its key."""
        try:
            return parse_custom(self.kind, self.label, text, self.choices)
        except ValidationError as exc:
            raise ValidationError(self.key, exc.message) from None


def _dto(row: CustomField, count: int = 0) -> CustomFieldDTO:
    return CustomFieldDTO(
        row.id, row.key, row.label, row.kind, tuple(row.choices or ()), row.in_model, count
    )


def read_fields(session: Session) -> list[CustomFieldDTO]:
    counts = dict(
        session.execute(
            select(CustomFieldValue.field_id, func.count()).group_by(CustomFieldValue.field_id)
        ).all()
    )
    rows = session.scalars(select(CustomField).order_by(CustomField.label)).all()
    return [_dto(r, int(counts.get(r.id, 0))) for r in rows]


def load_custom_values(session: Session, ids: Sequence[int]) -> list[dict[str, CustomValue]] | None:
    """Each account's custom values (in the order of `ids`); None when no field exists."""
    fields = {
        fid: (key, kind)
        for fid, key, kind in session.execute(
            select(CustomField.id, CustomField.key, CustomField.kind)
        )
    }
    if not fields:
        return None
    wanted = {cid: i for i, cid in enumerate(ids)}
    out: list[dict[str, CustomValue]] = [{} for _ in ids]
    cache: dict[tuple[str, str], CustomValue] = {}
    stmt = select(CustomFieldValue.customer_id, CustomFieldValue.field_id, CustomFieldValue.value)
    if len(ids) <= MAX_IN:
        stmt = stmt.where(CustomFieldValue.customer_id.in_(list(ids)))
    for cid, fid, text in session.execute(stmt):
        index = wanted.get(cid)
        if index is None:
            continue
        key, kind = fields[fid]
        value = cache.get((kind, text))
        if value is None:
            value = cache[(kind, text)] = from_canonical(kind, text)
        out[index][key] = value
    return out


def check_label(session: Session, label: str, own_id: int | None = None) -> str:
    """A clean label that no other field and no built-in field uses; returns its key."""
    label = " ".join(label.split())
    if not label:
        raise ValidationError("label", "A custom field needs a name.")
    key = field_key(label)
    if key in RESERVED or label.casefold() in RESERVED:
        raise ValidationError(
            "label", f'"{label}" is the name of a built-in customer field; choose another name.'
        )
    clash = session.scalars(
        select(CustomField).where(
            (CustomField.key == key) | (func.lower(CustomField.label) == label.casefold())
        )
    ).first()
    if clash is not None and clash.id != own_id:
        raise ValidationError("label", f'A custom field named "{clash.label}" already exists.')
    return key


def add_field(
    session: Session,
    now: Any,
    label: str,
    kind: str,
    choices: Iterable[str] = (),
    in_model: bool = True,
) -> CustomField:
    """Create a field in the caller's unit of work (the caller audits)."""
    if kind not in KINDS:
        raise ValidationError("kind", "A custom field is one of: " + ", ".join(KINDS) + ".")
    key = check_label(session, label)
    listed = [c.strip() for c in choices if c.strip()]
    if kind == "choice" and not listed:
        raise ValidationError("choices", "A choice field needs at least one choice.")
    row = CustomField(
        key=key,
        label=" ".join(label.split()),
        kind=kind,
        choices=listed if kind == "choice" else None,
        in_model=in_model,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def write_values(session: Session, items: Sequence[tuple[int, int, str | None]]) -> None:
    """Set (customer id, field id, canonical text) values; None removes a value."""
    gone = [(c, f) for c, f, v in items if v is None]
    kept = [{"customer_id": c, "field_id": f, "value": v} for c, f, v in items if v is not None]
    for cid, fid in gone:
        session.execute(
            delete(CustomFieldValue).where(
                CustomFieldValue.customer_id == cid, CustomFieldValue.field_id == fid
            )
        )
    if kept:
        upsert(session, CustomFieldValue.__table__, kept, ("customer_id", "field_id"))  # type: ignore[arg-type]


#: How rules name a custom field: "custom.<key>" (beside built-ins such as "logins").
RULE_PREFIX = "custom."


def rule_fields(fields: Sequence[CustomFieldDTO]) -> list[tuple[str, str, str]]:
    """(rule field name, label, kind) of every custom field, for rule editors."""
    return [(RULE_PREFIX + f.key, f.label, f.kind) for f in fields]


def rule_value(customer: CustomerDTO, name: str) -> CustomValue | None:
    """The value a rule condition on "custom.<key>" compares (None: no value)."""
    if not name.startswith(RULE_PREFIX):
        raise ValidationError(name, f'"{name}" is not a custom field for rules.')
    return customer.custom.get(name[len(RULE_PREFIX) :])


class CustomFieldService:
    """Define, change and remove custom fields; read and write their values."""

    def __init__(
        self, db: Database, clock: Clock, audit: AuditLog, events: EventBus, scope: Scope
    ) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._events = events
        self._scope = scope  # fields are team-wide (guarded); values follow the customer

    def fields(self) -> list[CustomFieldDTO]:
        with self._db.session() as s:
            return read_fields(s)

    def field(self, key: str) -> CustomFieldDTO:
        for f in self.fields():
            if f.key == key or f.label.casefold() == key.casefold():
                return f
        raise NotFoundError(f'There is no custom field "{key}".')

    def create(
        self, label: str, kind: str, choices: Iterable[str] = (), in_model: bool = True
    ) -> CustomFieldDTO:
        self._scope.require(Permission.EDIT_SETTINGS)
        with self._db.session() as s:
            row = add_field(s, self._clock.now(), label, kind, choices, in_model)
            self._audit.record(
                s,
                "custom_field_added",
                f'Added the custom field "{row.label}" ({KIND_LABELS[kind]})',
                details={"key": row.key, "kind": kind, "choices": row.choices},
            )
            result = _dto(row)
        self._publish()
        return result

    def update(
        self,
        field_id: int,
        label: str | None = None,
        in_model: bool | None = None,
        choices: Sequence[str] | None = None,
    ) -> CustomFieldDTO:
        """Rename a field, say whether the churn model may use it, or extend its choices."""
        self._scope.require(Permission.EDIT_SETTINGS)
        with self._db.session() as s:
            row = self._row(s, field_id)
            changes: list[str] = []
            if label is not None and " ".join(label.split()) != row.label:
                row.key = check_label(s, label, own_id=row.id)
                changes.append(f'renamed "{row.label}" → "{" ".join(label.split())}"')
                row.label = " ".join(label.split())
            if in_model is not None and in_model != row.in_model:
                row.in_model = in_model
                changes.append("used by the churn model" if in_model else "left out of the model")
            if choices is not None and row.kind == "choice":
                added = [c for c in choices if c not in (row.choices or [])]
                if added:
                    row.choices = [*(row.choices or []), *added]
                    changes.append("choices added: " + ", ".join(added))
            if changes:
                self._audit.record(
                    s, "custom_field_changed", f'Custom field "{row.label}": ' + "; ".join(changes)
                )
            result = _dto(row)
        self._publish()
        return result

    def remove(self, field_id: int) -> int:
        """Remove a field and its own values (audited); returns how many values went."""
        self._scope.require(Permission.EDIT_SETTINGS)
        with self._db.session() as s:
            row = self._row(s, field_id)
            count = int(
                s.scalar(
                    select(func.count())
                    .select_from(CustomFieldValue)
                    .where(CustomFieldValue.field_id == field_id)
                )
                or 0
            )
            s.execute(delete(CustomFieldValue).where(CustomFieldValue.field_id == field_id))
            s.delete(row)
            self._audit.record(
                s,
                "custom_field_removed",
                f'Removed the custom field "{row.label}" and its {count:,} values; '
                "no other data was changed",
                details={"key": row.key, "kind": row.kind, "values": count},
            )
        self._publish()
        return count

    def set_values(self, customer_id: int, raw: Mapping[str, object]) -> dict[str, str | None]:
        """Set some custom values of one customer (by key or label); blank clears."""
        fields = {f.key: f for f in self.fields()}
        by_label = {f.label.casefold(): f for f in fields.values()}
        parsed: dict[str, str | None] = {}
        for name, text in raw.items():
            found = fields.get(name) or by_label.get(name.casefold())
            if found is None:
                raise ValidationError(name, f'"{name}" is not a custom field.')
            value = found.parse(text)
            parsed[found.key] = None if value is None else canonical(value)
        with self._db.session() as s:
            customer = s.get(Customer, customer_id)
            if customer is None:
                raise NotFoundError(f"Customer {customer_id} does not exist.")
            self._scope.check_customers(s, (customer_id,))
            old = {
                k: _text(v) for k, v in (load_custom_values(s, [customer_id]) or [{}])[0].items()
            }
            changed = {k: v for k, v in parsed.items() if old.get(k) != v}
            if not changed:
                return {}
            write_values(s, [(customer_id, fields[k].id, v) for k, v in changed.items()])
            self._audit.record(
                s,
                "customer_updated",
                f'Updated "{customer.name}": '
                + ", ".join(f"{fields[k].label} {v or '—'}" for k, v in changed.items()),
                customer_id=customer_id,
                customer_name=customer.name,
                details={"custom": changed},
            )
        self._publish((customer_id,))
        return changed

    def values(self, ids: Sequence[int]) -> list[dict[str, CustomValue]]:
        """Each customer's values, in the order of `ids` (none for another client's)."""
        with self._db.session() as s:
            found = load_custom_values(s, ids) or [{} for _ in ids]
            if self._scope.client_ids() is None:
                return found
            visible = set(
                s.scalars(
                    select(Customer.id).where(
                        Customer.id.in_(list(ids)), self._scope.customer_clause()
                    )
                )
            )
        return [v if i in visible else {} for i, v in zip(ids, found, strict=True)]

    def _row(self, s: Session, field_id: int) -> CustomField:
        row = s.get(CustomField, field_id)
        if row is None:
            raise NotFoundError(f"Custom field {field_id} no longer exists.")
        return row

    def _publish(self, ids: tuple[int, ...] = ()) -> None:
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, ids))


def _text(value: CustomValue) -> str:
    return canonical(value)
