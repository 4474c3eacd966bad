"""`self-test` builds the real window offscreen, visits every page and judges the run."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from iqcadence_desktop import selftest
from iqcadence_desktop.cli import main as cli_main
from iqcadence_desktop.views.main_window import PAGE_CLASSES

# In-process runs start from an empty portfolio (fast); the subprocess run, which takes the
# frozen app's own entry, loads a small sample portfolio like `make package` does.
EMPTY = ["--customers", "0"]
SAMPLE = ["--customers", "60"]


def test_gui_entry_runs_the_self_test_as_a_subprocess(tmp_path: Path) -> None:
    """The same entry the frozen app uses: `iqcadence self-test ...`."""
    shots, report = tmp_path / "shots", tmp_path / "report.json"
    env = {**os.environ, "QT_QPA_PLATFORM": ""}  # empty = unset: the self-test picks offscreen
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "iqcadence_desktop",
            "self-test",
            *SAMPLE,
            "--json",
            "--screenshots",
            str(shots),
            "--size",
            "1280x800",
            "--size",
            "900x700",
            "--report",
            str(report),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    summary = json.loads(done.stdout)
    assert summary == json.loads(report.read_text(encoding="utf-8"))
    assert summary["ok"] and summary["problems"] == []
    assert summary["qt_platform"] == "offscreen"
    assert 0 < summary["first_window_s"] < 30
    visited = [(p["id"], p["size"]) for p in summary["pages"]]
    expected = [(c.PAGE_ID, size) for size in ("1280x800", "900x700") for c in PAGE_CLASSES]
    assert visited == expected
    assert sorted(p.name for p in shots.iterdir()) == sorted(
        Path(s).name for s in summary["screenshots"]
    )
    assert len(summary["screenshots"]) == 2 * len(PAGE_CLASSES) + 1  # + the detail window
    statuses = {c["name"]: c["status"] for c in summary["checks"]}
    assert statuses == {
        "resources": "passed",
        "migrations": "passed",
        "keyring": "passed",
        "reportlab": "passed",
        "chart": "passed",
        "report pdf": "passed",
        "customer detail window": "passed",
    }
    assert "keyring.backends.null.Keyring" in summary["keyring"]["detail"]


@pytest.fixture
def extra_checks() -> Iterator[list[tuple[str, selftest.Check]]]:
    saved = list(selftest.EXTRA_CHECKS)
    yield selftest.EXTRA_CHECKS
    selftest.EXTRA_CHECKS[:] = saved


def _run_in_process(capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict]:
    code = cli_main(["self-test", *EMPTY, "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_a_warning_logged_anywhere_fails_the_run(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], extra_checks: list[tuple[str, selftest.Check]]
) -> None:
    def noisy(run: selftest.SelfTestRun) -> str:
        logging.getLogger("some.page").warning("could not load the chart")
        return "ran"

    extra_checks.append(("noisy page", noisy))
    code, summary = _run_in_process(capsys)
    assert code == 1 and not summary["ok"]
    assert summary["problems"] == ["log WARNING some.page: could not load the chart"]


def test_a_failing_extra_check_fails_the_run_and_sees_the_live_window(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], extra_checks: list[tuple[str, selftest.Check]]
) -> None:
    seen: list[str] = []

    def detail_window(run: selftest.SelfTestRun) -> str:
        seen.append(run.window.current_page().PAGE_ID)
        raise RuntimeError("the detail window did not open")

    extra_checks.append(("customer detail window", detail_window))
    code, summary = _run_in_process(capsys)
    assert code == 1 and seen == [PAGE_CLASSES[-1].PAGE_ID]
    failed = [c for c in summary["checks"] if c["status"] == "failed"]
    assert failed == [
        {
            "name": "customer detail window",
            "status": "failed",
            "detail": "RuntimeError: the detail window did not open",
        }
    ]


def test_a_qt_warning_fails_the_run_but_the_offscreen_notice_does_not(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], extra_checks: list[tuple[str, selftest.Check]]
) -> None:
    from PySide6.QtCore import qWarning

    def qt_noise(run: selftest.SelfTestRun) -> str:
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("QPainter::begin: Paint device returned engine == 0")
        return "ran"

    extra_checks.append(("qt noise", qt_noise))
    code, summary = _run_in_process(capsys)
    assert code == 1
    assert summary["problems"] == [
        "qt QtWarningMsg: QPainter::begin: Paint device returned engine == 0"
    ]


def test_bad_size_is_refused_with_a_clear_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["self-test", "--size", "big"])
    assert exit_info.value.code == 2
    assert "'big' is not a size like 1280x800" in capsys.readouterr().err


def test_database_option_keeps_the_file_for_a_warm_second_start(
    qtbot: QtBot, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    database = tmp_path / "kept.sqlite3"
    for _ in range(2):  # cold (creates and migrates it), then warm on the same file
        code, summary = _run_in_process(capsys, "--database", str(database))
        assert code == 0 and summary["ok"], summary
        assert database.is_file()
