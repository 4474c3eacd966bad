"""Import benchmark: 100k-row CSV with every S1 column, end to end through the service.

Side by side in one run, the cases taking turns round by round: the floor (`csv` +
`sqlite3.executemany` writing the same rows into the same tables the service writes:
customers, customer_tags, score_snapshots, with their indexes), the old bare-table floor
for reference, a re-import with half the rows changed, the pandas read-score-`to_sql`
script an analyst would write (when pandas is installed), and the service's peak memory
(measured in a subprocess)."""

from __future__ import annotations

import csv
import datetime as dt
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Report, measure, measure_rounds, parser

TODAY = dt.date(2026, 11, 26)
HEADER = (
    "name",
    "manager",
    "mrr",
    "arr",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "days_since_contact",
    "renewal_date",
    "growth_signal",
    "tier",
    "tags",
    "lifecycle",
    "customer_since",
    "next_touch",
    "sentiment",
    "note",
)


def make_row(i: int, rng: random.Random, bump: int = 0) -> list[object]:
    mrr = rng.randint(50, 50_000) + bump
    return [
        f"Account {i:06d}",
        f"CSM {i % 40}",
        mrr,
        mrr * 12,
        rng.randint(0, 60),
        round(rng.uniform(0, 100), 1),
        rng.randint(0, 8),
        rng.randint(0, 10),
        rng.randint(1, 5),
        rng.randint(0, 200),
        (TODAY + dt.timedelta(days=rng.randint(1, 700))).isoformat(),
        rng.choice(("strong", "mild", "none", "n/a")),
        rng.choice(("enterprise", "mid", "smb")),
        rng.choice(("beta|emea", "apac", "")),
        rng.choice(("onboarding", "active", "won")),
        (TODAY - dt.timedelta(days=rng.randint(30, 2000))).isoformat(),
        (TODAY + dt.timedelta(days=rng.randint(1, 60))).isoformat(),
        rng.choice(("positive", "neutral", "negative")),
        f"note {i}",
    ]


def make_csv(path: Path, rows: int, seed: int = 1, change_every: int = 0) -> Path:
    """A CSV of `rows` customers; `change_every=2` changes every second row's MRR."""
    rng = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            bump = 1 if change_every and i % change_every == 0 else 0
            writer.writerow(make_row(i, rng, bump))
    return path


def _connect(db_path: Path) -> sqlite3.Connection:
    """The app's own connection settings (models/db.py): WAL, synchronous=NORMAL and
    foreign keys enforced, as the schema's constraints require of any writer."""
    con = sqlite3.connect(db_path)
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    return con


def floor_bare(csv_path: Path, db_path: Path) -> None:
    """For reference only: the rows as text into a bare table (no schema, no indexes)."""
    con = _connect(db_path)
    con.execute("DROP TABLE IF EXISTS raw")
    con.execute(f"CREATE TABLE raw ({', '.join(f'c{i}' for i in range(len(HEADER)))})")
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        marks = ",".join("?" * len(HEADER))
        con.executemany(f"INSERT INTO raw VALUES ({marks})", reader)
    con.commit()
    con.close()


_CUSTOMER_COLUMNS = (
    "name",
    "name_key",
    "manager",
    "mrr_cents",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "last_contact_date",
    "renewal_date",
    "growth_signal",
    "tier",
    "lifecycle",
    "customer_since",
    "next_touch",
    "sentiment",
    "note",
    "status",
    "coverage",
    "scored_day",
    "created_at",
    "updated_at",
)
_SNAPSHOT_COLUMNS = (
    "customer_id",
    "day",
    "score",
    "status",
    "coverage",
    "logins_30d",
    "feature_adoption_pct",
    "open_tickets",
    "nps",
    "csat",
    "days_since_contact",
    "growth_signal",
    "mrr_cents",
)


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def floor(csv_path: Path, db_path: Path) -> None:
    """Like for like: the least an importer must do to write the same rows into the same
    schema as the service: the real `customers` table (its unique name index and other
    indexes), the tag rows and one score snapshot per customer, in one transaction, with
    the cheapest conversions that schema needs (cents, folded name, contact date from
    days, timestamps). No validation, no scoring, no rollup, no audit entry."""
    con = _connect(db_path)
    stamp, day = "2026-11-26 12:00:00.000000", TODAY.toordinal()
    contact = {d: (TODAY - dt.timedelta(days=d)).isoformat() for d in range(0, 201)}
    with csv_path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    customers = [
        (
            r[0],
            r[0].casefold(),
            r[1],
            int(r[2]) * 100,
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            contact[int(r[9])],
            r[10],
            r[11],
            r[12],
            r[14],
            r[15],
            r[16],
            r[17],
            r[18],
            "unscored",
            0.0,
            day,
            stamp,
            stamp,
        )
        for r in rows
    ]
    con.executemany(_insert_sql("customers", _CUSTOMER_COLUMNS), customers)
    ids = [i for (i,) in con.execute("SELECT id FROM customers ORDER BY id")]  # file order
    con.executemany(
        _insert_sql("customer_tags", ("customer_id", "tag")),
        [(i, t) for i, r in zip(ids, rows, strict=True) for t in r[13].split("|") if t],
    )
    con.executemany(
        _insert_sql("score_snapshots", _SNAPSHOT_COLUMNS),
        [
            (i, day, None, "unscored", 0.0, c[4], c[5], c[6], c[7], c[8], r[9], c[11], c[3])
            for i, r, c in zip(ids, rows, customers, strict=True)
        ],
    )
    con.commit()
    con.close()


