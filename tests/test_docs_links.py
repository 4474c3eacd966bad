"""No link in the repository points outside it (a clone must read whole)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\]\(([^)#\s]+)")


def _tracked(suffix: str) -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", f"*{suffix}"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [ROOT / line for line in out.stdout.splitlines()]


def test_relative_links_resolve_inside_the_repository() -> None:
    broken = []
    for doc in _tracked(".md"):
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            resolved = (doc.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{doc.relative_to(ROOT)} -> {target}")
    assert broken == []


def test_nothing_refers_to_the_shared_folder_outside_the_repository() -> None:
    hits = []
    for path in _tracked(".md") + _tracked(".py") + _tracked(".toml"):
        if path == Path(__file__):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "../shared" in text or "/work/shared" in text:
            hits.append(str(path.relative_to(ROOT)))
    assert hits == []


def test_the_data_folder_variable_moves_everything(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from iqcadence_desktop import paths

    monkeypatch.setenv("IQCADENCE_DATA_DIR", str(tmp_path / "moved"))
    assert paths.default_db_path() == tmp_path / "moved" / "iqcadence.sqlite3"
    assert paths.log_dir() == tmp_path / "moved" / "logs"
    assert "IQCADENCE_DATA_DIR" in (ROOT / "README.md").read_text(encoding="utf-8")
