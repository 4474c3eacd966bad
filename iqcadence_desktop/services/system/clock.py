"""The injected clock: every 'today' and 'now' in the services comes from here."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Clock(Protocol):
    """Source of the current day and instant."""

    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock: local calendar day, UTC instants."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def when_text(at: dt.datetime | None) -> str | None:
    """A stored UTC instant as local 'HH:MM' (today) or 'YYYY-MM-DD HH:MM' (earlier)."""
    if at is None:
        return None
    local = at.replace(tzinfo=dt.UTC).astimezone()
    if local.date() == dt.datetime.now().astimezone().date():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


class FixedClock:
    """A clock that says what it is told (tests, `--today`)."""

    def __init__(self, day: dt.date, at: dt.datetime | None = None) -> None:
        self.day = day
        self.at = at or dt.datetime.combine(day, dt.time(12, 0))

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return self.at

    def advance(self, days: int = 1) -> None:
        self.day += dt.timedelta(days=days)
        self.at += dt.timedelta(days=days)
