"""packaging/check_build.py: the pieces that judge a build, without building one."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_build", ROOT / "packaging" / "check_build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["check_build"] = module
    spec.loader.exec_module(module)
    return module


check_build = _load()


def test_the_shipped_desktop_file_passes_and_a_wrong_one_is_named(tmp_path: Path) -> None:
    assert check_build.check_desktop_file(ROOT / "packaging/linux/iqcadence.desktop") == []
    broken = tmp_path / "iqcadence.desktop"
    broken.write_text(
        "[Desktop Entry]\nType=Application\nName=iQcadence\nExec=iqcadence %F\nIcon=iqcadence\n",
        encoding="utf-8",
    )
    assert check_build.check_desktop_file(broken) == [
        "iqcadence.desktop: Exec='iqcadence %F', expected 'iqcadence'"
    ]


def test_only_the_offscreen_notice_is_allowed_on_stderr() -> None:
    stderr = (
        "This plugin does not support propagateSizeHints()\n\n"
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"\n'
    )
    assert check_build._unexpected(stderr) == [
        'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"'
    ]


def test_size_counts_symlinks_as_links(tmp_path: Path) -> None:
    (tmp_path / "lib.so").write_bytes(b"x" * 1000)
    (tmp_path / "link.so").symlink_to("lib.so")
    size = check_build.folder_size(tmp_path)
    assert 1000 < size < 1100  # the link adds its own few bytes, not another 1000


def test_budgets_name_what_is_over() -> None:
    result: dict = {"size_mib": 200.1, "first_window_warm_median_s": 2.6, "problems": []}
    check_build._budgets(result, timed=True)
    # The size budget is strict: over it is a problem (a failed build), not a miss.
    assert result["problems"] == ["one-folder size 200.1 MiB is over the 200 MiB budget"]
    assert result["budget_misses"] == [
        "start to first window 2.6 s (warm median) is over the 2.5 s budget",
    ]
    untimed: dict = {"size_mib": 150.0, "first_window_warm_median_s": 9.0, "problems": []}
    check_build._budgets(untimed, timed=False)
    assert untimed["budget_misses"] == [] and untimed["problems"] == []


def test_an_oversized_folder_fails_and_the_size_is_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result: dict = {"size_mib": 201.0, "size_mb": 210.8, "first_window_warm_median_s": 1.0}
    check_build._budgets(result, timed=True)
    assert check_build._print(result) == 1
    out = capsys.readouterr()
    assert "Package size: 201.0 MiB (210.8 MB); budget 200 MiB" in out.out
    assert "over the 200 MiB budget" in out.err


def test_budget_misses_fail_only_when_strict(capsys: pytest.CaptureFixture[str]) -> None:
    result = {"problems": [], "budget_misses": ["one-folder size 207.6 MiB is over"]}
    assert check_build._print(result) == 0
    assert check_build._print(result, strict_budgets=True) == 1
    assert check_build._print({"problems": ["self-test failed"]}) == 1
    assert "BUDGET MISS: one-folder size 207.6 MiB" in capsys.readouterr().err
