"""Colours and labels for alert severities and states (shared by the alert widgets)."""

from __future__ import annotations

SEVERITY_COLORS: dict[str, str] = {
    "critical": "#c62828",
    "warning": "#ef6c00",
    "attention": "#b38f00",
    "opportunity": "#1565c0",
}
STATE_LABELS: dict[str, str] = {"active": "Active", "snoozed": "Snoozed", "dismissed": "Dismissed"}
