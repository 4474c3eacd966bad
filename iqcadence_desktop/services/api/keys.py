"""API keys for the local REST API: generated once, shown once, kept as a SHA-256 digest.

A key reads `iqc_<key id>_<secret>`; the key id is what the API Log shows. Headless
set-ups may instead give the key in the IQCADENCE_API_KEY environment variable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from iqcadence_desktop.errors import NotFoundError
from iqcadence_desktop.models import ApiKey
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import AuditLog, Clock

API_KEY_ENV = "IQCADENCE_API_KEY"
ENV_KEY_ID = "env"


@dataclass(frozen=True)
class ApiKeyDTO:
    """A key as Settings lists it (never the key itself)."""

    key_id: str
    label: str | None
    created_at: dt.datetime
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class NewKey:
    """A freshly made key: `key` is shown once and never stored."""

    key_id: str
    key: str


def digest(key: str) -> str:
    # Keys are 256 random bits, so a plain SHA-256 is as strong as a slow hash here.
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class ApiKeyService:
    """Makes, lists, revokes and checks API keys."""

    def __init__(self, db: Database, clock: Clock, audit: AuditLog) -> None:
        self._db = db
        self._clock = clock
        self._audit = audit
        self._cache: dict[str, tuple[str, str]] | None = None  # key id -> (digest, state)

    def new(self, label: str | None = None) -> NewKey:
        key_id = secrets.token_hex(4)
        key = f"iqc_{key_id}_{secrets.token_urlsafe(32)}"
        with self._db.session() as s:
            s.add(
                ApiKey(key_id=key_id, digest=digest(key), label=label, created_at=self._clock.now())
            )
            self._audit.record(
                s, "api_key_created", f"Created API key {key_id}", details={"key_id": key_id}
            )
        self._cache = None
        return NewKey(key_id, key)

    def revoke(self, key_id: str | None = None) -> int:
        """Revoke one key (or every active key); returns how many were revoked."""
        with self._db.session() as s:
            stmt = select(ApiKey).where(ApiKey.revoked_at.is_(None))
            if key_id is not None:
                stmt = stmt.where(ApiKey.key_id == key_id)
            rows = list(s.scalars(stmt))
            if key_id is not None and not rows:
                raise NotFoundError(f"There is no active API key {key_id!r}; see Settings → API.")
            for row in rows:
                row.revoked_at = self._clock.now()
                self._audit.record(
                    s,
                    "api_key_revoked",
                    f"Revoked API key {row.key_id}",
                    details={"key_id": row.key_id},
                )
        self._cache = None
        return len(rows)

    def keys(self) -> list[ApiKeyDTO]:
        with self._db.session() as s:
            rows = s.scalars(select(ApiKey).order_by(ApiKey.created_at.desc(), ApiKey.id.desc()))
            return [ApiKeyDTO(r.key_id, r.label, r.created_at, r.revoked_at) for r in rows]

    def active(self) -> bool:
        """Whether any key can open the API (a stored one or the environment's)."""
        return bool(os.environ.get(API_KEY_ENV)) or any(k.revoked_at is None for k in self.keys())

    def verify(self, key: str | None) -> str | None:
        """The key id of a valid key, else None (constant-time comparisons)."""
        if not key:
            return None
        env = os.environ.get(API_KEY_ENV)
        if env and hmac.compare_digest(env.encode(), key.encode()):
            return ENV_KEY_ID
        parts = key.split("_")
        if len(parts) < 3 or parts[0] != "iqc":
            return None
        found = self._active_digests().get(parts[1])
        if found is not None and hmac.compare_digest(found, digest(key)):
            return parts[1]
        return None

    def _active_digests(self) -> dict[str, str]:
        if self._cache is None:
            with self._db.session() as s:
                rows = s.execute(
                    select(ApiKey.key_id, ApiKey.digest).where(ApiKey.revoked_at.is_(None))
                ).all()
            self._cache = {k: (d, "active") for k, d in rows}
        return {k: d for k, (d, _) in self._cache.items()}
