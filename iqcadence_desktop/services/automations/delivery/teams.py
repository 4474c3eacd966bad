"""Microsoft Teams through a Workflows webhook: an Adaptive Card in a message envelope.

The old Office 365 connector webhooks (`*.webhook.office.com`, `outlook.office.com/
webhook`) were retired by Microsoft; `retired_connector` spots them so the user is told
to create a workflow instead of meeting a mysterious failure later.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from iqcadence_desktop.services.automations.delivery.base import Message, SendResult, Target
from iqcadence_desktop.services.automations.delivery.http import DEFAULT_TIMEOUT, post

if TYPE_CHECKING:
    import requests

MAX_LINES = 40
RETIRED_MESSAGE = (
    "This is an Office 365 connector address; Microsoft has retired those webhooks, so "
    'Teams no longer accepts messages sent to it. In Teams, add the workflow "Post to a '
    'channel when a webhook request is received" to the channel and paste the address '
    "that workflow gives you."
)
_COLORS = {"critical": "Attention", "warning": "Warning", "info": "Accent"}


def retired_connector(url: str) -> bool:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path.lower()
    if host.endswith(".webhook.office.com") or host == "webhook.office.com":
        return True
    return host in ("outlook.office.com", "outlook.office365.com") and path.startswith("/webhook")


def render(message: Message, target: Target) -> dict[str, Any]:
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "size": "Medium",
            "weight": "Bolder",
            "wrap": True,
            "color": _COLORS.get(message.severity, "Default"),
        },
        {"type": "TextBlock", "text": message.summary, "wrap": True},
    ]
    if message.facts:
        body.append(
            {"type": "FactSet", "facts": [{"title": k, "value": v} for k, v in message.facts]}
        )
    lines = list(message.lines[:MAX_LINES])
    if len(message.lines) > MAX_LINES:
        lines.append(f"…and {len(message.lines) - MAX_LINES:,} more")
    body.extend({"type": "TextBlock", "text": f"- {line}", "wrap": True} for line in lines)
    if message.footer:
        body.append(
            {"type": "TextBlock", "text": message.footer, "isSubtle": True, "size": "Small"}
        )
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    return {
        "payload": {
            "type": "message",
            "attachments": [
                {
                    "contentType": "application/vnd.microsoft.card.adaptive",
                    "contentUrl": None,
                    "content": card,
                }
            ],
        }
    }


def send(
    body: dict[str, Any],
    target: Target,
    session: requests.Session,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> SendResult:
    from iqcadence_desktop.services.automations.delivery.base import dead

    if retired_connector(target.url or ""):
        return dead(RETIRED_MESSAGE)
    data = json.dumps(body["payload"], ensure_ascii=False).encode("utf-8")
    return post(session, target.url or "", data, {"Content-Type": "application/json"}, timeout)
