"""Channels: Slack, Teams, email and signed webhooks, each rendering a `Message` into the
body the outbox stores and sending that body once per attempt.
"""

from __future__ import annotations

from typing import Any

from iqcadence_desktop.services.automations.delivery import email, slack, teams, webhook
from iqcadence_desktop.services.automations.delivery.base import (
    AttachmentRenderer,
    Message,
    SendResult,
    Target,
)
from iqcadence_desktop.services.automations.delivery.http import make_session
from iqcadence_desktop.services.automations.delivery.teams import RETIRED_MESSAGE, retired_connector
from iqcadence_desktop.services.automations.delivery.webhook import sign


def render(message: Message, target: Target, to: tuple[str, ...] = ()) -> dict[str, Any]:
    """The body to store in the outbox for this connection."""
    if target.kind == "email":
        return email.render(message, target, to)
    renderer = {"slack": slack.render, "teams": teams.render, "webhook": webhook.render}
    return renderer[target.kind](message, target)


__all__ = [
    "RETIRED_MESSAGE",
    "AttachmentRenderer",
    "Message",
    "SendResult",
    "Target",
    "email",
    "make_session",
    "render",
    "retired_connector",
    "sign",
    "slack",
    "teams",
    "webhook",
]
