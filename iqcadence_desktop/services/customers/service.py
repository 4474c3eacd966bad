"""The customer service: every read and write of customer accounts goes through here.

Each mutation is one unit of work that rescores what changed, upserts today's snapshot,
applies lifecycle auto-transitions, writes an audit entry and, after commit, publishes
`customers_changed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from iqcadence_desktop.errors import (
    DuplicateNameError,
    NotFoundError,
    StaleEditError,
    ValidationError,
)
from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import fields as F
from iqcadence_desktop.services.customers import sample
from iqcadence_desktop.services.customers.dto import CustomerDTO, Explanation, SignalChange
from iqcadence_desktop.services.customers.loader import load_customers
from iqcadence_desktop.services.customers.query import (
    BookRow,
    CustomerFilter,
    load_book,
)
from iqcadence_desktop.services.scoring import (
    SIGNAL_COLUMNS,
    SIGNALS,
    CancelFn,
    ConfigService,
    ProgressFn,
    RescoreSummary,
    ScoreResult,
    ScoringConfig,
    SignalValues,
    auto_lifecycle,
    explain,
    rebuild_portfolio_day,
    rescore_all,
    score_rows,
    snapshot_row,
    with_override,
    write_snapshots,
)
from iqcadence_desktop.services.system import (
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
    when_text,
)
from iqcadence_desktop.services.team import Scope


class CustomerService:
    """Create, read, update, trash, restore, purge and rescore customers."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        config: ConfigService,
        audit: AuditLog,
        events: EventBus,
        scope: Scope,
    ) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._config = config
        self._audit = audit
        self._events = events

    # -- reading ---------------------------------------------------------------------
    def list_customers(
        self,
        flt: CustomerFilter = CustomerFilter(),
        as_of: dt.date | None = None,
        first: int | None = None,
    ) -> list[CustomerDTO]:
        """Customers matching `flt`, by name, scored as of a day (default today).

        `first=N`: only the first N live ones, fast at any size (a table's first screen).
        """
        with self._db.session() as s:
            return load_customers(
                s,
                flt,
                as_of or self._clock.today(),
                self._config.current(),
                self._config.weights_for,
                self._scope,
                first,
            )

    def book(self, manager: str | None = None, as_of: dt.date | None = None) -> list[BookRow]:
        """Every live account's MRR, lifecycle, score and band as of a day (cheap totals)."""
        with self._db.session() as s:
            return load_book(
                s,
                manager,
                as_of or self._clock.today(),
                self._config.current(),
                self._config.weights_for,
                self._scope,
            )

    def config(self) -> ScoringConfig:
        """The scoring configuration in force (for derived figures over `book`)."""
        return self._config.current()

    def get(self, customer_id: int, as_of: dt.date | None = None) -> CustomerDTO:
        found = self.list_customers(
            CustomerFilter(ids=(customer_id,)), as_of
        ) or self.list_customers(CustomerFilter(ids=(customer_id,), trash=True), as_of)
        if not found:
            raise NotFoundError(f"Customer {customer_id} does not exist (it may have been purged).")
        return found[0]

    def find_id(self, name: str) -> int | None:
        """The id of the customer with this name (case/spacing folded), trashed ones too,
        in the user's clients (or the client in focus)."""
        with self._db.session() as s:
            found = s.scalars(
                self._scope.customers(
                    select(Customer.id).where(Customer.name_key == F.name_key(name))
                )
            ).all()
        if len(found) > 1:
            raise ValidationError(
                "client",
                f'"{name}" exists in several of your clients; choose the client first '
                "(the client picker at the top, or --client NAME).",
            )
        return found[0] if found else None

    def managers(self) -> list[str]:
        with self._db.session() as s:
            return list(
                s.scalars(
                    self._scope.customers(
                        select(Customer.manager)
                        .where(Customer.deleted_at.is_(None), Customer.manager.is_not(None))
                        .distinct()
                        .order_by(Customer.manager)
                    )
                )
            )

    def explain(self, customer_id: int, as_of: dt.date | None = None) -> Explanation:
        """The score taken apart, and the per-signal change since the previous snapshot."""
        day = as_of or self._clock.today()
        dto = self.get(customer_id, day)
        config = self._config.current()
        weights = self._config.weights_for(dto.scoring_profile_id)
        values = SignalValues(
            dto.logins_30d,
            dto.feature_adoption_pct,
            dto.open_tickets,
            dto.nps,
            dto.csat,
            dto.days_since_contact,
            dto.growth_signal,
        )
        result = with_override(
            explain(values, weights, config.params), dto.score if dto.manual_score else None
        )
        prev = self._previous_snapshot(customer_id, day)
        if prev is None:
            return Explanation(dto, result, None, None, ())
        prev_values = SignalValues(
            prev.logins_30d,
            prev.feature_adoption_pct,
            prev.open_tickets,
            prev.nps,
            prev.csat,
            prev.days_since_contact,
            prev.growth_signal,
        )
        before = explain(prev_values, weights, config.params)
        changes = tuple(
            SignalChange(a.signal, a.contribution - b.contribution)
            for a, b in zip(result.contributions, before.contributions, strict=True)
            if abs(a.contribution - b.contribution) >= 0.005
        )
        return Explanation(dto, result, dt.date.fromordinal(prev.day), prev.score, changes)

    def _previous_snapshot(self, customer_id: int, day: dt.date) -> ScoreSnapshot | None:
        with self._db.session() as s:
            return s.scalars(
                select(ScoreSnapshot)
                .where(
                    ScoreSnapshot.customer_id == customer_id,
                    ScoreSnapshot.day < day.toordinal(),
                    self._scope.by_customer(ScoreSnapshot.customer_id),
                )
                .order_by(ScoreSnapshot.day.desc())
                .limit(1)
            ).first()

    def history(self, customer_id: int, days: int | None = None) -> list[ScoreSnapshot]:
        """Snapshots oldest first (detached rows; read-only)."""
        with self._db.session() as s:
            stmt = select(ScoreSnapshot).where(
                ScoreSnapshot.customer_id == customer_id,
                self._scope.by_customer(ScoreSnapshot.customer_id),
            )
            if days is not None:
                stmt = stmt.where(ScoreSnapshot.day > self._clock.today().toordinal() - days)
            return list(s.scalars(stmt.order_by(ScoreSnapshot.day)))

    def preview(self, raw: Mapping[str, object]) -> ScoreResult:
        """Score unsaved form input (live preview); raises ValidationError on bad input."""
        parsed = F.parse_fields(raw, self._clock.today())
        profile_id = self._profile_id(parsed.get("profile"))
        contact = parsed.get("last_contact")
        values = SignalValues(
            parsed.get("logins"),
            parsed.get("adoption"),
            parsed.get("tickets"),
            parsed.get("nps"),
            parsed.get("csat"),
            None if contact is None else max(0, (self._clock.today() - contact).days),
            parsed.get("growth"),
        )
        result = explain(
            values, self._config.weights_for(profile_id), self._config.current().params
        )
        return with_override(result, parsed.get("score"))

    # -- writing ---------------------------------------------------------------------
    def create(self, raw: Mapping[str, object]) -> CustomerDTO:
        parsed = F.parse_fields(raw, self._clock.today())
        if "name" not in parsed:
            raise ValidationError("name", "Name: a customer needs a name.")
        self.ensure_daily_snapshots()
        with self._db.session() as s:
            client_id = self._scope.client_for_new(s)
            self._refuse_duplicate(s, parsed["name"], None, client_id)
            now = self._clock.now()
            row = Customer(
                client_id=client_id,
                updated_by=self._scope.actor_name(self._audit.user()),
                name=parsed["name"],
                name_key=F.name_key(parsed["name"]),
                lifecycle="active",
                status="unscored",
                coverage=0.0,
                created_at=now,
                updated_at=now,
            )
            s.add(row)
            changed = self._apply(s, row, parsed)
            s.flush()
            self._rescore_one(s, row, explicit_lifecycle="lifecycle" in parsed)
            self._audit.record(
                s,
                "customer_created",
                f'Created "{row.name}"' + _tail(changed),
                customer_id=row.id,
                customer_name=row.name,
                details={"fields": sorted(changed)},
            )
            cid = row.id
        self._publish((cid,))
        return self.get(cid)

    def update(
        self, customer_id: int, raw: Mapping[str, object], expected_version: int | None = None
    ) -> CustomerDTO:
        """Change some fields. `expected_version` is the version the editor read: when
        someone saved since, StaleEditError says who and when (pass None to overwrite)."""
        parsed = F.parse_fields(raw, self._clock.today())
        self.ensure_daily_snapshots()
        try:
            with self._db.session() as s:
                if not self._save(s, customer_id, parsed, expected_version):
                    return self.get(customer_id)
        except StaleDataError:  # a concurrent save landed between our read and our write
            self._refuse_stale(customer_id)
        self._publish((customer_id,))
        return self.get(customer_id)

    def _save(
        self, s: Session, customer_id: int, parsed: dict[str, Any], expected: int | None
    ) -> bool:
        row = s.get(Customer, customer_id)
        if row is None:
            raise NotFoundError(f"Customer {customer_id} does not exist.")
        self._scope.check_customers(s, (customer_id,))
        if expected is not None and row.version != expected:
            self._refuse_stale(customer_id, row)
        if "name" in parsed:
            self._refuse_duplicate(s, parsed["name"], customer_id, row.client_id)
        before = _signal_tuple(row)
        changed = self._apply(s, row, parsed)
        if not changed:
            return False
        if _signal_tuple(row) != before and "score" not in changed:
            row.score_override = None  # a manual score lasts until the next signal update
        row.updated_at = self._clock.now()
        row.updated_by = self._scope.actor_name(self._audit.user())
        self._rescore_one(s, row, explicit_lifecycle="lifecycle" in parsed)
        self._audit.record(
            s,
            "customer_updated",
            f'Updated "{row.name}"' + _tail(changed),
            customer_id=row.id,
            customer_name=row.name,
            details={"changes": changed},
        )
        return True

    def _refuse_stale(self, customer_id: int, row: Customer | None = None) -> None:
        if row is None:
            with self._db.session() as s:
                row = s.get(Customer, customer_id)
        if row is None:
            raise NotFoundError(f"Customer {customer_id} was deleted by someone else.")
        raise StaleEditError(
            f'"{row.name}"', row.updated_by, when_text(row.updated_at), row.version
        )

    def save_by_name(self, raw: Mapping[str, object]) -> tuple[CustomerDTO, bool]:
        """Update the customer with this name, or create it. Returns (customer, created)."""
        name = F.parse_name(raw.get("name", ""))
        existing = self.find_id(name)
        if existing is None:
            return self.create(raw), True
        if self._is_trashed(existing):
            raise ValidationError(
                "name", f'"{name}" is in the trash. Restore it first, or choose another name.'
            )
        return self.update(existing, {k: v for k, v in raw.items() if k != "name"}), False

    def _is_trashed(self, customer_id: int) -> bool:
        with self._db.session() as s:
            return (
                s.scalar(select(Customer.deleted_at).where(Customer.id == customer_id)) is not None
            )

    def _refuse_duplicate(self, s: Session, name: str, own_id: int | None, client: int) -> None:
        other = s.execute(
            select(Customer.id, Customer.deleted_at).where(
                Customer.name_key == F.name_key(name), Customer.client_id == client
            )
        ).first()
        if other is not None and other.id != own_id:
            raise DuplicateNameError(name, other.id, in_trash=other.deleted_at is not None)

    def _profile_id(self, name: str | None) -> int | None:
        return None if not name else self._config.profile_id_by_name(name)

    def _apply(self, s: Session, row: Customer, parsed: dict[str, Any]) -> dict[str, Any]:
        """Write parsed fields onto the row; returns {field: new value} for what changed."""
        changed: dict[str, Any] = {}
        for key, value in parsed.items():
            if key == "tags":
                if _set_tags(s, row, value):
                    changed["tags"] = "|".join(value)
                continue
            column = "scoring_profile_id" if key == "profile" else F.CUSTOMER_FIELD_COLUMNS[key]
            if key == "profile":
                value = self._profile_id(value)
            if getattr(row, column) != value:
                setattr(row, column, value)
                changed[key] = value.isoformat() if isinstance(value, dt.date) else value
        if "name" in changed:
            row.name_key = F.name_key(row.name)
        return changed

    def _rescore_one(self, s: Session, row: Customer, explicit_lifecycle: bool) -> None:
        today = self._clock.today()
        signals = tuple(getattr(row, c.key) for c in SIGNAL_COLUMNS)
        scored = score_rows([signals], today, self._config.current(), self._config.weights_for)
        row.score, row.coverage, row.status = (
            scored.scores[0],
            scored.coverage[0],
            scored.statuses[0],
        )
        row.scored_day = today.toordinal()
        if not explicit_lifecycle:
            row.lifecycle = auto_lifecycle(row.lifecycle, row.status)
        s.flush()
        write_snapshots(
            s,
            [
                snapshot_row(
                    row.id,
                    row.scored_day,
                    row.score,
                    row.status,
                    row.coverage,
                    signals,
                    scored.days[0],
                    row.mrr_cents,
                )
            ],
        )
        rebuild_portfolio_day(s, row.scored_day)

    # -- bulk ------------------------------------------------------------------------
    def rescore_all(
        self,
        as_of: dt.date | None = None,
        progress: ProgressFn | None = None,
        cancelled: CancelFn | None = None,
        reason: str = "",
    ) -> RescoreSummary:
        """Recompute every live customer (set-based) and snapshot the day."""
        day = as_of or self._clock.today()
        with self._db.session() as s:
            summary = rescore_all(
                s,
                self._config.current(),
                self._config.weights_for,
                day,
                progress,
                cancelled,
                scope=self._scope,
            )
            self._audit.record(
                s,
                "bulk_rescore",
                f"Rescored {summary.customers} customers as of {day.isoformat()}: "
                f"{summary.band_changes} changed band, {summary.lifecycle_changes} changed "
                f"lifecycle" + (f" ({reason})" if reason else ""),
                details={"customers": summary.customers, "band_changes": summary.band_changes},
            )
        self._publish(())
        return summary

    def _rescore_ids(self, s: Session, ids: Sequence[int]) -> None:
        rescore_all(
            s,
            self._config.current(),
            self._config.weights_for,
            self._clock.today(),
            ids=ids,
            scope=self._scope,
        )

    def rescore_selected(self, ids: Sequence[int]) -> RescoreSummary:
        """Recompute some live customers as of today (bulk action on selected rows)."""
        self.ensure_daily_snapshots()  # today's rollup must cover the others too
        day = self._clock.today()
        with self._db.session() as s:
            summary = rescore_all(
                s,
                self._config.current(),
                self._config.weights_for,
                day,
                ids=list(ids),
                scope=self._scope,
            )
            self._audit.record(
                s,
                "bulk_rescore",
                f"Rescored {summary.customers} selected customers: "
                f"{summary.band_changes} changed band, {summary.lifecycle_changes} changed "
                "lifecycle",
                details={"customers": summary.customers, "band_changes": summary.band_changes},
            )
        self._publish(tuple(ids))
        return summary

    def ensure_daily_snapshots(self, as_of: dt.date | None = None) -> RescoreSummary | None:
        """Rescore everyone once per day so history and rollups cover every account."""
        day = (as_of or self._clock.today()).toordinal()
        with self._db.session() as s:
            stale = s.scalar(
                select(func.count())
                .select_from(Customer)
                .where(
                    Customer.deleted_at.is_(None),
                    (Customer.scored_day.is_(None)) | (Customer.scored_day < day),
                    self._scope.customer_clause(),
                )
            )
        if not stale:
            return None
        return self.rescore_all(dt.date.fromordinal(day), reason="daily refresh")

    def load_sample(
        self,
        customers: int = 250,
        days: int = 90,
        seed: int = 7,
        progress: ProgressFn | None = None,
    ) -> int:
        """Add a generated sample portfolio with history (see services/sample.py)."""
        with self._db.session() as s:
            result = sample.generate(
                s,
                client_id=self._scope.client_for_new(s),
                customers=customers,
                days=days,
                today=self._clock.today(),
                config=self._config.current(),
                weights_for=self._config.weights_for,
                seed=seed,
                now=self._clock.now(),
                progress=progress,
            )
            self._audit.record(
                s,
                "sample_loaded",
                f"Loaded a sample portfolio of "
                f"{result.customers} customers with {result.days} days of history",
                details={"customers": result.customers, "days": result.days},
            )
        self._publish(())
        return result.customers

    def trash(self, ids: Sequence[int]) -> int:
        return self._set_deleted(ids, self._clock.now(), "customer_trashed", "Moved to trash")

    def restore(self, ids: Sequence[int]) -> int:
        return self._set_deleted(ids, None, "customer_restored", "Restored from trash")

    def _set_deleted(
        self, ids: Sequence[int], when: dt.datetime | None, action: str, verb: str
    ) -> int:
        # Today's rollup counts only accounts with a snapshot today: bring everyone up first.
        self.ensure_daily_snapshots()
        with self._db.session() as s:
            rows = s.execute(
                select(Customer.id, Customer.name).where(
                    Customer.id.in_(ids),
                    Customer.deleted_at.is_(None) if when else Customer.deleted_at.is_not(None),
                    self._scope.customer_clause(),
                )
            ).all()
            if not rows:
                return 0
            s.execute(
                update(Customer)
                .where(Customer.id.in_([r[0] for r in rows]))
                .values(
                    deleted_at=when,
                    updated_at=self._clock.now(),
                    version=Customer.version + 1,
                    updated_by=self._scope.actor_name(self._audit.user()),
                )
            )
            for cid, name in rows:
                self._audit.record(
                    s, action, f'{verb}: "{name}"', customer_id=cid, customer_name=name
                )
            if when is None:
                # Restored accounts may have missed days: score and snapshot them today
                # (this also rebuilds today's rollup with them in it).
                self._rescore_ids(s, [r[0] for r in rows])
            else:
                rebuild_portfolio_day(s, self._clock.today().toordinal())
        self._publish(tuple(r[0] for r in rows))
        return len(rows)

    def purge(self, ids: Sequence[int]) -> int:
        """Delete trashed customers for good (live ones are refused)."""
        with self._db.session() as s:
            rows = s.execute(
                select(Customer.id, Customer.name, Customer.deleted_at).where(
                    Customer.id.in_(ids), self._scope.customer_clause()
                )
            ).all()
            live = [r.name for r in rows if r.deleted_at is None]
            if live:
                raise ValidationError(
                    "ids",
                    f'"{live[0]}" is not in the trash; move it to the trash before purging it.',
                )
            s.execute(delete(Customer).where(Customer.id.in_([r[0] for r in rows])))
            for cid, name, _ in rows:
                self._audit.record(
                    s,
                    "customer_purged",
                    f'Purged "{name}" for good',
                    customer_id=cid,
                    customer_name=name,
                )
        self._publish(tuple(r[0] for r in rows))
        return len(rows)

    def change_tags(
        self, ids: Sequence[int], add: Iterable[str] = (), remove: Iterable[str] = ()
    ) -> int:
        """Add and/or remove tags on many customers at once."""
        to_add, to_remove = F.parse_tags(list(add)), {t.lower() for t in remove}
        with self._db.session() as s:
            rows = s.scalars(
                select(Customer).where(Customer.id.in_(ids), self._scope.customer_clause())
            ).all()
            for row in rows:
                current = [t.tag for t in row.tags if t.tag.lower() not in to_remove]
                if _set_tags(s, row, F.parse_tags(current + to_add)):
                    self._audit.record(
                        s,
                        "customer_updated",
                        f'Tags of "{row.name}" changed',
                        customer_id=row.id,
                        customer_name=row.name,
                        details={"add": to_add, "remove": sorted(to_remove)},
                    )
        self._publish(tuple(ids))
        return len(rows)

    def set_lifecycle(self, ids: Sequence[int], lifecycle: str) -> int:
        value = F.parse_fields({"lifecycle": lifecycle}, self._clock.today())["lifecycle"]
        if value is None:
            raise ValidationError(
                "lifecycle", "Lifecycle: choose one of " + ", ".join(F.LIFECYCLES) + "."
            )
        with self._db.session() as s:
            rows = s.scalars(
                select(Customer).where(
                    Customer.id.in_(ids),
                    Customer.lifecycle != value,
                    self._scope.customer_clause(),
                )
            ).all()
            for row in rows:
                self._audit.record(
                    s,
                    "customer_updated",
                    f'Lifecycle of "{row.name}": {row.lifecycle} → {value}',
                    customer_id=row.id,
                    customer_name=row.name,
                )
                row.lifecycle = value
                row.updated_at = self._clock.now()
        self._publish(tuple(ids))
        return len(rows)

    def _publish(self, ids: tuple[int, ...]) -> None:
        self._events.publish(DomainEvent(CUSTOMERS_CHANGED, ids))


#: Stored signal columns: a change to any of them clears a manual score (S2).
_SIGNAL_KEYS = (
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "last_contact_date",
    "growth_signal",
)


def _signal_tuple(row: Customer) -> tuple[Any, ...]:
    return tuple(getattr(row, key) for key in _SIGNAL_KEYS)


def _set_tags(s: Session, row: Customer, tags: list[str]) -> bool:
    if [t.tag for t in row.tags] == sorted(tags):
        return False
    row.tags.clear()
    s.flush()
    row.tags.extend(CustomerTag(tag=t) for t in sorted(tags))
    return True


def _tail(changed: Mapping[str, Any]) -> str:
    if not changed:
        return ""
    return ": " + ", ".join(
        f"{F.CUSTOMER_FIELD_LABELS.get(k, k)} {_audit_value(k, v)}"
        for k, v in list(changed.items())[:8]
    )


def _audit_value(key: str, value: Any) -> str:
    """How a changed value reads in an audit summary (money as dollars, blanks as —)."""
    if value is None:
        return "—"
    if key == "mrr":
        return f"{F.money_text(int(value))}/mo"
    return str(value)


__all__ = ["SIGNALS", "CustomerFilter", "CustomerService"]
