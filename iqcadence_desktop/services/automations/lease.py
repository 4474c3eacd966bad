"""A lease in the database: at most one runner does a kind of due work at a time.

The app's timer, a cron `run-due` and a second laptop in team mode may all wake at
once; whoever takes the lease does the work, the others see it is taken and step aside.
A lease ends when its holder releases it, when it expires (the holder renews it while
working), or at once when the holder was a process on this computer that no longer
exists (`kill -9`), so a crash never blocks the next run for long.

Holders are "host:pid:nonce"; the same names mark outbox claims.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from iqcadence_desktop.models import AutomationLease
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.system import Clock

LEASE_SECONDS = 120.0
_HOST = socket.gethostname()


def new_holder() -> str:
    return f"{_HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_alive(holder: str) -> bool:
    """False only when the holder was a process on this host that has gone away."""
    host, _, rest = holder.partition(":")
    pid_text = rest.split(":", 1)[0]
    if host != _HOST or not pid_text.isdigit():
        return True  # another computer: only expiry can tell
    pid = int(pid_text)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # exists, owned by someone else (or we cannot tell): assume alive
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A killed child not yet reaped still answers kill(pid, 0); /proc tells (Linux)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


class Lease:
    """One named lease held by one holder."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        name: str,
        holder: str,
        seconds: float = LEASE_SECONDS,
        gate: Callable[[Callable[[], bool]], bool] | None = None,
    ) -> None:
        self._db, self._clock, self.name, self.holder = db, clock, name, holder
        self._seconds = seconds
        self._gate = gate or (lambda fn: fn())

    def acquire(self) -> bool:
        """Take the lease if it is free, expired or held by a dead process."""
        now = self._clock.now()
        with self._db.session() as s:
            row = s.execute(
                select(AutomationLease.holder, AutomationLease.expires_at).where(
                    AutomationLease.name == self.name
                )
            ).first()
        if row is None:
            return self._gate(lambda: self._insert(now))
        holder, expires = row
        taken = holder is not None and holder != self.holder
        if taken and expires is not None and expires > now and holder_alive(str(holder)):
            return False
        return self._gate(lambda: self._swap(holder, now))

    def _insert(self, now: dt.datetime) -> bool:
        try:
            with self._db.session() as s:
                s.add(
                    AutomationLease(name=self.name, holder=self.holder, expires_at=self._end(now))
                )
        except IntegrityError:
            return False  # someone else created it a moment ago
        return True

    def _swap(self, old: str | None, now: dt.datetime) -> bool:
        """Compare-and-set: take it only if nobody changed it since we looked."""
        with self._db.session() as s:
            result = s.execute(
                update(AutomationLease)
                .where(
                    AutomationLease.name == self.name,
                    AutomationLease.holder.is_(None)
                    if old is None
                    else AutomationLease.holder == old,
                )
                .values(holder=self.holder, expires_at=self._end(now))
            )
            return bool(getattr(result, "rowcount", 0))

    def renew(self) -> bool:
        return self._gate(self._renew)

    def _renew(self) -> bool:
        with self._db.session() as s:
            result = s.execute(
                update(AutomationLease)
                .where(AutomationLease.name == self.name, AutomationLease.holder == self.holder)
                .values(expires_at=self._end(self._clock.now()))
            )
            return bool(getattr(result, "rowcount", 0))

    def release(self) -> None:
        self._gate(self._release)

    def _release(self) -> bool:
        with self._db.session() as s:
            s.execute(
                update(AutomationLease)
                .where(AutomationLease.name == self.name, AutomationLease.holder == self.holder)
                .values(holder=None, expires_at=None)
            )
        return True

    def _end(self, now: dt.datetime) -> dt.datetime:
        return now + dt.timedelta(seconds=self._seconds)
