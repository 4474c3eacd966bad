"""Custom webhooks, signed so the receiver can tell the message is ours and fresh.

Body: the event document `{"event_id", "type", "occurred_at", "customer", "rule"}` as
JSON, stored as the exact bytes that are sent. Headers:

    X-IQcadence-Event-Id:  the event id (the same on every retry: deduplicate on it)
    X-IQcadence-Timestamp: unix seconds when this attempt was sent
    X-IQcadence-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>

docs/automations.md shows a receiver that checks all three.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.services.automations.delivery.base import (
    Message,
    SendResult,
    Target,
    retry,
)
from iqcadence_desktop.services.automations.delivery.http import DEFAULT_TIMEOUT, post

if TYPE_CHECKING:
    import requests

SIGNATURE_VERSION = "v1"


def sign(secret: str, timestamp: int, raw: bytes) -> str:
    """'v1=' + hex HMAC-SHA256 of '<timestamp>.<raw body>' keyed with the secret."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"{SIGNATURE_VERSION}={mac.hexdigest()}"


def render(message: Message, target: Target) -> dict[str, Any]:
    raw = json.dumps(message.webhook, ensure_ascii=False, separators=(",", ":"))
    return {"raw": raw, "event_id": message.event_id}


def send(
    body: dict[str, Any],
    target: Target,
    session: requests.Session,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    now: Callable[[], float] = time.time,
) -> SendResult:
    if not target.secret:
        return retry(missing_secret_text(target))
    raw = str(body["raw"]).encode("utf-8")
    stamp = int(now())
    headers = {
        "Content-Type": "application/json",
        "X-IQcadence-Event-Id": str(body["event_id"]),
        "X-IQcadence-Timestamp": str(stamp),
        "X-IQcadence-Signature": sign(target.secret, stamp, raw),
    }
    return post(session, target.url or "", raw, headers, timeout)


def missing_secret_text(target: Target) -> str:
    env = target.secret_env
    where = f" and the environment variable {env} is not set" if env else ""
    return (
        f'The connection "{target.name}" has no signing secret: none is saved in the '
        f"system keyring{where}. Save the secret on the Automations page, or run with "
        "--secret-env naming a variable that holds it."
    )
