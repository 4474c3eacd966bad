"""Automations: rule evaluation over a large portfolio, an idle `run-due` as a whole
process, and draining a queue of webhooks to a local receiver.

Targets (issue 16), each beside a baseline measured in the same run:
* evaluating every rule (the seven S9 event types and two custom rules with two OR
  groups) over 100k customers, transitions included, ≤ 1.0 s — beside a bare Python
  loop applying the same comparisons to the same rows and diffing the same sets;
* `iqcadence-cli run-due` with nothing to do ≤ 0.5 s as a whole process — beside a bare
  `python -c pass` (the floor any command pays);
* 1,000 queued webhooks to a local receiver drain at ≥ 200/s (≤ 5.0 s) — beside a bare
  `requests.Session` posting the same 1,000 bodies one after another.
Loading 100k customers from SQLite and a whole `prepare_due` over them are reported too
(not in a target).
"""

from __future__ import annotations

import datetime as dt
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from bench.alerts import synthetic
from bench.common import Report, measure_rounds, parser
from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.automations import (
    AutomationService,
    ConnectionInput,
    RuleDraft,
    parse_when,
    trigger,
)
from iqcadence_desktop.services.automations.delivery import Message, Target, render
from iqcadence_desktop.services.automations.matching import (
    Columns,
    RuleSpec,
    match_keys,
    pack,
    transitions,
    unpack,
)
from iqcadence_desktop.services.automations.outbox import enqueue, entry_row
from iqcadence_desktop.services.container import Services, build_services
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.system.clock import FixedClock, SystemClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore

DAY = dt.date(2026, 11, 26)
SECRET = "bench-secret"
CLI = "import sys; from iqcadence_desktop.cli import main; sys.exit(main())"
CUSTOM = (
    "tier = enterprise and score_drop_7d >= 15 or status = critical and mrr >= 10000",
    "renewal_days <= 60 and nps <= 6 or days_since_contact >= 30 and logins < 5",
)
EVENTS = (
    ("health_below", 50),
    ("became_at_risk", None),
    ("renewal_within", 30),
    ("no_contact", 14),
    ("nps_detractor", None),
    ("lifecycle_change", None),
    ("score_drop", 15),
)


# -- 1. rule evaluation --------------------------------------------------------------------
def specs() -> list[RuleSpec]:
    events = [RuleSpec((trigger(e, t),), (), None) for e, t in EVENTS]
    return events + [RuleSpec((), parse_when(text), None) for text in CUSTOM]


def yesterday(rows: list[CustomerDTO], seed: int = 2) -> list[CustomerDTO]:
    """The same portfolio one check earlier: ~2% of accounts had better numbers."""
    rng = random.Random(seed)
    out = []
    for c in rows:
        if rng.random() < 0.02 and c.shown_score is not None:
            c = c._replace(shown_score=min(100, c.shown_score + 30), nps=10)
        out.append(c)
    return out


def evaluate(rows: list[CustomerDTO], rules: list[RuleSpec], state: list[str]) -> int:
    """What the engine does per check: match every rule, diff with the stored keys, store."""
    cols = Columns(rows)
    found = 0
    for i, spec in enumerate(rules):
        keys = match_keys(spec, cols)
        found += len(transitions(keys, unpack(state[i]), cols))
        pack(keys)
    return found


def bare_matches(c: CustomerDTO) -> list[tuple[int, int]]:
    """(rule, token) for one customer: the same comparisons, written inline."""
    out: list[tuple[int, int]] = []
    live = c.lifecycle != "churned"
    s, d, q, m = c.shown_score, c.days_until_renewal, c.days_since_contact, c.momentum
    if live and s is not None and s < 50:
        out.append((0, 0))
    if live and c.status in ("at_risk", "critical"):
        out.append((1, 2 if c.status == "critical" else 1))
    if live and d is not None and 0 <= d <= 30:
        out.append((2, 0))
    if live and q is not None and q >= 14:
        out.append((3, 0))
    if live and c.nps is not None and c.nps <= 6:
        out.append((4, 0))
    if c.lifecycle in ("atrisk", "churned"):
        out.append((5, 2 if c.lifecycle == "churned" else 1))
    if live and m is not None and -m >= 15:
        out.append((6, 0))
    out.extend(_bare_custom(c))
    return out


