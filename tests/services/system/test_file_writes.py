"""Every file the app writes: whole or not at all, one plain sentence on failure, 0600.

Each writer is tried against a full disk, a read-only folder, a target that is a
folder and a missing parent folder; none may raise anything but a user-facing error or
leave a partial file, a temporary file or an SQLite journal behind.
"""

from __future__ import annotations

import io
import logging
import stat
from collections.abc import Callable
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.logging_setup import setup_logging
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.reports import ReportRequest
from tests.conftest import TODAY
from tests.services.system.disks import full_disk, leftovers, read_only_folder

Writer = Callable[[Services, Path], object]


def _report(fmt: str) -> Writer:
    def write(services: Services, path: Path) -> object:
        return services.reports.render(ReportRequest("portfolio-summary", TODAY), path, fmt)  # type: ignore[arg-type]

    return write


WRITERS: dict[str, tuple[str, Writer]] = {
    "json backup": ("b.json", lambda s, p: s.backups.backup(p)),
    "sqlite copy": ("copy.sqlite3", lambda s, p: s.backups.copy_database(p)),
    "export csv": ("customers.csv", lambda s, p: s.exporter.export(p, "enriched")),
    "bulksheet": ("bulk.csv", lambda s, p: s.exporter.export(p, "bulksheet")),
    "report pdf": ("summary.pdf", _report("pdf")),
    "report csv": ("summary.csv", _report("csv")),
}
#: The binary copy is of the SQLite file itself: not a thing on PostgreSQL.
WRITER_CASES = [
    pytest.param(w, marks=pytest.mark.sqlite_only) if w == "sqlite copy" else w for w in WRITERS
]


@pytest.fixture
def filled(services: Services) -> Services:
    for n in range(30):
        services.customers.create(
            {"name": f"Customer {n:02d} with a longer name", "mrr": "1200", "logins": "7"}
        )
    return services


def _one_sentence(message: str) -> None:
    assert "Traceback" not in message and "Errno" not in message
    assert message.count(". ") == 0 and message.endswith("."), message


@pytest.mark.parametrize("writer", WRITER_CASES)
def test_a_full_disk_leaves_no_partial_file(filled: Services, tmp_path: Path, writer: str) -> None:
    name, write = WRITERS[writer]
    with full_disk(tmp_path) as folder:
        with pytest.raises(UserFacingError, match="is full") as caught:
            write(filled, folder / name)
        _one_sentence(str(caught.value))
        assert leftovers(folder) == []


@pytest.mark.parametrize("writer", WRITER_CASES)
def test_a_read_only_folder_says_so(filled: Services, tmp_path: Path, writer: str) -> None:
    name, write = WRITERS[writer]
    with read_only_folder(tmp_path) as folder:
        with pytest.raises(UserFacingError, match="read-only") as caught:
            write(filled, folder / name)
        _one_sentence(str(caught.value))
        assert leftovers(folder, frozenset()) == []


@pytest.mark.parametrize("writer", WRITER_CASES)
def test_a_folder_as_target_or_a_missing_parent(
    filled: Services, tmp_path: Path, writer: str
) -> None:
    _name, write = WRITERS[writer]
    (tmp_path / "taken").mkdir()
    with pytest.raises(UserFacingError, match="is a folder"):
        write(filled, tmp_path / "taken")
    with pytest.raises(UserFacingError, match="does not exist"):
        write(filled, tmp_path / "nowhere" / "file")
    assert [n for n in leftovers(tmp_path, frozenset()) if not n.startswith("test.sqlite3")] == [
        "taken"
    ]
    assert list((tmp_path / "taken").iterdir()) == []


@pytest.mark.parametrize("writer", WRITER_CASES)
def test_written_files_are_private_and_replace_the_old_one(
    filled: Services, tmp_path: Path, writer: str
) -> None:
    name, write = WRITERS[writer]
    target = tmp_path / "out" / name
    target.parent.mkdir()
    target.write_text("old contents")
    write(filled, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() != b"old contents"
    assert sorted(p.name for p in target.parent.iterdir()) == [name]


def test_the_safety_copy_on_a_full_disk_stops_the_restore(filled: Services, tmp_path: Path) -> None:
    backup = tmp_path / "good.json"
    filled.backups.backup(backup)
    filled.customers.create({"name": "Added after the backup"})
    before = filled.backups.snapshot()["tables"]
    with full_disk(tmp_path) as folder, pytest.raises(UserFacingError, match="is full"):
        filled.backups.restore(backup, folder)
    assert filled.backups.snapshot()["tables"] == before


@pytest.mark.sqlite_only
def test_a_new_database_file_is_private(services: Services, db_path: Path) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_the_log_file_is_private(tmp_path: Path) -> None:
    root = logging.getLogger()
    handlers = list(root.handlers)
    try:
        path = setup_logging(folder=tmp_path)
        logging.getLogger("t").warning("hello")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        for handler in root.handlers[len(handlers) :]:
            handler.close()
        root.handlers[:] = handlers


def test_an_unwritable_log_folder_is_one_sentence_not_a_crash(tmp_path: Path) -> None:
    root = logging.getLogger()
    handlers = list(root.handlers)
    err = io.StringIO()
    try:
        with read_only_folder(tmp_path) as folder, redirect_stderr(err):
            setup_logging(folder=folder)
            assert leftovers(folder, frozenset()) == []
    finally:
        for handler in root.handlers[len(handlers) :]:
            handler.close()
        root.handlers[:] = handlers
    assert "read-only" in err.getvalue() and "Traceback" not in err.getvalue()
