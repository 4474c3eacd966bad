"""Short written readings of trend and comparison numbers.

Each sentence states a number the chart also shows (first and last values, a change,
a slope, a correlation) and what it covers. Nothing here guesses at causes: when there
is too little history, or a difference is smaller than the everyday wobble, it says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

#: A segment must drift this many points from everyone to be called diverging.
DIVERGE_POINTS = 3.0
#: Below this many accounts one account moves a segment's average noticeably.
SMALL_SEGMENT = 10
#: Points needed before slopes (acceleration) and correlations are read.
MIN_POINTS_FOR_SHAPE = 8
STRONG_CORRELATION = 0.7
Fmt = Callable[[float], str]


class Named(Protocol):
    @property
    def label(self) -> str: ...
    @property
    def customers(self) -> int: ...
    @property
    def values(self) -> tuple[float | None, ...]: ...


def day_text(day: dt.date) -> str:
    """'26 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"


def points(days: Sequence[dt.date], values: Sequence[float | None]) -> list[tuple[dt.date, float]]:
    return [(d, v) for d, v in zip(days, values, strict=True) if v is not None]


def _position(gap: float) -> str:
    if abs(gap) < 0.05:
        return "level with"
    return f"{abs(gap):.1f} points {'above' if gap > 0 else 'below'}"


# -- segment comparison ---------------------------------------------------------------
def compare_text(
    series: Sequence[Named],
    reference: Named,
    days: Sequence[dt.date],
    first_history: dt.date | None,
) -> tuple[str, ...]:
    """What a comparison chart shows: each segment's change, the one that drifted apart
    from all accounts (by how much, since when), and the caveats that apply."""
    if first_history is None or not any(points(days, s.values) for s in series):
        return ("There is no score history for these segments in this range yet.",)
    lines: list[str] = []
    if days and first_history > days[0]:
        lines.append(f"History starts on {day_text(first_history)}; earlier days have no scores.")
    lines.extend(_change_line(s, days) for s in series)
    lines.extend(_divergence(series, reference, days))
    lines.extend(
        f"{s.label} has only {s.customers} account{'s' if s.customers != 1 else ''}, so one "
        "account can move its average by several points."
        for s in series
        if 0 < s.customers < SMALL_SEGMENT
    )
    lines.append(
        "Each line follows the accounts in the segment today; an account that changed "
        "segment is counted where it is now."
    )
    return tuple(lines)


def _change_line(s: Named, days: Sequence[dt.date]) -> str:
    pts = points(days, s.values)
    if len(pts) < 2:
        return f"{s.label}: too little history in this range to describe a change."
    (d0, v0), (d1, v1) = pts[0], pts[-1]
    return (
        f"{s.label}: average score {v0:.1f} on {day_text(d0)}, {v1:.1f} on {day_text(d1)} "
        f"({signed(v1 - v0)} points)."
    )


def _gaps(s: Named, reference: Named, days: Sequence[dt.date]) -> list[tuple[dt.date, float]]:
    return [
        (d, v - r)
        for d, v, r in zip(days, s.values, reference.values, strict=True)
        if v is not None and r is not None
    ]


def _divergence(series: Sequence[Named], reference: Named, days: Sequence[dt.date]) -> list[str]:
    moves = []
    for s in series:
        gaps = _gaps(s, reference, days)
        if len(gaps) >= 2:
            moves.append((abs(gaps[-1][1] - gaps[0][1]), s, gaps))
    if not moves:
        return []
    size, s, gaps = max(moves, key=lambda m: m[0])
    if size < DIVERGE_POINTS:
        return [
            f"No segment drifted {DIVERGE_POINTS:.0f} points or more away from the average "
            "of all accounts over this range."
        ]
    g0, g1 = gaps[0][1], gaps[-1][1]
    lines = [
        f"{s.label} moved furthest from the average of all accounts: from "
        f"{_position(g0)} it to {_position(g1)} it ({signed(g1 - g0)} points)."
    ]
    since = _since(gaps)
    if since is not None:
        way = "lower" if g1 < g0 else "higher"
        lines.append(
            f"Relative to all accounts it has stayed at least {DIVERGE_POINTS:.0f} points "
            f"{way} than at the start since {day_text(since)}."
        )
    return lines


def _since(gaps: list[tuple[dt.date, float]]) -> dt.date | None:
    """The first day from which the gap stayed DIVERGE_POINTS past where it started."""
    g0 = gaps[0][1]
    sign = 1.0 if gaps[-1][1] >= g0 else -1.0
    since = None
    for day, gap in reversed(gaps[1:]):
        if sign * (gap - g0) < DIVERGE_POINTS:
            break
        since = day
    return since


# -- trends ------------------------------------------------------------------------------
def trend_text(
    label: str,
    days: Sequence[dt.date],
    values: Sequence[float | None],
    fmt: Fmt,
    second: tuple[str, Sequence[float | None], Fmt] | None = None,
) -> list[str]:
    """Level and change over the range, the last 7 days (momentum), whether the pace
    changed (acceleration) and, with a second metric, whether the two moved apart."""
    pts = points(days, values)
    if len(pts) < 3:
        n = len(pts)
        return [
            f"{label}: only {n} day{'s' if n != 1 else ''} of history in this range, "
            "too few to describe a trend."
        ]
    lines = [_overall(label, pts, fmt), *_momentum(pts, fmt), *_acceleration(pts, fmt)]
    if second is not None:
        lines.extend(_two_metrics(label, pts, second, days))
    return lines