def _bare_custom(c: CustomerDTO) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    s, m, mrr = c.shown_score, c.momentum, c.mrr_cents
    big = c.tier == "enterprise" and m is not None and -m >= 15
    if big or (c.status == "critical" and mrr is not None and mrr / 100 >= 10000):
        out.append((7, 0))
    d, q = c.days_until_renewal, c.days_since_contact
    soon = d is not None and d <= 60 and c.nps is not None and c.nps <= 6
    quiet = q is not None and q >= 30 and c.logins_30d is not None and c.logins_30d < 5
    if s is not None and (soon or quiet):
        out.append((8, 0))
    return out


def bare_loop(rows: list[CustomerDTO], previous: set[tuple[int, int, int]]) -> int:
    current = {(c.id, r, t) for c in rows for r, t in bare_matches(c)}
    return len(current - previous)


def bench_rules(report: Report, n: int, runs: int) -> None:
    rows, before = synthetic(n), yesterday(synthetic(n))
    rules = specs()
    before_cols = Columns(before)
    state = [pack(match_keys(spec, before_cols)) for spec in rules]
    previous = {(c.id, r, t) for c in before for r, t in bare_matches(c)}
    ours = "evaluate every rule (numpy columns, key diff)"
    base = "baseline: bare loop, same comparisons, set diff"
    times = measure_rounds(
        {
            ours: (lambda: evaluate(rows, rules, state), None),
            base: (lambda: bare_loop(rows, previous), None),
        },
        runs,
    )
    report.add(ours, times[ours])
    report.add(base, times[base])
    report.ratio(ours, base, 1.0)
    report.limit(ours, 1.0)
    print(
        f"  {len(rules)} rules over {n:,} customers: {evaluate(rows, rules, state):,} "
        f"transitions (bare loop: {bare_loop(rows, previous):,})"
    )


def bench_prepare(report: Report, n: int, folder: Path) -> None:
    """The whole check on a real database: load n customers, evaluate, write events."""
    db = open_database(folder / "rules.sqlite3")
    clock = FixedClock(DAY)
    services = build_services(db, clock, secrets=InMemorySecretStore())
    services.customers.load_sample(n, 2)
    conn = services.automations.connections.create(
        ConnectionInput("Hook", "webhook", url="https://hooks.example.com/x", secret=SECRET)
    )
    for i, spec in enumerate(specs()):
        draft = RuleDraft(f"Rule {i}", spec.triggers, spec.groups, channel_ids=(conn.id,))
        services.automations.rules.create(draft)
    start = time.perf_counter()
    services.customers.list_customers()
    report.add("load customers as DTOs (SQLite, not in target)", [time.perf_counter() - start])
    services.automations.prepare_due()  # the baseline check
    services.customers.create({"name": "Newcomer", "logins": 0, "nps": 2})
    start = time.perf_counter()
    services.automations.prepare_due()
    report.add("prepare_due incl. load and writes (not in target)", [time.perf_counter() - start])
    db.close()


# -- 2. an idle run-due ----------------------------------------------------------------------
def idle_database(path: Path, customers: int) -> None:
    """Customers, a rule already checked today, an empty outbox: nothing is due."""
    db = open_database(path)
    services = build_services(db, SystemClock(), secrets=InMemorySecretStore())
    services.customers.load_sample(customers, 2)
    conn = services.automations.connections.create(
        ConnectionInput("Hook", "webhook", url="https://hooks.example.com/x", secret=SECRET)
    )
    services.automations.rules.create(
        RuleDraft("Low", (trigger("health_below"),), channel_ids=(conn.id,))
    )
    services.automations.prepare_due()
    assert not services.automations.due_work().any
    db.close()


def process(args: list[str]) -> Callable[[], None]:
    def run() -> None:
        subprocess.run([sys.executable, *args], check=True, capture_output=True)

    return run