def pandas_script(csv_path: Path, db_path: Path) -> None:
    import pandas as pd  # only when installed; never a dependency

    frame = pd.read_csv(csv_path)
    frame["score"] = (
        frame["logins_30d"].clip(upper=30) / 30 * 25
        + frame["feature_adoption_pct"] * 0.25
        + (1 - frame["open_tickets"] / 5).clip(lower=0) * 20
        + frame["nps"].map(lambda n: 100 if n >= 9 else 50 if n >= 7 else 0) * 0.15
        + (1 - frame["days_since_contact"] / 180).clip(lower=0) * 10
    )
    con = sqlite3.connect(db_path)
    frame.to_sql("customers", con, if_exists="replace", index=False)
    con.close()


def service_import(csv_path: Path, db_path: Path) -> None:
    from iqcadence_desktop.models.db import open_database
    from iqcadence_desktop.services.container import build_services
    from iqcadence_desktop.services.system.clock import FixedClock

    db = open_database(db_path)
    try:
        result = build_services(db, FixedClock(TODAY)).importer.run(csv_path)
        assert not result.errors, result.errors[:3]
    finally:
        db.close()


def fresh_db(path: Path, template: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    shutil.copy(template, path)


def peak_memory_mib(csv_path: Path, db_path: Path) -> float:
    code = (
        "import sys; from pathlib import Path; import importlib; "
        "m = importlib.import_module('bench.import'); "
        "m.service_import(Path(sys.argv[1]), Path(sys.argv[2])); "
        # VmHWM: this program's own peak (ru_maxrss would add the forking parent's).
        "print(next(int(l.split()[1]) for l in open('/proc/self/status') "
        "if l.startswith('VmHWM:')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(csv_path), str(db_path)],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    return int(out.stdout.split()[-1]) / 1024  # Linux reports KiB


FLOOR = "floor, like for like (same tables)"
BARE = "floor, bare table (reference only)"
NEW, AGAIN = "service import (new database)", "service re-import, half the rows changed"


def main() -> int:
    args = parser(__doc__.splitlines()[0]).parse_args()
    rows, runs = (300, 1) if args.smoke else (100_000, args.runs)
    report = Report(f"CSV import, {rows:,} rows × {len(HEADER)} columns")
    with tempfile.TemporaryDirectory(prefix="iq-bench-import-") as tmp:
        base = Path(tmp)
        src, half = make_csv(base / "a.csv", rows), make_csv(base / "b.csv", rows, change_every=2)
        empty, db, raw = base / "empty.sqlite3", base / "t.sqlite3", base / "raw.sqlite3"
        real = base / "floor.sqlite3"
        from iqcadence_desktop.models.db import open_database

        open_database(empty).close()
        loaded = base / "loaded.sqlite3"
        fresh_db(loaded, empty)
        service_import(src, loaded)
        for name, times in measure_rounds(
            {
                BARE: (lambda: floor_bare(src, raw), None),
                FLOOR: (lambda: floor(src, real), lambda: fresh_db(real, empty)),
                NEW: (lambda: service_import(src, db), lambda: fresh_db(db, empty)),
                AGAIN: (lambda: service_import(half, db), lambda: _copy_loaded(db, loaded)),
            },
            runs,
        ).items():
            report.add(name, times)
        _pandas(report, src, base, runs)
        fresh_db(db, empty)
        mib = peak_memory_mib(src, db)
        report.ratio(NEW, FLOOR, 2.0)
        report.ratio(AGAIN, FLOOR, 2.5)
        report.checks.append(("peak memory of the import process (MiB)", mib, 400, mib <= 400))
    report.print(args.json)
    if not args.json:
        print(
            "  The targets compare with the like-for-like floor: the same rows into the same "
            "tables\n  (customers, customer_tags, score_snapshots) and indexes. For "
            "reference, against the bare table:"
        )
        for name in (NEW, AGAIN):
            print(f"       {name} / bare floor {report.median(name) / report.median(BARE):8.3f}")
    return 0


def _copy_loaded(db: Path, loaded: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    shutil.copy(loaded, db)


def _pandas(report: Report, src: Path, base: Path, runs: int) -> None:
    try:
        import pandas  # noqa: F401
    except ImportError:
        print("  (pandas is not installed: the pandas read-score-to_sql line is skipped)")
        return
    report.add(
        "pandas read_csv + score + to_sql",
        measure(lambda: pandas_script(src, base / "pandas.sqlite3"), runs),
    )


if __name__ == "__main__":
    sys.exit(main())
