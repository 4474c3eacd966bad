"""The written readings state what the numbers show, and no more."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from iqcadence_desktop.services.analytics.narrative import compare_text, trend_text

DAYS = tuple(dt.date(2026, 1, 1) + dt.timedelta(days=7 * i) for i in range(10))


class S(NamedTuple):
    label: str
    customers: int
    values: tuple[float | None, ...]


def test_the_segment_that_drifts_apart_is_named_with_size_and_start() -> None:
    everyone = S("All accounts", 100, (60.0,) * 10)
    steady = S("Mid", 40, (61.0,) * 10)
    falling = S("SMB", 30, (60, 60, 60, 60, 56, 55, 54, 53, 52, 51))
    text = compare_text([steady, falling], everyone, DAYS, DAYS[0])
    assert "SMB: average score 60.0 on 1 Jan 2026, 51.0 on 5 Mar 2026 (−9.0 points)." in text
    assert any("SMB moved furthest" in line and "(−9.0 points)" in line for line in text)
    assert any("since 29 Jan 2026" in line and "lower" in line for line in text)


def test_small_moves_are_not_called_divergence() -> None:
    everyone = S("All accounts", 100, (60.0,) * 10)
    wobbly = S("Mid", 40, (60, 61, 59, 61, 60, 59, 61, 60, 61, 61.5))
    text = compare_text([wobbly], everyone, DAYS, DAYS[0])
    assert any("No segment drifted 3 points or more" in line for line in text)
    assert not any("moved furthest" in line for line in text)


def test_small_segments_and_late_history_are_flagged() -> None:
    everyone = S("All accounts", 100, (None, None, *(60.0,) * 8))
    tiny = S("Pilot", 3, (None, None, *(70.0,) * 8))
    text = compare_text([tiny], everyone, DAYS, DAYS[2])
    assert any("History starts on 15 Jan 2026" in line for line in text)
    assert any("Pilot has only 3 accounts" in line for line in text)


def test_no_history_says_so() -> None:
    empty = S("All accounts", 0, (None,) * 10)
    assert compare_text([empty], empty, DAYS, None) == (
        "There is no score history for these segments in this range yet.",
    )


def test_trend_reading_covers_change_momentum_pace_and_divergence() -> None:
    days = [dt.date(2026, 1, 1) + dt.timedelta(days=i) for i in range(40)]
    health = [50 + 0.1 * i if i < 20 else 52 + 0.5 * (i - 20) for i in range(40)]
    logins = [20 - 0.1 * i for i in range(40)]
    lines = trend_text(
        "Average health score",
        days,
        health,
        lambda v: f"{v:.1f}",
        ("Average logins", logins, lambda v: f"{v:.1f}"),
    )
    assert lines[0].startswith("Average health score rose: 50.0 on 1 Jan 2026, 61.5 on 9 Feb")
    assert any(line.startswith("Over the last 7 days it rose (+3.5)") for line in lines)
    assert any("The pace picked up" in line for line in lines)
    assert any("they moved apart" in line for line in lines)
    assert any("opposite directions" in line and "not that one caused" in line for line in lines)


def test_too_little_history_is_not_described() -> None:
    days = [dt.date(2026, 1, 1), dt.date(2026, 1, 2)]
    assert trend_text("NPS", days, [7.0, None], str) == [
        "NPS: only 1 day of history in this range, too few to describe a trend."
    ]
