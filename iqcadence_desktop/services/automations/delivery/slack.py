"""Slack incoming webhooks: a Block Kit message (header, summary, facts, lines, context).

Slack caps a message at 50 blocks, a header at 150 characters and a section at 3,000;
long digests are cut with a line saying how many more there were.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.services.automations.delivery.base import Message, SendResult, Target
from iqcadence_desktop.services.automations.delivery.http import DEFAULT_TIMEOUT, post

if TYPE_CHECKING:
    import requests

MAX_LINES = 40
MAX_FIELDS = 10


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(message: Message, target: Target) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _escape(message.summary)[:3000]}},
    ]
    if message.facts:
        blocks.append(
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": f"*{_escape(k)}*\n{_escape(v)}"}
                    for k, v in message.facts[:MAX_FIELDS]
                ],
            }
        )
    blocks.extend(_line_blocks(message.lines))
    if message.footer:
        blocks.append(
            {"type": "context", "elements": [{"type": "mrkdwn", "text": _escape(message.footer)}]}
        )
    return {"payload": {"text": f"{message.title}: {message.summary}"[:3000], "blocks": blocks}}


def _line_blocks(lines: tuple[str, ...]) -> list[dict[str, Any]]:
    if not lines:
        return []
    shown = [f"• {_escape(line)}" for line in lines[:MAX_LINES]]
    if len(lines) > MAX_LINES:
        shown.append(f"…and {len(lines) - MAX_LINES:,} more")
    chunks: list[str] = []
    for line in shown:  # sections of at most 3,000 characters
        if chunks and len(chunks[-1]) + len(line) + 1 <= 3000:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line[:3000])
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}} for c in chunks]


def send(
    body: dict[str, Any],
    target: Target,
    session: requests.Session,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> SendResult:
    data = json.dumps(body["payload"], ensure_ascii=False).encode("utf-8")
    return post(session, target.url or "", data, {"Content-Type": "application/json"}, timeout)
