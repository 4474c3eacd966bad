"""Start-up: process start → first painted main window, with N customers in the database.

Ours runs the real app code path (`app.build_window`: open and migrate the database,
build the services, assemble the window and its pages) in a fresh offscreen process.
The baseline is the floor: a bare PySide6 QMainWindow with a QTableView over a plain list
of the same N rows read with `sqlite3`. Both are timed from just before the process is
spawned to the moment it reports a painted window (after show + processEvents + grab).
Target: ours ≤ 1.5 s at 10k customers; the ratio is reported.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Report, parser
from bench.rescore import build_template

ROOT = Path(__file__).resolve().parents[1]

OURS = """
import sys
from PySide6.QtWidgets import QApplication
from iqcadence_desktop import app as appmod
qapp = QApplication(sys.argv[:1])
window, cleanup = appmod.build_window(sys.argv[1])
window.resize(1280, 800)
window.show()
qapp.processEvents()
window.grab()
print("painted", flush=True)
cleanup()
"""

BASELINE = """
import sqlite3, sys
from PySide6.QtCore import QAbstractTableModel, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView
HEADERS = ("Name", "Score", "Status", "Manager", "Tier", "MRR", "Renewal", "Lifecycle",
           "Coverage")
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute("SELECT name, score, status, manager, tier, mrr_cents, renewal_date, "
                    "lifecycle, coverage FROM customers WHERE deleted_at IS NULL "
                    "ORDER BY name").fetchall()

class Model(QAbstractTableModel):
    def rowCount(self, parent=None):
        return len(rows)
    def columnCount(self, parent=None):
        return len(HEADERS)
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return str(rows[index.row()][index.column()])
        return None
    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return HEADERS[section]
        return None

qapp = QApplication(sys.argv[:1])
window = QMainWindow()
view = QTableView()
model = Model()
view.setModel(model)
window.setCentralWidget(view)
window.resize(1280, 800)
window.show()
qapp.processEvents()
window.grab()
print("painted", flush=True)
"""


def time_to_paint(script: str, db: Path, env: dict[str, str]) -> float:
    """Seconds from spawning the process to its 'painted' line (exit not timed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - start
    _, err = proc.communicate(timeout=120)
    if line.strip() != "painted" or proc.returncode != 0:
        raise SystemExit(f"start-up run failed (exit {proc.returncode}):\n{err[-3000:]}")
    return elapsed


def paint_times(script: str, db: Path, env: dict[str, str], runs: int) -> list[float]:
    """Seconds to first paint for `runs` starts, after one untimed warm-up start."""
    time_to_paint(script, db, env)
    return [time_to_paint(script, db, env) for _ in range(runs)]


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    n, runs = (200, 1) if args.smoke else (10_000, args.runs)
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    db = work / "portfolio.sqlite3"
    build_template(db, n)
    # A private home: the app's window state and data folder stay out of the real one.
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(work),
        "XDG_CONFIG_HOME": str(work / "config"),
        "IQCADENCE_DATA_DIR": str(work / "data"),
        "PYTHONPATH": str(ROOT),
    }
    report = Report(f"Start-up to first painted window ({n:,} customers)")
    ours = f"ours: app.build_window, {n:,} customers"
    bare = f"bare QMainWindow + QTableView, {n:,} rows"
    # time_to_paint returns the time to the 'painted' line; `measure` would also count the
    # child's exit (which waits for background work), so its own clock is not used here.
    report.add(ours, paint_times(OURS, db, env, runs))
    report.add(bare, paint_times(BASELINE, db, env, runs))
    report.limit(ours, 1.5)
    report.print(args.json)
    if not args.json:
        print(f"  ratio ours / bare: median {report.median(ours) / report.median(bare):.2f}×")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
