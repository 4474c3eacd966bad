"""Every benchmark still runs (tiny sizes; CI does not time anything)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.__main__ import BENCHMARKS

ROOT = Path(__file__).resolve().parents[1]


#: Benchmarks that need a PostgreSQL server run in make test-postgres (see below).
NEEDS_SERVER = ("team",)


@pytest.mark.slow
@pytest.mark.parametrize("name", [b for b in BENCHMARKS if b not in NEEDS_SERVER])
def test_benchmark_runs_in_smoke_mode(name: str) -> None:
    _smoke(name)


@pytest.mark.slow
@pytest.mark.parametrize("name", NEEDS_SERVER)
def test_server_benchmark_runs_in_smoke_mode(name: str, pg_server: str | None) -> None:
    if pg_server is None:
        pytest.skip("needs PostgreSQL (make test-postgres)")
    _smoke(name, "--pg-url", pg_server)


def _smoke(name: str, *extra: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--smoke", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert "median" in result.stdout
