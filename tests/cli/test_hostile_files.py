"""Hostile and unusual input files through `iqcadence-cli import` (and the service).

Each one gets a clear sentence, a non-zero exit, nothing half-imported and no hang.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from iqcadence_desktop.cli import main
from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions

HEADER = "Account\tManager\tMRR\tNPS\n"
ROWS = "Müller GmbH\tSarah Chen\t1200\t9\n東京商事\tAiko Tanaka\t900\t7\n"


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--today", "2026-11-26", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _names(capsys: pytest.CaptureFixture[str], db: Path) -> list[str]:
    code, out, _ = run(capsys, db, "customers", "--json")
    return [c["name"] for c in json.loads(out)] if code == 0 else []


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-16", True), ("utf-16-le", False), ("utf-16-be", False), ("utf-32", True)],
)
def test_utf16_and_utf32_files_import(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, encoding: str, bom: bool
) -> None:
    """Excel's "Unicode Text" is tab-separated UTF-16 with a byte-order mark."""
    path = tmp_path / "unicode.txt"
    path.write_bytes((HEADER + ROWS).encode(encoding))
    if bom:
        assert path.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    db = tmp_path / "t.sqlite3"
    code, out, err = run(capsys, db, "--json", "import", str(path))
    assert code == 0, err
    assert json.loads(out)["created"] == 2
    assert _names(capsys, db) == ["Müller GmbH", "東京商事"]


def test_an_explicit_encoding_is_honoured(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "unicode.csv"
    path.write_bytes((HEADER + ROWS).encode("utf-16"))
    db = tmp_path / "t.sqlite3"
    code, out, err = run(capsys, db, "--json", "import", str(path), "--encoding", "utf-16")
    assert code == 0, err
    assert json.loads(out)["created"] == 2 and json.loads(out)["encoding"] == "utf-16"


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04" + bytes(range(256)) * 8,  # an .xlsx renamed .csv
        bytes(range(256)) * 40,  # any other binary
        b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02\x03" * 500,
    ],
)
def test_real_binary_is_refused_in_one_sentence(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "data.csv"
    path.write_bytes(content)
    code, _, err = run(capsys, tmp_path / "t.sqlite3", "import", str(path))
    assert code == 1 and "this looks like a binary file (xlsx? save it as CSV)" in err
    assert "Traceback" not in err


def test_a_fifo_is_refused_without_hanging(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result: dict[str, object] = {}

    def attempt() -> None:
        result["code"] = main(["--db", str(tmp_path / "t.sqlite3"), "import", str(fifo)])

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():  # unblock the reader so the thread can end, then fail
        with open(fifo, "w") as handle:  # noqa: PTH123
            handle.write("")
        pytest.fail("importing a FIFO hung")
    assert result["code"] == 1
    assert "not a regular file" in capsys.readouterr().err


def test_a_device_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path / "t.sqlite3", "import", "/dev/zero")
    assert code == 1 and "not a regular file" in err


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "is empty"), (b"name,mrr\r\n", "only a header row"), (b"\r\n\r\n  \r\n", "is empty")],
)
def test_empty_and_header_only_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    code, _, err = run(capsys, tmp_path / "t.sqlite3", "import", str(path))
    assert code == 1 and words in err


def _big_file(path: Path, rows: int = 6000) -> None:
    lines = ["name,mrr"] + [f"Account {chr(65 + i % 26)}{i:05d},100" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("how", ["truncated", "deleted"])
def test_a_file_that_changes_mid_import_imports_nothing(
    services: Services, tmp_path: Path, how: str
) -> None:
    path = tmp_path / "big.csv"
    _big_file(path)
    services.customers.create({"name": "Already here"})

    def meddle(done: int, total: int) -> None:
        if done < total and path.exists():
            if how == "deleted":
                path.unlink()
            else:
                with path.open("r+b") as handle:
                    handle.truncate(total // 3)

    with pytest.raises(UserFacingError) as caught:
        services.importer.run(path, ImportOptions(), progress=meddle)
    assert "nothing was imported" in str(caught.value)
    assert ("deleted" in str(caught.value)) == (how == "deleted")
    assert [c.name for c in services.customers.list_customers()] == ["Already here"]


def test_control_characters_are_refused_with_the_row(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        'name,manager,note\r\nGood Co,Ann,"two\r\nlines\tand a tab"\r\n'
        "Bad\x07Bell,Ann,\r\nFine Ltd,Bo\x1bb,\r\nOther,Ann,nul\x00here\r\n",
        newline="",
    )
    db = tmp_path / "t.sqlite3"
    code, out, err = run(capsys, db, "--json", "import", str(path))
    data = json.loads(out)
    problems = {(e["row"], e["column"]) for e in data["errors"]}
    assert problems == {(4, "name"), (5, "manager"), (6, "note")}
    assert all("control character" in e["message"] for e in data["errors"])
    assert data["created"] == 1
    notes = [c["note"] for c in json.loads(run(capsys, db, "customers", "--json")[1])]
    assert notes == ["two\r\nlines\tand a tab"]


def test_formula_like_text_stays_escaped_on_export(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = tmp_path / "t.sqlite3"
    name = '=HYPERLINK("http://x.test")'
    flags = ("--manager", "+cmd", "--mrr", "5", "--logins", "0", "--nps", "1", "--tickets", "9")
    assert run(capsys, db, "score", name, *flags)[0] == 0
    for fmt in ("enriched", "bulksheet"):
        out = tmp_path / f"{fmt}.csv"
        assert run(capsys, db, "export", str(out), "--format", fmt)[0] == 0
        text = out.read_text(encoding="utf-8-sig")
        assert "'=HYPERLINK" in text and "'+cmd" in text
    report = tmp_path / "r.csv"
    assert run(capsys, db, "report", "at-risk", "--out", str(report))[0] == 0
    text = report.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert ",=" not in text and ",+" not in text and "\n=" not in text
