"""The audit trail: every mutation writes one entry in the same unit of work."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from iqcadence_desktop.models import AuditEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system.clock import Clock


@dataclass(frozen=True)
class AuditEntryDTO:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    user: str
    action: str
    customer_id: int | None
    customer_name: str | None
    summary: str
    details: dict[str, object] | None


@dataclass(frozen=True)
class AuditFilter:
    """What to show; every field optional."""

    action: str | None = None
    customer_id: int | None = None
    user: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    text: str | None = None
    limit: int = 1000


class AuditLog:
    """Writes and reads audit entries. `user` says who is acting (local user or team user)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        user: Callable[[], str],
        visible: Callable[[], ColumnElement[bool]] = true,
    ) -> None:
        self._db = db
        self._clock = clock
        self._user = user
        self._visible = visible  # which entries the acting user may read (team.Scope)

    def user(self) -> str:
        """Who is acting now."""
        return self._user()

    def record(
        self,
        session: Session,
        action: str,
        summary: str,
        *,
        customer_id: int | None = None,
        customer_name: str | None = None,
        details: dict[str, object] | None = None,
    ) -> None:
        """Add an entry to the caller's unit of work (it commits with the change)."""
        session.add(
            AuditEntry(
                at=self._clock.now(),
                user=self._user(),
                action=action,
                customer_id=customer_id,
                customer_name=customer_name,
                summary=summary,
                details=details,
            )
        )

    def distinct(self, column: str) -> list[str]:
        """Values seen in the `action` or `user` column, sorted (for filter pickers)."""
        col = {"action": AuditEntry.action, "user": AuditEntry.user}[column]
        stmt = select(col).where(self._visible()).distinct().order_by(col)
        with self._db.session() as s:
            return [str(v) for v in s.scalars(stmt)]

    def entries(self, flt: AuditFilter = AuditFilter()) -> list[AuditEntryDTO]:
        stmt = (
            select(AuditEntry)
            .where(self._visible())
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        )
        if flt.action:
            stmt = stmt.where(AuditEntry.action == flt.action)
        if flt.customer_id is not None:
            stmt = stmt.where(AuditEntry.customer_id == flt.customer_id)
        if flt.user:
            stmt = stmt.where(AuditEntry.user == flt.user)
        if flt.since:
            stmt = stmt.where(AuditEntry.at >= flt.since)
        if flt.until:
            stmt = stmt.where(AuditEntry.at < flt.until)
        if flt.text:
            like = f"%{flt.text}%"
            stmt = stmt.where(AuditEntry.summary.ilike(like) | AuditEntry.customer_name.ilike(like))
        with self._db.session() as s:
            rows = s.scalars(stmt.limit(flt.limit)).all()
            return [
                AuditEntryDTO(
                    r.id,
                    r.at,
                    r.user,
                    r.action,
                    r.customer_id,
                    r.customer_name,
                    r.summary,
                    r.details,
                )
                for r in rows
            ]
