"""Delivering the outbox: one lane per connection, lanes side by side.

Each lane claims a few due entries of its connection, sends them one by one and records
every attempt right after it. Lanes run in their own threads, so a connection that
hangs until its timeout, or answers 429 for an hour, never holds up the others. When a
connection as a whole is failing (offline, 5xx, 429, missing secret) its lane stops and
the rest of its queue waits for the same retry time instead of each failing in turn.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.models import OutboxEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations import outbox
from iqcadence_desktop.services.automations.delivery import (
    AttachmentRenderer,
    SendResult,
    Target,
    email,
    make_session,
    slack,
    teams,
    webhook,
)
from iqcadence_desktop.services.automations.delivery.base import dead
from iqcadence_desktop.services.automations.dto import DeliveryResult
from iqcadence_desktop.services.automations.lease import holder_alive
from iqcadence_desktop.services.system import Clock

if TYPE_CHECKING:
    import ssl

    import requests

log = logging.getLogger(__name__)
TargetFor = Callable[[int], Target | None]
T = TypeVar("T")


class WriteGate(Protocol):
    """Runs a database write where it may not clash with the app's other writes.

    On SQLite a transaction that has read and then writes fails when another connection
    committed in between, so the desktop app funnels these small writes through its one
    write lane while the network waits happen elsewhere. Headless, writes run directly.
    """

    def __call__(self, fn: Callable[[], T], /) -> T: ...


def direct(fn: Callable[[], T]) -> T:
    return fn()


@dataclass(frozen=True)
class DeliverySettings:
    """Timeouts and sizes; tests shorten the timeouts and trust their own certificate."""

    http_timeout: tuple[float, float] = (5.0, 20.0)
    smtp_timeout: float = 20.0
    ssl_context: Callable[[], ssl.SSLContext] | None = None  # None: the system's trust
    batch: int = 10
    #: Senders working one connection's queue side by side: while one waits for an answer
    #: another records its attempt. Messages to one connection may then arrive slightly
    #: out of order (each carries its event id and time).
    per_connection: int = 4
    max_workers: int = 16

    @property
    def claim_seconds(self) -> float:
        """How long a claim lasts: longer than any one attempt can take."""
        return sum(self.http_timeout) + self.smtp_timeout + 60.0


@dataclass
class _Tally:
    """Counts shared by the lanes (each lane is a thread)."""

    sent: int = 0
    failed: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ok: bool) -> None:
        with self.lock:
            if ok:
                self.sent += 1
            else:
                self.failed += 1


class _Probe:
    """The first sender of a connection tells the others whether the endpoint answers."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._healthy = False

    def settle(self, healthy: bool) -> None:
        if not self._event.is_set():
            self._healthy = healthy
            self._event.set()

    def wait(self) -> bool:
        self._event.wait()
        return self._healthy


@dataclass(frozen=True)
class _Worker:
    """One sender on one connection's queue."""

    connection_id: int
    only: Sequence[int] | None
    tally: _Tally
    probe: _Probe
    first: bool


