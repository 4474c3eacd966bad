"""Due work while the app is open: a timer starts it, off the GUI thread, with delivery's
writes placed between the write lane's tasks."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop.services.automations import ConnectionInput, RuleDraft, trigger
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.due_work import DueWorkRunner
from iqcadence_desktop.views.tasks import TaskRunner
from tests.fakes.webhook_receiver import WebhookReceiver
from tests.views.conftest import add

T = TypeVar("T")
HEALTHY = {"logins": 30, "adoption": 90, "tickets": 0, "nps": 9}
FAILING = {"logins": 0, "adoption": 5, "tickets": 6, "nps": 2}


@pytest.fixture
def hook() -> Iterator[WebhookReceiver]:
    with WebhookReceiver("s") as receiver:
        yield receiver


@pytest.fixture
def tasks(qapp: object) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def bridge(services: Services, qapp: object) -> Iterator[EventBridge]:
    b = EventBridge(services.events)
    yield b
    b.detach()


def _rule(services: Services, url: str) -> int:
    automations = services.automations
    conn = automations.connections.create(ConnectionInput("Hook", "webhook", url=url, secret="s"))
    automations.rules.create(RuleDraft("Low", (trigger("health_below"),), channel_ids=(conn.id,)))
    cid = add(services, "Drifting", **HEALTHY)
    automations.prepare_due()  # the baseline
    return cid


def test_a_run_prepares_and_delivers_off_the_gui_thread(
    qtbot: QtBot,
    services: Services,
    tasks: TaskRunner,
    bridge: EventBridge,
    hook: WebhookReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    automations = services.automations
    gated: list[str] = []

    def gate(fn: Callable[[], T]) -> T:
        result = tasks.call_on_write_lane(fn)
        gated.append(threading.current_thread().name)
        return result

    services.customers.update(_rule(services, hook.url), FAILING)
    automations.set_write_gate(gate)
    seen: list[bool] = []
    for name in ("prepare_due", "deliver_due"):
        original = getattr(automations, name)

        def spy(*args: Any, original: Any = original) -> Any:
            seen.append(threading.current_thread() is threading.main_thread())
            return original(*args)

        monkeypatch.setattr(automations, name, spy)
    runner = DueWorkRunner(automations, tasks, bridge)
    with qtbot.waitSignal(runner.run_finished, timeout=30000) as done:
        runner.run_now()
    result = done.args[0]
    assert (result.events, result.sent, result.pending) == (1, 1, 0)
    assert seen == [False, False]  # neither half ran on the GUI thread
    assert gated and "MainThread" not in gated
    assert hook.wait_for(1)[0].json["customer"]["name"] == "Drifting"


def test_the_timer_runs_soon_after_a_change(
    qtbot: QtBot, services: Services, tasks: TaskRunner, bridge: EventBridge, hook: WebhookReceiver
) -> None:
    cid = _rule(services, hook.url)
    runner = DueWorkRunner(services.automations, tasks, bridge)
    with qtbot.waitSignal(runner.run_finished, timeout=30000):
        runner.start()  # a first run shortly after start-up
    with qtbot.waitSignal(runner.run_finished, timeout=30000) as done:
        services.customers.update(cid, FAILING)
    runner.stop()
    assert done.args[0].sent == 1


def test_an_idle_runner_ignores_changes(
    qtbot: QtBot, services: Services, tasks: TaskRunner, bridge: EventBridge, hook: WebhookReceiver
) -> None:
    cid = _rule(services, hook.url)
    runner = DueWorkRunner(services.automations, tasks, bridge)  # never started
    with qtbot.assertNotEmitted(runner.run_finished, wait=4000):
        services.customers.update(cid, FAILING)
    assert hook.received == []
