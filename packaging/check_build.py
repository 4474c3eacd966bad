"""Check a frozen one-folder build (or the Linux tarball made from it); used by `make package`.

    python packaging/check_build.py dist/iqcadence [--runs 3] [--report FILE]
    python packaging/check_build.py --tarball dist/iqcadence-0.1.0-linux-x86_64.tar.gz

It runs the frozen `iqcadence self-test` offscreen on a temporary database with a throwaway
HOME, fails on a non-zero exit, a failed summary or any unexpected line on stderr, checks
that every library a bundled file needs is bundled or a known system library, and measures
the budgets: folder size and the time from process start to the first window shown.
Exit status 0 only when everything holds. Standard library only (runs under any python3).
"""

from __future__ import annotations

import argparse
import configparser
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

EXE = "iqcadence"
#: Size budget in MiB, the unit `du -sh` and file managers show (200 MiB = 209.7 MB).
MAX_MIB = 200.0
MAX_START_S = 2.5
#: stderr lines that are not problems (the offscreen plugin cannot size native windows).
ALLOWED_STDERR = ("This plugin does not support propagateSizeHints()",)
#: Libraries the target system provides; never bundled on purpose (see packaging/README.md).
SYSTEM_LIBS = (
    "libc.so",
    "libm.so",
    "libdl.so",
    "libpthread.so",
    "librt.so",
    "libutil.so",
    "ld-linux",
    "libxcb.so.1",
    "libGL.so",
    "libEGL.so",
    "libGLX.so",
    "libOpenGL.so",
    "libwayland-",
    "libvulkan.so",
    "libresolv.so",
)
DESKTOP_KEYS = {
    "Type": "Application",
    "Name": "iQcadence",
    "Exec": "iqcadence",
    "Icon": "iqcadence",
}


def folder_size(folder: Path) -> int:
    """Bytes of every file, symlinks counted as links (what a tarball or dmg carries)."""
    return sum(
        entry.lstat().st_size
        for entry in folder.rglob("*")
        if not entry.is_dir() or entry.is_symlink()
    )


def biggest(folder: Path, count: int = 8) -> list[tuple[str, float]]:
    inner = folder / "_internal"
    sizes = [(p.name, folder_size(p) if p.is_dir() else p.lstat().st_size) for p in inner.iterdir()]
    return [
        (name, round(size / 1e6, 1)) for name, size in sorted(sizes, key=lambda s: -s[1])[:count]
    ]