class Sender:
    """Sends due outbox entries, recording every attempt."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        target_for: TargetFor,
        attachments: AttachmentRenderer,
        settings: DeliverySettings,
        rng: random.Random,
        holder: str,
    ) -> None:
        self._db, self._clock, self._target_for = db, clock, target_for
        self._attachments, self._settings, self._rng = attachments, settings, rng
        self._holder = holder
        self.gate: WriteGate = direct
        self._write_lock = threading.Lock()

    def write(self, fn: Callable[[Session], T]) -> T:
        """One unit of work that writes, through the gate."""

        def unit() -> T:
            with self._db.session() as s:
                return fn(s)

        # The senders of one run take turns here: waiting on a lock wakes at once, where
        # SQLite's own busy handler would sleep for milliseconds between tries.
        with self._write_lock:
            return self.gate(unit)

    def deliver(
        self, only: Sequence[int] | None = None, renew: Callable[[], object] | None = None
    ) -> DeliveryResult:
        """Send what is due (or exactly the entries in `only`); returns the tally."""
        now = self._clock.now()
        with self._db.session() as s:
            stale = outbox.stale_claims(s, now, holder_alive)
            lost = outbox.orphans(s)
        if stale or lost:

            def tidy(s: Session) -> None:
                outbox.reset_claims(s, stale)
                outbox.bury(s, lost, now)

            self.write(tidy)
        with self._db.session() as s:
            lanes = self._lanes(s, now, only)
        tally = _Tally()
        workers = self._workers(lanes, only, tally)
        if len(workers) == 1:
            self._lane(workers[0])
        elif workers:
            self._run_lanes(workers, renew)
        with self._db.session() as s:
            pending = outbox.waiting(s)
        return DeliveryResult(tally.sent, tally.failed, pending)

    def _workers(
        self, lanes: list[int], only: Sequence[int] | None, tally: _Tally
    ) -> list[_Worker]:
        """Senders per connection; the first probes the endpoint, the others wait for it."""
        per = self._per_connection(len(lanes), only)
        out = []
        for cid in lanes:
            probe = _Probe()
            out += [_Worker(cid, only, tally, probe, first=i == 0) for i in range(per)]
        return out

    def _per_connection(self, connections: int, only: Sequence[int] | None) -> int:
        """Senders per connection: fewer when many connections are due, never none."""
        if only is not None or connections == 0:
            return 1
        cap = max(1, self._settings.max_workers // connections)
        return min(self._settings.per_connection, cap)

    def _lanes(self, s: Any, now: dt.datetime, only: Sequence[int] | None) -> list[int]:
        if only is None:
            return outbox.due_connections(s, now)
        return sorted(
            {
                cid
                for cid in s.scalars(
                    select(OutboxEntry.connection_id).where(OutboxEntry.id.in_(list(only)))
                )
                if cid is not None
            }
        )

    def _run_lanes(self, workers: list[_Worker], renew: Callable[[], object] | None) -> None:
        # One thread per sender: a connection never waits for another one's threads.
        with ThreadPoolExecutor(len(workers), thread_name_prefix="outbox-lane") as pool:
            pending: set[Future[None]] = {pool.submit(self._lane, w) for w in workers}
            while pending:
                done, pending = wait(pending, timeout=10.0, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()
                if renew is not None:
                    renew()  # keep the run's lease while slow lanes finish

    # -- one connection --------------------------------------------------------------
    def _lane(self, w: _Worker) -> None:
        """One sender's loop over its connection's queue."""
        try:
            if not w.first and not w.probe.wait():
                return  # the endpoint failed its first message: nothing more for now
            target = self._target_for(w.connection_id)
            if target is None:
                return
            session = make_session() if target.kind != "email" else None
            token = f"{self._holder}/{w.connection_id}/{uuid.uuid4().hex[:6]}"
            try:
                while self._lane_batch(w, target, session, token) and w.only is None:
                    pass
            finally:
                if session is not None:
                    session.close()
        finally:
            if w.first:
                w.probe.settle(False)  # no-op once the first answer decided it

    def _lane_batch(
        self, w: _Worker, target: Target, session: requests.Session | None, token: str
    ) -> bool:
        """Claim and send one batch; False when the lane should stop."""
        now = self._clock.now()
        until = now + dt.timedelta(seconds=self._settings.claim_seconds)
        limit = self._settings.batch
        batch = self.write(
            lambda s: outbox.claim(s, w.connection_id, token, now, until, limit, w.only)
        )
        if not batch:
            return False
        connection_id, tally = w.connection_id, w.tally
        for i, entry in enumerate(batch):
            start = time.perf_counter()
            result = self._send(dict(entry.body), target, session)
            ms = int((time.perf_counter() - start) * 1000)
            rest = [e.id for e in batch[i + 1 :]]
            self.write(
                partial(
                    self._record,
                    entry_id=entry.id,
                    attempts=entry.attempts,
                    token=token,
                    result=result,
                    ms=ms,
                    connection_id=connection_id,
                    rest=rest,
                )
            )
            tally.add(result.ok)
            if w.first:
                w.probe.settle(not result.endpoint_down)
            if result.endpoint_down:
                return False
        return True

    def _record(
        self,
        s: Session,
        entry_id: int,
        attempts: int,
        token: str,
        result: SendResult,
        ms: int,
        connection_id: int,
        rest: list[int],
    ) -> None:
        """The attempt; when the endpoint is down, the rest of the lane waits with it."""
        now = self._clock.now()
        retry_at = outbox.record(s, entry_id, attempts, token, result, now, ms, self._rng)
        if result.endpoint_down and retry_at is not None:
            outbox.release(s, rest, token)
            outbox.defer_connection(s, connection_id, retry_at)

    def _send(
        self, body: dict[str, Any], target: Target, session: requests.Session | None
    ) -> SendResult:
        s = self._settings
        try:
            if target.kind == "email":
                return email.send(body, target, self._attachments, s.smtp_timeout, s.ssl_context)
            assert session is not None
            send = {"slack": slack.send, "teams": teams.send, "webhook": webhook.send}[target.kind]
            return send(body, target, session, s.http_timeout)
        except UserFacingError as exc:
            return dead(str(exc))
        except Exception:
            log.exception("Sending an outbox entry through %s failed unexpectedly", target.kind)
            return dead("An internal error stopped this message; the details are in the log file.")
