"""Local wall-clock times (schedules, digest hours) and the UTC instants stored.

`Clock.now()` is UTC without a zone; people schedule in their own time zone. `tz` None
means the computer's zone; tests pass a fixed one.
"""

from __future__ import annotations

import datetime as dt

DIGEST_HOUR = dt.time(8, 0)


def to_utc(local: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A local wall-clock time as a naive UTC instant."""
    aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
    return aware.astimezone(dt.UTC).replace(tzinfo=None)


def to_local(utc: dt.datetime, tz: dt.tzinfo | None) -> dt.datetime:
    """A naive UTC instant as naive local wall-clock time."""
    return utc.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)


def digest_period(timing: str, day: dt.date) -> tuple[str, dt.date]:
    """('2026-11-26', next day) for daily; ('2026-W48', next Monday) for weekly."""
    if timing == "daily":
        return day.isoformat(), day + dt.timedelta(days=1)
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}", day + dt.timedelta(days=7 - day.weekday())


def digest_due(timing: str, day: dt.date, tz: dt.tzinfo | None) -> tuple[str, dt.datetime]:
    """The period a transition on `day` belongs to, and when its digest goes out (UTC)."""
    period, send_day = digest_period(timing, day)
    return period, to_utc(dt.datetime.combine(send_day, DIGEST_HOUR), tz)


def parse_hhmm(text: str) -> dt.time:
    parts = text.strip().split(":")
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        hour, minute = int(parts[0]), int(parts[1])
        if 0 <= hour < 24 and 0 <= minute < 60:
            return dt.time(hour, minute)
    raise ValueError(text)


def next_run(every: str, at: dt.time, day: int | None, after: dt.datetime) -> dt.datetime:
    """The first local run time strictly after `after` (missed runs are not made up)."""
    if every == "daily":
        when = dt.datetime.combine(after.date(), at)
        return when if when > after else when + dt.timedelta(days=1)
    if every == "weekly":
        weekday = 0 if day is None else day
        date = after.date() + dt.timedelta(days=(weekday - after.weekday()) % 7)
        when = dt.datetime.combine(date, at)
        return when if when > after else when + dt.timedelta(days=7)
    month_day = 1 if day is None else day
    when = dt.datetime.combine(dt.date(after.year, after.month, month_day), at)
    if when > after:
        return when
    year, month = (after.year + 1, 1) if after.month == 12 else (after.year, after.month + 1)
    return dt.datetime.combine(dt.date(year, month, month_day), at)
