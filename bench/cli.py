"""The CLI as a user runs it: whole processes, each beside its raw `sqlite3` floor.

Three cases, each timed from spawning the process to its exit, the cases taking turns
round by round, best of N (and the median, for reference):

- `iqcadence-cli rescore` over N customers, against `python -m bench.raw_rescore` (a
  standard-library script doing the same reads and writes: scores, snapshots, rollup);
- `iqcadence-cli import` of an N-row CSV into an existing database, against the
  like-for-like floor of bench/import.py run as its own process (the same rows into the
  same tables and indexes);
- `iqcadence-cli --help`, the start-up every command pays, against a bare interpreter.

Targets: rescore and import ≤ 2.0× their floor; `--help` ≤ 0.3 s.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import Report, parser

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 26)
_SCRIPT = Path(sys.executable).with_name("iqcadence-cli")
#: The installed console script, as a user runs it (else the same entry point by hand).
CLI = (
    [str(_SCRIPT)]
    if _SCRIPT.exists()
    else [
        sys.executable,
        "-c",
        "import sys; from iqcadence_desktop.cli import main; sys.exit(main())",
    ]
)
IMPORT_FLOOR = (
    "import importlib, sys; from pathlib import Path; "
    "importlib.import_module('bench.import').floor(Path(sys.argv[1]), Path(sys.argv[2]))"
)


def _env(home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "IQCADENCE_DATA_DIR": str(home / "iqcadence"),
        "PYTHONPATH": str(ROOT),
    }


def whole_process(args: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to exit; a failing process stops the benchmark with its stderr."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[:6])} … failed ({done.returncode}):\n{done.stderr}")
    return elapsed


def copy_db(template: Path, target: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(template, target)


Case = tuple[list[str], Callable[[], None]]


def take_turns(cases: dict[str, Case], runs: int, env: dict[str, str]) -> dict[str, list[float]]:
    """One untimed warm-up round, then `runs` rounds of every case in turn."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_no in range(runs + 1):
        for name, (args, setup) in cases.items():
            setup()
            elapsed = whole_process(args, env)
            if round_no:
                times[name].append(elapsed)
    return times


def build(work: Path, n: int) -> tuple[Path, Path, Path]:
    """(a portfolio of n customers, an empty migrated database, an n-row CSV)."""
    from bench.rescore import build_template
    from iqcadence_desktop.models.db import open_database

    portfolio, empty = work / "portfolio.sqlite3", work / "empty.sqlite3"
    build_template(portfolio, n)
    open_database(empty).close()
    module = __import__("importlib").import_module("bench.import")
    return portfolio, empty, module.make_csv(work / "customers.csv", n)


def best_ratio(report: Report, ours: str, floor: str, target: float) -> None:
    value = min(report.cases[ours]) / min(report.cases[floor])
    report.checks.append((f"best {ours} / best {floor}", value, target, value <= target))


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    n, runs = (300, 1) if args.smoke else (100_000, max(args.runs, 3))
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    env = _env(work)
    portfolio, empty, csv_path = build(work, n)
    run_db, floor_db = work / "run.sqlite3", work / "floor.sqlite3"
    next_day = (TODAY + dt.timedelta(days=1)).isoformat()
    today = TODAY.isoformat()
    cases: dict[str, Case] = {
        "cli rescore": (
            [*CLI, "--db", str(run_db), "--today", next_day, "rescore"],
            lambda: copy_db(portfolio, run_db),
        ),
        "floor rescore (raw sqlite3 process)": (
            [sys.executable, "-m", "bench.raw_rescore", str(floor_db), next_day],
            lambda: copy_db(portfolio, floor_db),
        ),
        "cli import": (
            [*CLI, "--db", str(run_db), "--today", today, "import", str(csv_path)],
            lambda: copy_db(empty, run_db),
        ),
        "floor import (raw sqlite3 process)": (
            [sys.executable, "-c", IMPORT_FLOOR, str(csv_path), str(floor_db)],
            lambda: copy_db(empty, floor_db),
        ),
        "cli --help": ([*CLI, "--help"], lambda: None),
        "bare interpreter": ([sys.executable, "-c", "pass"], lambda: None),
    }
    report = Report(f"CLI, whole process: {n:,} customers, best of {runs}")
    for name, times in take_turns(cases, runs, env).items():
        report.add(name, times)
    best_ratio(report, "cli rescore", "floor rescore (raw sqlite3 process)", 2.0)
    best_ratio(report, "cli import", "floor import (raw sqlite3 process)", 2.0)
    help_best = min(report.cases["cli --help"])
    report.checks.append(("best cli --help (s)", help_best, 0.3, help_best <= 0.3))
    report.print(args.json)
    if not args.json:
        for name, times in report.cases.items():
            print(f"  best {name:<40} {min(times):7.3f} s (median {statistics.median(times):.3f})")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
