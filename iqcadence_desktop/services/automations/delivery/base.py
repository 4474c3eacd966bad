"""What every channel shares: the message to send, the result of one attempt, the target.

A `Message` is channel-neutral (a title, a summary, facts, lines, the webhook document,
an optional report attachment); each channel renders it to the body stored in the
outbox, so every attempt sends exactly the same thing. A `SendResult` says whether the
attempt worked, may be retried (and when), or can never work as it is (dead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

Outcome = Literal["sent", "retry", "dead"]


@dataclass(frozen=True)
class Message:
    """One thing to tell people, before it is shaped for a channel."""

    kind: str  # event / digest / batch / report / test
    event_id: str
    title: str
    summary: str
    facts: tuple[tuple[str, str], ...] = ()
    lines: tuple[str, ...] = ()
    footer: str = ""
    severity: str = "warning"  # critical / warning / info: the accent of a card
    webhook: dict[str, Any] = field(default_factory=dict)
    attachment: dict[str, Any] | None = None  # a report to render when sent


@dataclass(frozen=True)
class Target:
    """Where to send: the connection's kind, address, options and resolved secret."""

    name: str
    kind: str
    url: str | None
    settings: dict[str, Any]
    secret: str | None
    secret_env: str | None = None


@dataclass(frozen=True)
class SendResult:
    """What one attempt came to.

    `endpoint_down` marks failures that would hit every message to this connection
    alike (offline, timeouts, 429, 5xx, a missing secret): the sender then stops this
    connection's lane and waits, instead of burning through the queue.
    """

    outcome: Outcome
    status_code: int | None = None
    error: str | None = None
    retry_after: float | None = None
    endpoint_down: bool = False

    @property
    def ok(self) -> bool:
        return self.outcome == "sent"


#: Renders a report attachment described in a message: (file name, bytes, MIME type).
AttachmentRenderer = Callable[[dict[str, Any]], tuple[str, bytes, str]]


def retry(error: str, status: int | None = None, after: float | None = None) -> SendResult:
    return SendResult("retry", status, error, after, endpoint_down=True)


def dead(error: str, status: int | None = None) -> SendResult:
    return SendResult("dead", status, error)
