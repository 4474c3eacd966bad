"""Run every benchmark in turn: `python -m bench [--smoke]`."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

#: Benchmark modules under bench/, run in this order (each is `python -m bench.<name>`).
BENCHMARKS: tuple[str, ...] = (
    "rescore",
    "startup",
    "import",
    "cli",
    "alerts",
    "reports",
    "table",
    "integrations",
    "analytics",
    "churn",
    "automations",
    "team",
)


def main(argv: list[str]) -> int:
    failed = []
    for name in BENCHMARKS:
        importlib.util.find_spec(f"bench.{name}")  # fail early on a typo
        code = subprocess.call([sys.executable, "-m", f"bench.{name}", *argv])
        if code:
            failed.append(name)
    if failed:
        print("benchmarks that failed to run: " + ", ".join(failed), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
