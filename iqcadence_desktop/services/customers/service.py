"""The customer service: every read and write of customer accounts goes through here.

Each mutation is one unit of work that rescores what changed, upserts today's snapshot,
applies lifecycle auto-transitions, writes an audit entry and, after commit, publishes
`customers_changed`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
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
from iqcadence_desktop.services.customers.dto import (
    CustomerDTO,
    Explanation,
    SignalChange,
    SnapshotDTO,
)
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
    FactorEffect,
    ProgressFn,
    RescoreSummary,
    ScoreResult,
    ScoringConfig,
    SignalValues,
    apply_profile_rules,
    auto_lifecycle,
    blank_history,
    explain,
    explain_factors,
    load_factor_history,
    load_profile_rules,
    matching_profile,
    rebuild_portfolio_day,
    rescore_all,
    score_rows,
    snapshot_row,
    with_factors,
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
        return self._only_id(Customer.name_key == F.name_key(name), f'"{name}" exists')

    def find_by_external_id(self, external_id: str) -> int | None:
        """The id of the customer with this external id (another system's id for the
        account; trashed ones too), for imports and syncs that match on it first."""
        text = external_id.strip()
        if not text:
            return None
        return self._only_id(Customer.external_id == text, f'External id "{text}" is used')

    def _only_id(self, match: ColumnElement[bool], what: str) -> int | None:
        """The one customer of the user's clients matching; refused when several clients
        each have one (the user must pick the client)."""
        with self._db.session() as s:
            found = s.scalars(self._scope.customers(select(Customer.id).where(match))).all()
        if len(found) > 1:
            raise ValidationError(
                "client",
                f"{what} in several of your clients; choose the client first "
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
            with_factors(explain(values, weights, config.params), self._factors(dto, day)),
            dto.score if dto.manual_score else None,
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

    def _factors(self, dto: CustomerDTO, day: dt.date) -> tuple[FactorEffect, ...]:
        """The signal-model factors that adjust this account's weighted average."""
        config = self._config.current()
        signals = (
            dto.scoring_profile_id,
            dto.logins_30d,
            dto.feature_adoption_pct,
            dto.open_tickets,
            dto.nps,
            dto.csat,
            dto.last_contact_date,
            dto.growth_signal,
            None,
        )
        with self._db.session() as s:
            history = load_factor_history(s, [dto.id], day, config)
        return explain_factors(signals, day, config, self._config.weights_for, history)

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

    def history(
        self, customer_id: int, days: int | None = None, as_of: dt.date | None = None
    ) -> list[SnapshotDTO]:
        """Daily snapshots oldest first; with `days`, those of the `days` days up to and
        including `as_of` (default today)."""
        snap = ScoreSnapshot
        with self._db.session() as s:
            stmt = select(snap).where(
                snap.customer_id == customer_id, self._scope.by_customer(snap.customer_id)
            )
            if days is not None:
                end = (as_of or self._clock.today()).toordinal()
                stmt = stmt.where(snap.day > end - days, snap.day <= end)
            return [_snapshot(r) for r in s.scalars(stmt.order_by(snap.day))]

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
        config, today = self._config.current(), self._clock.today()
        result = explain(values, self._config.weights_for(profile_id), config.params)
        signals = (
            profile_id,
            values.logins,
            values.adoption,
            values.tickets,
            values.nps,
            values.csat,
            contact,
            values.growth,
            None,
        )
        history = blank_history(parsed.get("renewal_date"), today)
        effects = explain_factors(signals, today, config, self._config.weights_for, history)
        return with_override(with_factors(result, effects), parsed.get("score"))

    # -- writing ---------------------------------------------------------------------
    def create(self, raw: Mapping[str, object]) -> CustomerDTO:
        parsed = F.parse_fields(raw, self._clock.today())
        if "name" not in parsed:
            raise ValidationError("name", "Name: a customer needs a name.")
        self.ensure_daily_snapshots()
        with self._db.session() as s:
            client_id = self._scope.client_for_new(s)
            self._refuse_duplicate(s, parsed["name"], None, client_id)
            self._refuse_taken_external_id(s, parsed.get("external_id"), None, client_id)
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
            self._check_override_day(row)
            s.flush()
            self._follow_rules(s, row)
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
        self._refuse_taken_external_id(s, parsed.get("external_id"), customer_id, row.client_id)
        before = _signal_tuple(row)
        changed = self._apply(s, row, parsed)
        if not changed:
            return False
        if _settle_override(row, parsed, _signal_tuple(row) != before):
            changed["score"] = None
        self._check_override_day(row)
        self._touch(row)
        s.flush()
        self._follow_rules(s, row)
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

    def _refuse_taken_external_id(
        self, s: Session, external_id: str | None, own: int | None, client: int
    ) -> None:
        if external_id is None:
            return
        other = s.execute(
            select(Customer.id, Customer.name).where(
                Customer.external_id == external_id, Customer.client_id == client
            )
        ).first()
        if other is not None and other.id != own:
            raise ValidationError(
                "external_id",
                f'External id: "{external_id}" already belongs to "{other.name}"; each '
                "account's id in another system is its own.",
            )

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
                # A profile named by hand wins over the rules; a blank one follows them.
                if row.scoring_profile_manual != (value is not None):
                    row.scoring_profile_manual = value is not None
                    changed["profile_by_hand"] = value is not None
                value = self._profile_id(value)
            if getattr(row, column) != value:
                setattr(row, column, value)
                changed[key] = value.isoformat() if isinstance(value, dt.date) else value
        if "name" in changed:
            row.name_key = F.name_key(row.name)
        return changed

    def _follow_rules(self, s: Session, row: Customer) -> None:
        """An account whose profile is not chosen by hand gets its rule's profile."""
        if row.scoring_profile_manual:
            return
        tags = [t.tag for t in row.tags]
        row.scoring_profile_id = matching_profile(
            load_profile_rules(s), row.tier, row.manager, row.lifecycle, tags
        )

    def _check_override_day(self, row: Customer) -> None:
        until = row.score_override_until
        if row.score_override is not None and until is not None and until < self._clock.today():
            raise ValidationError(
                "score_until",
                f"Override until: {until.isoformat()} has passed; choose today or a later "
                "day, or leave it empty to keep the score until the next signal update.",
            )

    def override_score(
        self, customer_id: int, score: float, reason: str, until: dt.date | None = None
    ) -> CustomerDTO:
        """Set the score by hand with a reason and an optional last day (S2), audited.

        It holds until a signal changes or the last day has passed.
        """
        if not " ".join(str(reason).split()):
            raise ValidationError("score_reason", "Say why the score is set by hand.")
        raw: dict[str, object] = {"score": score, "score_reason": reason, "score_until": until}
        parsed = F.parse_fields(raw, self._clock.today())
        with self._db.session() as s:
            row = self._row(s, customer_id)
            self._apply(s, row, parsed)
            self._check_override_day(row)
            self._touch(row)
            self._rescore_one(s, row, explicit_lifecycle=False)
            last = f" until {until.isoformat()}" if until else " until the next signal update"
            self._audit.record(
                s,
                "score_overridden",
                f'Score of "{row.name}" set by hand to {parsed["score"]:g}{last}: '
                f"{parsed['score_reason']}",
                customer_id=row.id,
                customer_name=row.name,
                details={
                    "score": parsed["score"],
                    "reason": parsed["score_reason"],
                    "until": until.isoformat() if until else None,
                },
            )
        self._publish((customer_id,))
        return self.get(customer_id)

    def clear_override(self, customer_id: int) -> CustomerDTO:
        """Drop a manual score; the account is scored from its signals again (audited)."""
        with self._db.session() as s:
            row = self._row(s, customer_id)
            if row.score_override is None:
                return self.get(customer_id)
            row.score_override = row.score_override_reason = row.score_override_until = None
            self._touch(row)
            self._rescore_one(s, row, explicit_lifecycle=False)
            self._audit.record(
                s,
                "score_override_cleared",
                f'Manual score of "{row.name}" removed; scored from its signals again',
                customer_id=row.id,
                customer_name=row.name,
            )
        self._publish((customer_id,))
        return self.get(customer_id)

    def _row(self, s: Session, customer_id: int) -> Customer:
        """The customer to change, if it is in the scope's clients (the same answer as
        for an id that does not exist, so other clients' ids cannot be probed)."""
        row = s.get(Customer, customer_id)
        if row is None:
            raise NotFoundError(f"Customer {customer_id} does not exist.")
        self._scope.check_customers(s, (customer_id,))
        return row

    def _rescore_one(self, s: Session, row: Customer, explicit_lifecycle: bool) -> None:
        today, config = self._clock.today(), self._config.current()
        signals = tuple(getattr(row, c.key) for c in SIGNAL_COLUMNS)
        s.flush()  # the history read sees this row's new renewal date
        history = load_factor_history(s, [row.id], today, config)
        scored = score_rows([signals], today, config, self._config.weights_for, history)
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
            apply_profile_rules(s)
            summary = rescore_all(
                s,
                self._config.current(),
                self._config.weights_for,
                day,
                progress,
                cancelled,
                scope=self._scope,
            )
            self._audit_expired(s, summary)
            self._audit.record(
                s,
                "bulk_rescore",
                f"Rescored {summary.customers:,} customers as of {day.isoformat()}: "
                f"{summary.band_changes:,} changed band, {summary.lifecycle_changes:,} changed "
                f"lifecycle" + (f" ({reason})" if reason else ""),
                details={"customers": summary.customers, "band_changes": summary.band_changes},
            )
        self._publish(())
        return summary

    def _audit_expired(self, s: Session, summary: RescoreSummary) -> None:
        for cid, name in summary.expired_overrides:
            self._audit.record(
                s,
                "score_override_expired",
                f'The manual score of "{name}" reached its last day; scored from its signals again',
                customer_id=cid,
                customer_name=name,
            )

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
            apply_profile_rules(s, list(ids))
            summary = rescore_all(
                s,
                self._config.current(),
                self._config.weights_for,
                day,
                ids=list(ids),
                scope=self._scope,
            )
            self._audit_expired(s, summary)
            self._audit.record(
                s,
                "bulk_rescore",
                f"Rescored {summary.customers:,} selected customers: "
                f"{summary.band_changes:,} changed band, {summary.lifecycle_changes:,} changed "
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
                f"{result.customers:,} customers with {result.days:,} days of history",
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
                self._touch(row)
        self._publish(tuple(ids))
        return len(rows)

    def _touch(self, row: Customer) -> None:
        """When and by whom a customer was last changed (a stale save names them)."""
        row.updated_at = self._clock.now()
        row.updated_by = self._scope.actor_name(self._audit.user())

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


def _settle_override(row: Customer, parsed: Mapping[str, Any], signals_moved: bool) -> bool:
    """Keep the manual score's reason and last day in step with the score itself.

    A manual score lasts until the next signal update (S2); a new score given without a
    reason drops the old reason. Returns True when a manual score was cleared by new
    signals.
    """
    if "score" in parsed:
        if parsed["score"] is None or "score_reason" not in parsed:
            row.score_override_reason = None
        if parsed["score"] is None or "score_until" not in parsed:
            row.score_override_until = None
        return False
    if signals_moved and row.score_override is not None:
        row.score_override = row.score_override_reason = row.score_override_until = None
        return True
    return False


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


def _snapshot(r: ScoreSnapshot) -> SnapshotDTO:
    return SnapshotDTO(
        dt.date.fromordinal(r.day),
        r.score,
        r.status,
        r.coverage,
        r.logins_30d,
        r.feature_adoption_pct,
        r.open_tickets,
        r.nps,
        r.days_since_contact,
        r.growth_signal,
        r.mrr_cents,
    )
