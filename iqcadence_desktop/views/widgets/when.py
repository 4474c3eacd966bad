"""Stored instants are UTC; people read their own clock."""

from __future__ import annotations

import datetime as dt


def local_text(utc: dt.datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A naive UTC instant as local wall-clock text ('' when there is none)."""
    if utc is None:
        return ""
    return utc.replace(tzinfo=dt.UTC).astimezone().strftime(fmt)