def _needed(path: Path) -> list[str]:
    out = subprocess.run(
        ["objdump", "-p", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return [line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")]


def missing_libraries(folder: Path) -> list[str]:
    """`file needs lib` for each needed library that is neither bundled nor a system one."""
    if not sys.platform.startswith("linux"):
        return []
    files = [p for p in folder.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    files.append(folder / EXE)
    bundled = {p.name for p in folder.rglob("*.so*")}
    problems = []
    for path in files:
        for lib in _needed(path):
            if lib not in bundled and not lib.startswith(SYSTEM_LIBS):
                problems.append(f"{path.relative_to(folder)} needs {lib}")
    return problems


def _unexpected(stderr: str) -> list[str]:
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(ok in line for ok in ALLOWED_STDERR)
    ]


def run_selftest(folder: Path, home: Path, extra: list[str], shots: Path | None) -> dict:
    """One frozen self-test run with HOME in `home`; its database lives there too, so the
    first run starts cold (creates and migrates it) and later runs start warm, like a
    user's everyday start. Returns the summary, wall time and problems."""
    report = home / "report.json"
    report.unlink(missing_ok=True)
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "IQCADENCE_DATA_DIR": str(home / "iqcadence"),
    }
    env.pop("IQCADENCE_DB", None)
    args = [
        str(folder / EXE),
        "self-test",
        "--json",
        "--report",
        str(report),
        "--database",
        str(home / "selftest.sqlite3"),
        *extra,
    ]
    if shots is not None:
        args += ["--screenshots", str(shots)]
    t0 = time.perf_counter()
    done = subprocess.run(
        args, capture_output=True, text=True, env=env, timeout=300, check=False, cwd=home
    )
    wall = time.perf_counter() - t0
    summary = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    problems = [f"stderr: {line}" for line in _unexpected(done.stderr)]
    if done.returncode != 0 or not summary.get("ok"):
        failed = [
            f"{c['name']}: {c['detail']}"
            for c in summary.get("checks", [])
            if c["status"] == "failed"
        ]
        problems.append(
            f"self-test exit {done.returncode}; failed checks {failed}; problems "
            f"{summary.get('problems')}"
            if summary
            else f"self-test exit {done.returncode} without a report:\n"
            f"{done.stdout[-1500:]}{done.stderr[-1500:]}"
        )
    return {"summary": summary, "wall_s": round(wall, 3), "problems": problems}


def check_folder(
    folder: Path, runs: int, extra: list[str], shots: Path | None, timed: bool = True
) -> dict:
    """One cold run, then `runs` warm ones (the start-up budget is the warm median)."""
    folder = folder.resolve()
    if not (folder / EXE).is_file():
        return {"problems": [f"{folder / EXE} does not exist: build with `make package`"]}
    with tempfile.TemporaryDirectory(prefix="iqcadence-check-") as tmp:
        results = [
            run_selftest(folder, Path(tmp), extra, shots if i == 0 else None)
            for i in range(runs + 1)
        ]
    starts = [r["summary"].get("first_window_s") for r in results]
    warm = [s for s in starts[1:] if s is not None]
    size = folder_size(folder)
    result = {
        "folder": str(folder),
        "size_mb": round(size / 1e6, 1),
        "size_mib": round(size / 2**20, 1),
        "biggest_mb": biggest(folder),
        "first_window_cold_s": starts[0],
        "first_window_warm_s": warm,
        "first_window_warm_median_s": round(statistics.median(warm), 3) if warm else None,
        "selftest_wall_s": [r["wall_s"] for r in results],
        "pages": [p["id"] for p in results[0]["summary"].get("pages", [])],
        "checks": results[0]["summary"].get("checks", []),
        "problems": [p for r in results for p in r["problems"]] + missing_libraries(folder),
    }
    _budgets(result, timed)
    return result


def _budgets(result: dict, timed: bool) -> None:
    """The size budget is strict: a folder over it is a failed build (every dependency
    added later has to fit). The start-time budget is a measured fact, kept apart from
    defects on a busy build machine (it fails only with `--strict-budgets`)."""
    misses = result.setdefault("budget_misses", [])
    if result["size_mib"] > MAX_MIB:
        result.setdefault("problems", []).append(
            f"one-folder size {result['size_mib']} MiB is over the {MAX_MIB:.0f} MiB budget"
        )
    median = result["first_window_warm_median_s"]
    if timed and (median is None or median > MAX_START_S):
        misses.append(
            f"start to first window {median} s (warm median) is over the {MAX_START_S} s budget"
        )


def check_desktop_file(path: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    if not parser.has_section("Desktop Entry"):
        return [f"{path.name}: no [Desktop Entry] section"]
    entry = parser["Desktop Entry"]
    return [
        f"{path.name}: {key}={entry.get(key)!r}, expected {value!r}"
        for key, value in DESKTOP_KEYS.items()
        if entry.get(key) != value
    ]


def check_tarball(tarball: Path, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="iqcadence-tar-") as tmp:
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="tar")  # keeps symlinks and the executable bit
        tops = list(Path(tmp).iterdir())
        if len(tops) != 1:
            return {"problems": [f"{tarball.name} should hold one folder, not {tops}"]}
        top = tops[0]
        problems = [
            f"{tarball.name} lacks {name}"
            for name in (f"{EXE}/{EXE}", "iqcadence.desktop", "iqcadence.png", "install.sh")
            if not (top / name).exists()
        ]
        if (top / "iqcadence.desktop").exists():
            problems += check_desktop_file(top / "iqcadence.desktop")
        # The same binary was timed in the folder check; one warm run is no measurement.
        result = check_folder(top / EXE, 1, extra, None, timed=False)
        result["problems"] = problems + result["problems"]
        result["tarball_mb"] = round(tarball.stat().st_size / 1e6, 1)
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="the one-folder build")
    parser.add_argument("--tarball", type=Path, help="check this Linux tarball instead")
    parser.add_argument(
        "--runs", type=int, default=3, help="warm self-test runs after the cold one (timing median)"
    )
    parser.add_argument("--screenshots", type=Path, help="keep the first run's page PNGs here")
    parser.add_argument("--report", type=Path, help="write the result as JSON here")
    parser.add_argument("--selftest-args", default="", help="extra self-test arguments")
    parser.add_argument(
        "--strict-budgets",
        action="store_true",
        help="fail when the size or start-time budget is missed (by default "
        "a miss is reported but only a broken build fails)",
    )
    args = parser.parse_args(argv)
    extra = args.selftest_args.split()
    if args.tarball is not None:
        result = check_tarball(args.tarball, extra)
    elif args.folder is not None:
        result = check_folder(args.folder, args.runs, extra, args.screenshots)
    else:
        parser.error("give the build folder or --tarball FILE")
    if args.report is not None:
        args.report.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return _print(result, args.strict_budgets)


def _print(result: dict, strict_budgets: bool = False) -> int:
    if "size_mib" in result:
        print(
            f"Package size: {result['size_mib']} MiB ({result['size_mb']} MB); "
            f"budget {MAX_MIB:.0f} MiB, {MAX_MIB - result['size_mib']:.1f} MiB to spare"
        )
    for key in (
        "folder",
        "size_mb",
        "size_mib",
        "tarball_mb",
        "first_window_cold_s",
        "first_window_warm_s",
        "first_window_warm_median_s",
        "selftest_wall_s",
        "pages",
        "biggest_mb",
    ):
        if key in result:
            print(f"{key}: {result[key]}")
    for check in result.get("checks", []):
        print(f"check {check['name']}: {check['status']} {check['detail']}")
    for problem in result["problems"]:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    misses = result.get("budget_misses", [])
    for miss in misses:
        print(f"BUDGET MISS: {miss}", file=sys.stderr)
    failed = bool(result["problems"]) or (strict_budgets and bool(misses))
    print(
        "Build check FAILED."
        if failed
        else "Build check passed" + (" (with budget misses above)." if misses else ".")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