def bench_idle(report: Report, runs: int, folder: Path, customers: int) -> None:
    path = folder / "idle.sqlite3"
    idle_database(path, customers)
    ours = "run-due with nothing to do (whole process)"
    base = "baseline: python -c pass"
    times = measure_rounds(
        {
            ours: (process(["-c", CLI, "--db", str(path), "--json", "run-due"]), None),
            base: (process(["-c", "pass"]), None),
        },
        runs,
    )
    report.add(ours, times[ours])
    report.add(base, times[base])
    report.limit(ours, 0.5)


# -- 3. draining the outbox ------------------------------------------------------------------
class Drain:
    """A database with `n` webhook messages queued for a local receiver."""

    def __init__(self, folder: Path, n: int, url: str) -> None:
        self.n = n
        self.db = open_database(folder / "drain.sqlite3")
        self.clock = FixedClock(DAY)
        self.services: Services = build_services(self.db, self.clock, secrets=InMemorySecretStore())
        self.automations: AutomationService = self.services.automations
        self.conn = self.automations.connections.create(
            ConnectionInput("Receiver", "webhook", url=url, secret=SECRET)
        )
        target = Target("Receiver", "webhook", url, {}, SECRET)
        self.bodies = [render(_message(i), target) for i in range(n)]
        self.round = 0

    def queue(self) -> None:
        self.round += 1
        rows = [
            entry_row(
                event_id=f"evt_{self.round}_{i}",
                connection_id=self.conn.id,
                connection_name="Receiver",
                channel="webhook",
                kind="event",
                subject=f"Customer {i}",
                body={**body, "event_id": f"evt_{self.round}_{i}"},
                now=self.clock.now(),
            )
            for i, body in enumerate(self.bodies)
        ]
        with self.db.session() as s:
            enqueue(s, rows)

    def drain(self) -> None:
        result = self.automations.deliver_due()
        assert result.sent == self.n and result.pending == 0, result


def _message(i: int) -> Message:
    customer = {"id": i, "name": f"Customer {i}", "score": 40, "status": "at_risk"}
    return Message(
        kind="event",
        event_id=f"evt_{i}",
        title=f"Customer {i}: health score 40 is below 50",
        summary="Health score 40 is below 50.",
        webhook={
            "event_id": f"evt_{i}",
            "type": "health_below",
            "occurred_at": "2026-11-26T12:00:00Z",
            "customer": customer,
            "rule": {"id": 1, "name": "Low", "event": "health_below", "threshold": 50},
        },
    )


def bare_posts(url: str, bodies: list[dict[str, Any]]) -> Callable[[], None]:
    def run() -> None:
        with requests.Session() as session:
            for body in bodies:
                raw = str(body["raw"]).encode()
                response = session.post(url, data=raw, headers={"Content-Type": "application/json"})
                assert response.status_code == 200

    return run


def bench_drain(report: Report, n: int, runs: int, folder: Path) -> None:
    # The receiver runs in its own process, as a real endpoint would.
    receiver = subprocess.Popen(
        [sys.executable, "-m", "tests.fakes.webhook_receiver", SECRET],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert receiver.stdout is not None
        url = receiver.stdout.readline().strip()
        drain = Drain(folder, n, url)
        ours = f"deliver_due: {n:,} queued webhooks"
        base = f"baseline: bare requests.Session, {n:,} POSTs"
        times = measure_rounds(
            {ours: (drain.drain, drain.queue), base: (bare_posts(url, drain.bodies), None)}, runs
        )
        drain.db.close()
    finally:
        receiver.communicate(timeout=30)
    report.add(ours, times[ours])
    report.add(base, times[base])
    report.ratio(ours, base, 3.0)
    report.limit(ours, n / 200)
    rate = n / report.median(ours)
    print(f"  drain rate: {rate:,.0f} messages/s (target ≥ 200/s)")


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    n = 2_000 if args.smoke else 100_000
    runs = 1 if args.smoke else args.runs
    report = Report(f"Automations: rules over {n:,} customers, idle run-due, outbox drain")
    bench_rules(report, n, runs)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        bench_idle(report, runs, folder, 200 if args.smoke else 2_000)
        bench_drain(report, 50 if args.smoke else 1_000, runs, folder)
        bench_prepare(report, 300 if args.smoke else n, folder)
    report.print(args.json)
    if args.smoke and not args.json:
        print("  (smoke mode: sizes are too small for the targets to mean anything)")


if __name__ == "__main__":
    main()
