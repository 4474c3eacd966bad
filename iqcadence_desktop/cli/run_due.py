"""`run-due`: evaluate rules, queue digests and scheduled reports, send the outbox.

Meant for an OS scheduler (cron, a systemd timer, the Windows Task Scheduler; see
docs/automations.md). It first asks the database whether anything is due, with the
standard library alone; only then does it load the app's services. Prints
`{"events", "sent", "failed", "pending", "reports"}` with --json.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from iqcadence_desktop.cli.context import CommandContext, json_flag
from iqcadence_desktop.services.automations_due import DueWork, probe_sqlite


def register(sub: Any) -> None:
    p = sub.add_parser(
        "run-due",
        help="evaluate rules and send what is due (for cron or a timer)",
        description=__doc__.splitlines()[0],
    )
    json_flag(p)
    p.set_defaults(func=cmd_run_due)


def cmd_run_due(ctx: CommandContext, args: argparse.Namespace) -> int:
    idle = _nothing_due(ctx)
    if idle is not None:
        data = {"events": 0, "sent": 0, "failed": 0, "pending": idle.waiting, "reports": 0}
        ctx.emit(data, f"Nothing is due; {_waiting(idle.waiting)}.")
        return 0
    result = ctx.services.automations.run_due()
    ctx.emit(result.to_json(), _text(result.to_json()))
    return 0


def _nothing_due(ctx: CommandContext) -> DueWork | None:
    """The probe's answer when it can tell that nothing is due; None means 'look properly'."""
    path = _sqlite_file(ctx.db_target)
    if path is None:
        return None
    if ctx.today is not None:  # the same instant FixedClock gives for that day
        today, now = ctx.today, dt.datetime.combine(ctx.today, dt.time(12))
    else:
        today, now = dt.date.today(), dt.datetime.now(dt.UTC).replace(tzinfo=None)
    work = probe_sqlite(path, today, now)
    return work if work is not None and not work.any else None


def _sqlite_file(target: str | None) -> Path | None:
    if target is None:
        from iqcadence_desktop.paths import default_db_path

        return default_db_path()
    if target.startswith("sqlite:///"):
        return Path(target[len("sqlite:///") :].split("?")[0])
    return None if "://" in target else Path(target).expanduser()


def _waiting(n: int) -> str:
    return f"{n:,} message{'s' * (n != 1)} waiting" if n else "the outbox is empty"


def _text(r: dict[str, Any]) -> str:
    head = "Another run was already working; it finishes the job. " if r.get("busy") else ""
    return (
        f"{head}{r['events']} new event{'s' * (r['events'] != 1)}, {r['reports']} report"
        f"{'s' * (r['reports'] != 1)} queued; sent {r['sent']}, failed {r['failed']}; "
        f"{_waiting(r['pending'])}."
    )
