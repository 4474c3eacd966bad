"""A 100 MB file streams: progress keeps coming and memory stays bounded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
ROWS = 10_000
NOTE = 10_000  # characters per note: 10k rows ≈ 100 MB

CHILD = """
import datetime as dt, json, resource, sys
from pathlib import Path
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.container import build_services
db = open_database(Path(sys.argv[2]))
seen = []
result = build_services(db, FixedClock(dt.date(2026, 11, 26))).importer.run(
    Path(sys.argv[1]), progress=lambda done, total: seen.append((done, total)))
db.close()
# VmHWM is this program's own peak: ru_maxrss also counts the pytest process this child
# was forked from (Linux folds the pre-exec memory into it), which fails the test spuriously.
try:
    with open("/proc/self/status") as status:
        peak = next(int(l.split()[1]) for l in status if l.startswith("VmHWM:"))
except OSError:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"created": result.created, "progress": seen, "peak_mib": peak / 1024}))
"""


@pytest.mark.slow
def test_hundred_megabyte_file_streams_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name,mrr,logins,note\n")
        filler = ("lorem ipsum, " * (NOTE // 13 + 1))[:NOTE]
        for i in range(ROWS):
            handle.write(f'Big {i},{i % 900 + 100},{i % 40},"{i} {filler}"\n')
    size = path.stat().st_size
    assert size >= 100_000_000
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(tmp_path / "t.sqlite3")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    report = json.loads(out.stdout)
    assert report["created"] == ROWS
    progress = report["progress"]
    assert len(progress) >= 5 and progress[-1] == [size, size]
    assert [p[0] for p in progress] == sorted(p[0] for p in progress)
    # The file alone is 100 MB; reading it whole (text plus parsed rows) would pass 250 MiB.
    assert report["peak_mib"] < 200, report["peak_mib"]
