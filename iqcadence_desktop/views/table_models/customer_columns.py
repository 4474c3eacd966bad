"""The customers table's columns: header, cell text, sort key and filter kind.

Kept apart from the model so the page, the model and the tests share one definition.
Text is formatted only for the cells on screen; sort keys are computed once per column
and cached by the model, so 100k rows sort in a few list operations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from iqcadence_desktop.services.customers import CustomerDTO, natural_key
from iqcadence_desktop.services.scoring import BAND_LABELS, TIER_LABELS
from iqcadence_desktop.views.theme import money

NONE_KEY = float("-inf")
NO_DATE_KEY = "9999-12-31"  # sorts after every real ISO date

CADENCE_LABELS = {
    "ok": "On track",
    "due_soon": "Due soon",
    "overdue": "Overdue",
    "unknown": "No contact date",
}
WINDOW_LABELS = {
    "lapsed": "Lapsed",
    "critical": "≤ 30 days",
    "warning": "≤ 60 days",
    "upcoming": "≤ 90 days",
    "later": "Later",
    "none": "",
}
WINDOW_ORDER = {"lapsed": 0, "critical": 1, "warning": 2, "upcoming": 3, "later": 4, "none": 5}
LIFECYCLE_LABELS = {
    "onboarding": "Onboarding",
    "active": "Active",
    "atrisk": "At risk",
    "won": "Won",
    "churned": "Churned",
}
STATUS_ORDER = {
    "unscored": -1,
    "critical": 0,
    "at_risk": 1,
    "watch": 2,
    "healthy": 3,
    "expansion": 4,
}


@dataclass(frozen=True)
class Column:
    """One column: header, cell text, sort key; numeric columns filter with < > =."""

    header: str
    text: Callable[[CustomerDTO], str]
    key: Callable[[CustomerDTO], Any]
    numeric: bool = False
    width: int = 90
    tip: str = ""
    scale: float = 1.0  # a typed filter number times this compares with the sort key


def _num(v: float | int | None) -> float:
    return NONE_KEY if v is None else float(v)


def signed(v: float | None) -> str:
    """'+4', '0', '−9' (a true minus sign), '—' when unknown."""
    if v is None:
        return "—"
    n = round(v)
    return f"+{n}" if n > 0 else ("0" if n == 0 else f"−{-n}")


def _score_text(c: CustomerDTO) -> str:
    if c.shown_score is None:
        return "—"
    return f"{c.shown_score}*" if c.manual_score else str(c.shown_score)


def _days(v: int | None) -> str:
    return "" if v is None else str(v)


COLUMNS: tuple[Column, ...] = (
    Column("Name", lambda c: c.name, lambda c: natural_key(c.name), width=240),
    Column(
        "Score",
        _score_text,
        lambda c: _num(c.shown_score),
        True,
        60,
        "Health score 0–100 (* = set by hand)",
    ),
    Column("Status", lambda c: BAND_LABELS[c.status], lambda c: STATUS_ORDER[c.status], width=80),
    Column(
        "Momentum",
        lambda c: signed(c.momentum),
        lambda c: _num(c.momentum),
        True,
        80,
        "Score change over the last 7 days",
    ),
    Column(
        "Coverage",
        lambda c: f"{c.coverage:.0%}",
        lambda c: c.coverage,
        True,
        72,
        "Share of the configured weight that had data",
    ),
    Column("Manager", lambda c: c.manager or "", lambda c: (c.manager or "").casefold(), width=130),
    Column("Tier", lambda c: TIER_LABELS.get(c.tier or "", ""), lambda c: c.tier or "", width=90),
    Column(
        "MRR",
        lambda c: money(c.mrr_cents),
        lambda c: _num(c.mrr_cents),
        True,
        90,
        "Monthly recurring revenue",
        100.0,
    ),
    Column(
        "Last contact",
        lambda c: _days(c.days_since_contact),
        lambda c: _num(c.days_since_contact),
        True,
        90,
        "Days since the last contact",
    ),
    Column(
        "Cadence", lambda c: CADENCE_LABELS[c.cadence_status], lambda c: c.cadence_status, width=100
    ),
    Column(
        "Renewal",
        lambda c: str(c.renewal_date or ""),  # a date or ISO text
        lambda c: str(c.renewal_date) if c.renewal_date else NO_DATE_KEY,
        width=90,
    ),
    Column(
        "Window",
        lambda c: WINDOW_LABELS[c.renewal_window],
        lambda c: WINDOW_ORDER[c.renewal_window],
        width=80,
        tip="Renewal window",
    ),
    Column(
        "Priority",
        lambda c: f"{c.priority:.0f}",
        lambda c: c.priority,
        True,
        70,
        "How much the account needs attention now (0–100)",
    ),
    Column(
        "Lifecycle",
        lambda c: LIFECYCLE_LABELS.get(c.lifecycle, c.lifecycle),
        lambda c: c.lifecycle,
        width=90,
    ),
    Column(
        "Sentiment",
        lambda c: (c.sentiment or "").capitalize(),
        lambda c: c.sentiment or "",
        width=80,
    ),
    Column("Tags", lambda c: ", ".join(c.tags), lambda c: ",".join(c.tags).casefold(), width=160),
)
NAME, SCORE, STATUS, MOMENTUM = 0, 1, 2, 3
COLUMN_INDEX = {c.header: i for i, c in enumerate(COLUMNS)}

#: Status tabs: (key, label). "all" is every live account; "trash" only trashed ones.
TABS: tuple[tuple[str, str], ...] = (
    ("all", "All"),
    ("healthy", "Healthy"),
    ("watch", "Watch"),
    ("at_risk", "At Risk"),
    ("critical", "Critical"),
    ("expansion", "Expansion"),
    ("unscored", "Unscored"),
    ("churned", "Churned"),
    ("trash", "Trash"),
)


def in_tab(tab: str, c: CustomerDTO) -> bool:
    """Whether a customer is listed under a status tab."""
    if tab == "trash":
        return c.deleted_at is not None
    if c.deleted_at is not None:
        return False
    if tab == "all":
        return True
    if tab == "churned":
        return c.lifecycle == "churned"
    return c.status == tab


def numeric_test(expr: str, scale: float = 1.0) -> Callable[[float], bool] | None:
    """'>50', '<=10', '=3' or '42' as a test on a number; None if it is not one."""
    text = expr.replace(" ", "").replace("$", "").replace(",", "")
    for op in (">=", "<=", ">", "<", "="):
        if text.startswith(op):
            text, oper = text[len(op) :], op
            break
    else:
        oper = "="
    try:
        bound = float(text) * scale
    except ValueError:
        return None
    tests: dict[str, Callable[[float], bool]] = {
        ">=": lambda v: v >= bound,
        "<=": lambda v: v <= bound,
        ">": lambda v: v > bound,
        "<": lambda v: v < bound,
        "=": lambda v: abs(v - bound) < 0.5 * scale,
    }
    return lambda v: v != NONE_KEY and tests[oper](v)
