"""Is any automation work due? Answered with the standard library alone.

`iqcadence-cli run-due` is called by cron, a systemd timer or the Windows Task Scheduler
every few minutes, and nearly always finds nothing to do. Importing the app's services
(SQLAlchemy, numpy, the models) costs more than half a second; this module asks the
question with `sqlite3` first, and the CLI builds the services only when the answer is
yes. It lives outside `services/automations` so importing it does not import that
package. The automation service asks the same questions with the same SQL (through
SQLAlchemy), so the two can never disagree about what "due" means.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Enabled rules that have not been evaluated today or since the last recorded change.
RULES_DUE = (
    "SELECT count(*) FROM automation_rules WHERE enabled = :yes AND ("
    "evaluated_day IS NULL OR evaluated_day <> :today OR evaluated_mark IS NULL OR "
    "evaluated_mark <> (SELECT coalesce(max(id), 0) FROM audit_entries))"
)
#: Outbox entries due now, and claims a dead or slow sender may have left behind.
OUTBOX_DUE = (
    "SELECT count(*) FROM automation_outbox WHERE (status = 'pending' AND "
    "next_attempt_at <= :now) OR status = 'sending'"
)
DIGESTS_DUE = (
    "SELECT count(*) FROM automation_events WHERE digested = :no AND "
    "digest_due_at IS NOT NULL AND digest_due_at <= :now"
)
SCHEDULES_DUE = (
    "SELECT count(*) FROM automation_schedules WHERE enabled = :yes AND next_due_at <= :now"
)
WAITING = "SELECT count(*) FROM automation_outbox WHERE status IN ('pending', 'sending')"
QUESTIONS = {
    "rules": RULES_DUE,
    "outbox": OUTBOX_DUE,
    "digests": DIGESTS_DUE,
    "schedules": SCHEDULES_DUE,
    "waiting": WAITING,
}


@dataclass(frozen=True)
class DueWork:
    """How much of each kind of work is due, and how many messages are waiting."""

    rules: int = 0
    outbox: int = 0
    digests: int = 0
    schedules: int = 0
    waiting: int = 0

    @property
    def any(self) -> bool:
        return bool(self.rules or self.outbox or self.digests or self.schedules)


def parameters(today: dt.date, now: dt.datetime, text_times: bool) -> dict[str, Any]:
    """Bind values; SQLite keeps times as text in SQLAlchemy's format."""
    stamp: Any = now.strftime("%Y-%m-%d %H:%M:%S.%f") if text_times else now
    return {"yes": True, "no": False, "today": today.toordinal(), "now": stamp}


def probe_sqlite(path: Path, today: dt.date, now: dt.datetime) -> DueWork | None:
    """The due work in an SQLite file, or None when this cannot tell (no such file, an
    older schema, a locked or damaged file): the caller then takes the full path."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    with contextlib.closing(conn):
        try:
            params = parameters(today, now, text_times=True)
            counts = {k: int(conn.execute(q, params).fetchone()[0]) for k, q in QUESTIONS.items()}
        except sqlite3.Error:
            return None
    return DueWork(**counts)
