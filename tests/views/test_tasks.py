"""The task helper: owner-bound callbacks, two lanes, and a window closed mid-render."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from pytestqt.qtbot import QtBot

from iqcadence_desktop.app import install_crash_handler
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.customer_detail.window import CustomerDetailWindow
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import CancelToken, Lane, TaskRunner

WAIT_S = 20


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.wait()


def _delete_now(obj: QObject) -> None:
    obj.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_callbacks_of_a_destroyed_owner_never_run(qtbot: QtBot, runner: TaskRunner) -> None:
    release, seen = threading.Event(), []
    owner = QObject()
    token = runner.run(
        lambda t: release.wait(WAIT_S) and "done",
        owner=owner,
        on_success=seen.append,
        on_error=seen.append,
    )
    _delete_now(owner)
    assert token.cancelled(), "destroying the owner cancels its task"
    release.set()
    assert runner.wait()
    qtbot.wait(50)  # let the queued result arrive
    assert seen == []


def test_callbacks_run_while_the_owner_lives(qtbot: QtBot, runner: TaskRunner) -> None:
    owner, seen = QObject(), []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: not busy):
        runner.run(lambda _t: 42, owner=owner, on_success=seen.append)
    assert seen == [42]


def test_a_page_load_is_not_queued_behind_a_long_write(qtbot: QtBot, runner: TaskRunner) -> None:
    release, loaded = threading.Event(), []
    owner = QObject()
    runner.run(lambda _t: release.wait(WAIT_S), owner=owner)  # a long rescore, say
    runner.run(lambda _t: "page", owner=owner, lane=Lane.READ, on_success=loaded.append)
    qtbot.waitUntil(lambda: loaded == ["page"], timeout=5000)
    release.set()


def test_write_lane_keeps_order(qtbot: QtBot, runner: TaskRunner) -> None:
    order: list[int] = []
    owner = QObject()
    for i in range(5):
        runner.run(lambda _t, i=i: order.append(i), owner=owner)
    assert runner.wait()
    assert order == [0, 1, 2, 3, 4]


def test_closing_the_customer_window_mid_render_reaches_no_crash_handler(
    qtbot: QtBot, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashes: list[tuple[str, str]] = []
    saved_hook = sys.excepthook
    install_crash_handler(tmp_path / "app.log", alert=lambda t, m: crashes.append((t, m)))
    uncaught: list[BaseException] = []
    hook = sys.excepthook

    def recording_hook(k: type[BaseException], e: BaseException, tb: TracebackType | None) -> None:
        uncaught.append(e)
        hook(k, e, tb)

    sys.excepthook = recording_hook
    started, release = threading.Event(), threading.Event()
    real_render = services.reports.render

    def slow_render(*args: object, **kwargs: object) -> object:
        started.set()
        release.wait(WAIT_S)
        return real_render(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services.reports, "render", slow_render)
    cid = services.customers.create({"name": "Acme", "logins": 12, "nps": 9}).id
    runner, bridge = TaskRunner(), EventBridge(services.events)
    try:
        window = CustomerDetailWindow(PageContext(services, runner, bridge), cid)
        window.show()
        window.qbr.choose_path = lambda: tmp_path / "qbr.pdf"  # type: ignore[method-assign]
        window.qbr.button.click()
        assert started.wait(WAIT_S), "the render started in the background"
        window.close()  # WA_DeleteOnClose: deleted on the next turn of the loop
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(window)
        release.set()
        assert runner.wait()
        qtbot.wait(100)  # the queued "rendered" signal is delivered (and dropped)
    finally:
        release.set()
        runner.wait()
        bridge.detach()
        sys.excepthook = saved_hook
    assert (tmp_path / "qbr.pdf").exists(), "the PDF is still written"
    assert crashes == [] and uncaught == []


def test_cancel_token_reports_progress_to_its_callback() -> None:
    token, seen = CancelToken(), []
    token.progress = lambda d, t: seen.append((d, t))
    token.progress(1, 2)
    assert seen == [(1, 2)] and not token.cancelled()
