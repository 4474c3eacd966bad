"""A small iCalendar (RFC 5545) writer for all-day events.

Hand-written on purpose: the app ships under a tight size budget and only needs
VCALENDAR/VEVENT with all-day dates, text escaping and line folding. The tests parse
every export back with the `icalendar` package.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

PRODID = "-//iQcadence//Desktop calendar export//EN"
FOLD_OCTETS = 75


class IcsEvent(NamedTuple):
    """One all-day event."""

    uid: str
    day: dt.date
    summary: str
    description: str
    categories: tuple[str, ...] = ()


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (never inside a character);
    continuation lines start with one space."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        limit = FOLD_OCTETS if not out else FOLD_OCTETS - 1
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def calendar_text(name: str, events: Iterable[IcsEvent], stamp: dt.datetime) -> str:
    """A whole VCALENDAR with CRLF line ends; `stamp` is the export time (UTC)."""
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{e.uid}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(e.summary)}",
            f"DESCRIPTION:{escape(e.description)}",
            "TRANSP:TRANSPARENT",
        ]
        if e.categories:
            lines.append("CATEGORIES:" + ",".join(escape(c) for c in e.categories))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
