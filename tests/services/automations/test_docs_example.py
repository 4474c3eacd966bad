"""The receiver example in docs/automations.md really accepts our requests and refuses
altered, replayed and repeated ones."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from iqcadence_desktop.services.automations import AutomationService, sign
from tests.fakes.webhook_receiver import WebhookReceiver

from .conftest import SECRET, webhook

DOC = Path(__file__).resolve().parents[3] / "docs" / "automations.md"
NAMES = ("X-IQcadence-Timestamp", "X-IQcadence-Event-Id", "X-IQcadence-Signature")


def _verify() -> Callable[..., bool]:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert code is not None
    assert len([line for line in code.group(1).splitlines() if line.strip()]) == 10
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)  # noqa: S102 (our own documentation)
    verify: Callable[..., bool] = namespace["verify"]
    return verify


def test_the_documented_receiver_check(
    automations: AutomationService, hook: WebhookReceiver
) -> None:
    verify = _verify()
    assert automations.send_test(webhook(automations, hook.url)).ok
    got = hook.wait_for(1)[0]
    headers = {name: got.headers[name.lower()] for name in NAMES}
    seen: set[str] = set()
    assert verify(SECRET, headers, got.body, seen)
    assert not verify(SECRET, headers, got.body, seen)  # the same event again
    assert not verify(SECRET, headers, got.body.replace(b"test", b"tset"), set())
    assert not verify("another secret", headers, got.body, set())
    old = int(headers[NAMES[0]]) - 3600  # signed correctly, but an hour ago: a replay
    stale = {**headers, NAMES[0]: str(old), NAMES[2]: sign(SECRET, old, got.body)}
    assert not verify(SECRET, stale, got.body, set())
