"""The persistent outbox: putting messages in, claiming them, recording every attempt.

Life of an entry: `pending` → (claimed) `sending` → `sent`, or back to `pending` with
a later `next_attempt_at`, or `dead` (a permanent refusal; re-sent only by hand).

Why no message is lost and none is sent twice after a confirmed success:
* an entry is written in the same transaction as the change that caused it;
* a claim is one conditional UPDATE from `pending`, so two senders never hold the same
  entry, and `sent` is final;
* a sender that dies mid-send leaves its entries `sending`; they go back to `pending`
  once the claim expires or its process is gone, so they are sent at least once (the
  receiver deduplicates on the event id, which stays the same).

Backoff: the first retry comes 15–30 s after a failure, each later one waits twice as
long (with jitter, so many failed messages do not return at the same instant), capped
at one hour; a `Retry-After` from the server wins.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from iqcadence_desktop.models import DeliveryAttempt, OutboxEntry
from iqcadence_desktop.services.automations.delivery import SendResult

FIRST_RETRY_S = 30.0
MAX_RETRY_S = 3600.0
_TABLE: Table = OutboxEntry.__table__  # type: ignore[assignment]
_ATTEMPTS: Table = DeliveryAttempt.__table__  # type: ignore[assignment]


def retry_delay(failures: int, rng: random.Random) -> float:
    """Seconds before the next try after `failures` failed attempts (1, 2, ...)."""
    base = min(MAX_RETRY_S, FIRST_RETRY_S * 2.0 ** max(0, failures - 1))
    return float(base * (0.5 + 0.5 * rng.random()))


def enqueue(s: Session, rows: Sequence[dict[str, Any]]) -> int:
    """Insert entries; one already queued for the same (event, connection) is left alone."""
    if not rows:
        return 0
    insert = postgresql.insert if s.get_bind().dialect.name == "postgresql" else sqlite.insert
    stmt = insert(_TABLE).on_conflict_do_nothing(index_elements=["event_id", "connection_id"])
    result = s.execute(stmt, list(rows))
    return int(getattr(result, "rowcount", len(rows)) or 0)


def entry_row(
    *,
    event_id: str,
    connection_id: int,
    connection_name: str,
    channel: str,
    kind: str,
    subject: str,
    body: dict[str, Any],
    now: dt.datetime,
    rule_id: int | None = None,
    rule_name: str | None = None,
    customer_id: int | None = None,
    customer_name: str | None = None,
) -> dict[str, Any]:
    """One outbox row, due now."""
    return {
        "event_id": event_id,
        "connection_id": connection_id,
        "connection_name": connection_name,
        "channel": channel,
        "kind": kind,
        "rule_id": rule_id,
        "rule_name": rule_name,
        "customer_id": customer_id,
        "customer_name": customer_name,
        "subject": subject[:2000],
        "body": body,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


# -- claiming ------------------------------------------------------------------------------
def due_connections(s: Session, now: dt.datetime) -> list[int]:
    """Connections that have entries due now."""
    return list(
        s.scalars(
            select(OutboxEntry.connection_id)
            .where(
                OutboxEntry.status == "pending",
                OutboxEntry.next_attempt_at <= now,
                OutboxEntry.connection_id.is_not(None),
            )
            .distinct()
        )
    )


def orphans(s: Session) -> list[int]:
    """Pending entries whose connection was removed: they can never be sent."""
    return list(
        s.scalars(
            select(OutboxEntry.id).where(
                OutboxEntry.status == "pending", OutboxEntry.connection_id.is_(None)
            )
        )
    )


def bury(s: Session, ids: Sequence[int], now: dt.datetime) -> None:
    """Mark orphaned entries dead, with the reason."""
    for entry_id in ids:
        _finish(s, entry_id, None, now, "dead", SendResult("dead", None, _REMOVED), None, 0)


_REMOVED = "The connection was removed; add it again and re-send this entry."


def stale_claims(
    s: Session, now: dt.datetime, alive: Callable[[str], bool]
) -> list[tuple[int, str | None]]:
    """(entry, claimer) of `sending` entries whose sender died or overran its claim."""
    rows = s.execute(
        select(OutboxEntry.id, OutboxEntry.claimed_by, OutboxEntry.claimed_until).where(
            OutboxEntry.status == "sending"
        )
    ).all()
    return [
        (i, by)
        for i, by, until in rows
        if until is None or until < now or by is None or not alive(by)
    ]


def reset_claims(s: Session, stale: Sequence[tuple[int, str | None]]) -> None:
    """Put stale claims back to pending (only if nobody re-claimed them meanwhile)."""
    for entry_id, by in stale:
        s.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id == entry_id, OutboxEntry.status == "sending")
            .where(OutboxEntry.claimed_by.is_(None) if by is None else OutboxEntry.claimed_by == by)
            .values(status="pending", claimed_by=None, claimed_until=None)
        )


def claim(
    s: Session,
    connection_id: int,
    token: str,
    now: dt.datetime,
    until: dt.datetime,
    limit: int,
    only: Iterable[int] | None = None,
) -> list[OutboxEntry]:
    """Take up to `limit` due entries of one connection (or exactly `only`) for `token`."""
    pick = select(OutboxEntry.id).where(
        OutboxEntry.connection_id == connection_id, OutboxEntry.status == "pending"
    )
    if only is None:
        pick = pick.where(OutboxEntry.next_attempt_at <= now)
    else:
        pick = pick.where(OutboxEntry.id.in_(list(only)))
    pick = pick.order_by(OutboxEntry.next_attempt_at, OutboxEntry.id).limit(limit)
    # The UPDATE comes first in the transaction (SQLite takes the write lock at once) and
    # re-checks the status, so an entry is claimed by one sender only.
    s.execute(
        update(OutboxEntry)
        .where(OutboxEntry.id.in_(pick.scalar_subquery()), OutboxEntry.status == "pending")
        .values(status="sending", claimed_by=token, claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    return list(
        s.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.claimed_by == token, OutboxEntry.status == "sending")
            .order_by(OutboxEntry.next_attempt_at, OutboxEntry.id)
        )
    )


def release(s: Session, ids: Sequence[int], token: str) -> None:
    """Give back claimed entries that were not tried."""
    if ids:
        s.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id.in_(list(ids)), OutboxEntry.claimed_by == token)
            .values(status="pending", claimed_by=None, claimed_until=None)
        )


def defer_connection(s: Session, connection_id: int, until: dt.datetime) -> None:
    """The endpoint is failing: its other due entries wait with it (attempts unchanged)."""
    s.execute(
        update(OutboxEntry)
        .where(
            OutboxEntry.connection_id == connection_id,
            OutboxEntry.status == "pending",
            OutboxEntry.next_attempt_at < until,
        )
        .values(next_attempt_at=until)
    )


# -- recording an attempt ------------------------------------------------------------------
def record(
    s: Session,
    entry_id: int,
    attempts_before: int,
    token: str,
    result: SendResult,
    now: dt.datetime,
    duration_ms: int,
    rng: random.Random,
) -> dt.datetime | None:
    """Write the attempt and the entry's new state; returns when it will be tried again.

    `attempts_before` comes from the claim: a claimed entry is this sender's alone, so it
    cannot have changed, and the transaction starts with its write (on SQLite one that
    reads first fails outright if another connection committed in between).
    """
    retry_at: dt.datetime | None = None
    if result.outcome == "retry":
        seconds = (
            result.retry_after
            if result.retry_after is not None
            else retry_delay(attempts_before + 1, rng)
        )
        retry_at = now + dt.timedelta(seconds=max(1.0, seconds))
    status = {"sent": "sent", "retry": "pending", "dead": "dead"}[result.outcome]
    _finish(s, entry_id, token, now, status, result, retry_at, duration_ms, attempts_before + 1)
    return retry_at


def _finish(
    s: Session,
    entry_id: int,
    token: str | None,
    now: dt.datetime,
    status: str,
    result: SendResult,
    retry_at: dt.datetime | None,
    duration_ms: int,
    attempts: int | None = None,
) -> None:
    """The entry's new state and one attempt row, as Core statements (a drain of many
    messages spends its time here; the ORM's bookkeeping is not needed)."""
    t = _TABLE.c
    values: dict[str, Any] = {
        "status": status,
        "attempts": t.attempts + 1 if attempts is None else attempts,
        "claimed_by": None,
        "claimed_until": None,
        "last_status": result.status_code,
        "last_error": result.error,
    }
    if status == "sent":
        values["sent_at"] = now
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    stmt = update(_TABLE).where(t.id == entry_id)
    if token is not None:
        stmt = stmt.where(t.claimed_by == token)
    conn = s.connection()
    conn.execute(stmt.values(**values))
    conn.execute(
        insert(_ATTEMPTS).values(
            outbox_id=entry_id,
            at=now,
            outcome=result.outcome,
            status_code=result.status_code,
            error=result.error,
            retry_at=retry_at,
            duration_ms=duration_ms,
        )
    )


# -- counts --------------------------------------------------------------------------------
def waiting(s: Session) -> int:
    """Entries not yet sent and not dead."""
    return int(
        s.scalar(
            select(func.count())
            .select_from(OutboxEntry)
            .where(OutboxEntry.status.in_(("pending", "sending")))
        )
        or 0
    )
