"""Saved import mappings: a confirmed mapping is offered again for the same header row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.models import SavedMapping
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.csv_io.read import header_signature
from iqcadence_desktop.services.system import AuditLog, Clock


class MappingService:
    """Finds and remembers {column: field} mappings by header signature."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit

    def find(self, headers: Sequence[str]) -> dict[str, str | None] | None:
        """The saved mapping for exactly this header row, if any."""
        with self._db.session() as s:
            row = s.scalars(
                select(SavedMapping).where(SavedMapping.signature == header_signature(headers))
            ).first()
            return None if row is None else dict(row.mapping)

    def remember(
        self, s: Session, headers: Sequence[str], mapped: Mapping[str, str], ignored: Sequence[str]
    ) -> None:
        """Save (or replace) the mapping in the caller's unit of work, with an audit entry."""
        mapping: dict[str, str | None] = {**dict.fromkeys(ignored), **mapped}
        signature = header_signature(headers)
        row = s.scalars(select(SavedMapping).where(SavedMapping.signature == signature)).first()
        if row is not None and row.mapping == mapping:
            return
        now = self._clock.now()
        if row is None:
            s.add(
                SavedMapping(
                    signature=signature,
                    headers=list(headers),
                    mapping=mapping,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            row.mapping, row.updated_at = mapping, now
        self._audit.record(
            s,
            "import_mapping_saved",
            f"Saved an import mapping for {len(headers)} columns",
            details={"mapping": dict(mapping)},
        )
