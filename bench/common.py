"""Timing helpers shared by the benchmarks: medians, ratios and a uniform report."""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--smoke", action="store_true", help="tiny sizes, one run: checks it works")
    p.add_argument("--runs", type=int, default=5, help="timed runs per case (median reported)")
    p.add_argument("--json", action="store_true", help="print results as JSON")
    return p


def measure(
    fn: Callable[[], Any], runs: int, setup: Callable[[], Any] | None = None, warmup: bool = True
) -> list[float]:
    """Seconds per run of `fn` (setup untimed before each run)."""
    times = []
    for i in range(runs + (1 if warmup else 0)):
        if setup is not None:
            setup()
        gc.collect()
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        if not (warmup and i == 0):
            times.append(elapsed)
    return times


Case = tuple[Callable[[], Any], Callable[[], Any] | None]


def measure_rounds(cases: dict[str, Case], runs: int) -> dict[str, list[float]]:
    """Seconds per run of each case, taking turns (one run of each per round, after an
    untimed warm-up round): a machine that speeds up or slows down during the benchmark
    then moves every case alike and the ratios between them stay fair."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for round_no in range(runs + 1):
        for name, (fn, setup) in cases.items():
            elapsed = measure(fn, 1, setup, warmup=False)[0]
            if round_no:
                times[name].append(elapsed)
    return times


@dataclass
class Report:
    """Collects cases and prints medians, ratios and whether each target holds."""

    title: str
    cases: dict[str, list[float]] = field(default_factory=dict)
    checks: list[tuple[str, float, float, bool]] = field(default_factory=list)

    def add(self, name: str, times: list[float]) -> float:
        self.cases[name] = times
        return statistics.median(times)

    def median(self, name: str) -> float:
        return statistics.median(self.cases[name])

    def ratio(self, ours: str, baseline: str, target: float) -> float:
        value = self.median(ours) / self.median(baseline)
        self.checks.append((f"{ours} / {baseline}", value, target, value <= target))
        return value

    def limit(self, name: str, seconds: float) -> None:
        value = self.median(name)
        self.checks.append((f"{name} (s)", value, seconds, value <= seconds))

    def print(self, as_json: bool = False) -> None:
        if as_json:
            json.dump(
                {
                    "title": self.title,
                    "cases": self.cases,
                    "checks": [
                        dict(zip(("check", "value", "target", "ok"), c, strict=True))
                        for c in self.checks
                    ],
                },
                sys.stdout,
                indent=2,
            )
            print()
            return
        print(f"== {self.title}")
        for name, times in self.cases.items():
            print(
                f"  {name:<44} median {statistics.median(times) * 1000:9.1f} ms  "
                f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}, n={len(times)})"
            )
        for check, value, target, ok in self.checks:
            sign = "≥" if "≥" in check else "≤"  # a rate is a floor; times and ratios ceilings
            mark = "OK  " if ok else "MISS"
            print(f"  {mark} {check:<44} {value:8.3f}  (target {sign} {target})")