def _direction(change: float, scale: float) -> str:
    if abs(change) <= max(abs(scale) * 0.005, 1e-9):
        return "held steady"
    return "rose" if change > 0 else "fell"


def _overall(label: str, pts: list[tuple[dt.date, float]], fmt: Fmt) -> str:
    (d0, v0), (d1, v1) = pts[0], pts[-1]
    change = v1 - v0
    pct = f", {signed(100 * change / abs(v0))} %" if v0 and _signed(change, fmt)[0] in "+−" else ""
    return (
        f"{label} {_direction(change, v0)}: {fmt(v0)} on {day_text(d0)}, {fmt(v1)} on "
        f"{day_text(d1)} ({_signed(change, fmt)}{pct})."
    )


def _signed(change: float, fmt: Fmt) -> str:
    """'+1.5', '−0.3', or 'no change' when the change rounds away."""
    if fmt(abs(change)) == fmt(0.0):
        return "no change"
    return ("+" if change > 0 else "−") + fmt(abs(change))


def signed(value: float, decimals: int = 1) -> str:
    """A number with its sign, a true minus sign for negatives: '+6.2', '−6.3'."""
    text = f"{abs(value):,.{decimals}f}"
    if text.strip("0.,") == "":
        return text
    return ("+" if value > 0 else "−") + text


def lower_first(label: str) -> str:
    """'Average logins' -> 'average logins' mid-sentence (keeps 'NPS', 'MRR')."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _momentum(pts: list[tuple[dt.date, float]], fmt: Fmt) -> list[str]:
    last_day, last = pts[-1]
    week = [(d, v) for d, v in pts if (last_day - d).days >= 7]
    if not week or (last_day - pts[0][0]).days <= 7:
        return []
    d7, v7 = week[-1]
    change = last - v7
    return [
        f"Over the last {(last_day - d7).days} days it {_direction(change, v7)} "
        f"({_signed(change, fmt)})."
    ]


def _slope_per_week(pts: list[tuple[dt.date, float]]) -> float:
    x = np.array([d.toordinal() for d, _ in pts], float)
    y = np.array([v for _, v in pts], float)
    return float(np.polyfit(x - x[0], y, 1)[0] * 7)


def _acceleration(pts: list[tuple[dt.date, float]], fmt: Fmt) -> list[str]:
    if len(pts) < MIN_POINTS_FOR_SHAPE:
        return []
    half = len(pts) // 2
    s1, s2 = _slope_per_week(pts[: half + 1]), _slope_per_week(pts[half:])
    scale = max(abs(v) for _, v in pts) or 1.0
    still = scale * 0.001
    a, b = f"{_signed(s1, fmt)} a week", f"{_signed(s2, fmt)} a week"
    if abs(s1) <= still and abs(s2) <= still:
        return ["It was flat through both halves of the range."]
    if s1 * s2 < 0:
        first, second = ("rising", "falling") if s1 > 0 else ("falling", "rising")
        return [f"It turned: {first} in the first half ({a}), {second} in the second ({b})."]
    if abs(s2) > abs(s1) * 1.25:
        return [f"The pace picked up: {b} in the second half against {a} in the first."]
    if abs(s2) < abs(s1) * 0.8:
        return [f"The pace eased: {b} in the second half against {a} in the first."]
    return [f"It moved at a similar pace through the range ({a}, then {b})."]


def _two_metrics(
    label: str,
    pts: list[tuple[dt.date, float]],
    second: tuple[str, Sequence[float | None], Fmt],
    days: Sequence[dt.date],
) -> list[str]:
    other, values, fmt = second
    pts2 = points(days, values)
    if len(pts2) < 3:
        return [f"{other} has too little history in this range to compare with."]
    c1, c2 = pts[-1][1] - pts[0][1], pts2[-1][1] - pts2[0][1]
    d1, d2 = _direction(c1, pts[0][1]), _direction(c2, pts2[0][1])
    together = d1 == d2
    if d1 == d2 == "held steady":
        line = f"Over the range both {lower_first(label)} and {lower_first(other)} held steady."
    else:
        line = (
            f"Over the range {lower_first(label)} {d1} while {lower_first(other)} {d2} "
            f"({_signed(c2, fmt)}): "
            + ("they ended up moving the same way." if together else "they moved apart.")
        )
    lines = [line]
    r = _correlation(days, [v for v in (dict(pts).get(d) for d in days)], values)
    if r is not None:
        if abs(r) >= STRONG_CORRELATION:
            how = "rose and fell together" if r > 0 else "moved in opposite directions"
            lines.append(
                f"Day to day they {how} (correlation {signed(r, 2)}); that says they moved "
                "in step, not that one caused the other."
            )
        else:
            lines.append(f"Day to day they were only loosely related (correlation {signed(r, 2)}).")
    return lines


def _correlation(
    days: Sequence[dt.date], a: Sequence[float | None], b: Sequence[float | None]
) -> float | None:
    pairs = [(x, y) for x, y in zip(a, b, strict=True) if x is not None and y is not None]
    if len(pairs) < MIN_POINTS_FOR_SHAPE:
        return None
    x = np.array([p[0] for p in pairs], float)
    y = np.array([p[1] for p in pairs], float)
    if x.std() == 0 or y.std() == 0:
        return None
    r = float(np.corrcoef(x, y)[0, 1])
    return None if math.isnan(r) else r
