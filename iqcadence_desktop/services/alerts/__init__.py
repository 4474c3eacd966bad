"""Alerts (S4): rules that derive alerts from state, their settings, remembered episodes
and the user's actions on them, and what the list adds up to.
"""

from iqcadence_desktop.services.alerts.config import AlertConfig, AlertConfigService
from iqcadence_desktop.services.alerts.insights import AlertOverview, overview
from iqcadence_desktop.services.alerts.rules import (
    CATEGORIES,
    CATEGORY_LABELS,
    RULE_LABELS,
    RULES,
    SEVERITIES,
    SEVERITY_LABELS,
    SEVERITY_RANK,
    STATE_LABELS,
    Alert,
    Category,
    Severity,
)
from iqcadence_desktop.services.alerts.service import (
    ALERTS_CHANGED,
    OUTCOMES,
    SNOOZE_CHOICES,
    AlertBoard,
    AlertService,
)

__all__ = [
    "Category",
    "Severity",
    "ALERTS_CHANGED",
    "Alert",
    "AlertBoard",
    "AlertConfig",
    "AlertConfigService",
    "AlertOverview",
    "AlertService",
    "CATEGORIES",
    "CATEGORY_LABELS",
    "OUTCOMES",
    "RULES",
    "RULE_LABELS",
    "SEVERITIES",
    "SEVERITY_LABELS",
    "SEVERITY_RANK",
    "STATE_LABELS",
    "SNOOZE_CHOICES",
    "overview",
]
