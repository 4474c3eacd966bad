"""Integrations (S12): HubSpot, Salesforce and Stripe connectors behind one interface,
sync with per-metric ownership and field mapping, and pull history into score history.
"""

from iqcadence_desktop.services.integrations.base import (
    SYSTEM_LABELS,
    SYSTEMS,
    AccountHistory,
    Connector,
    ExternalAccount,
    FieldInfo,
    Job,
    Pull,
    history_days,
)
from iqcadence_desktop.services.integrations.connectors import make_connector
from iqcadence_desktop.services.integrations.history import LOOKBACKS, HistoryResult
from iqcadence_desktop.services.integrations.http import IntegrationError, TokenExpired
from iqcadence_desktop.services.integrations.mapping import (
    CAN_CREATE,
    DEFAULT_MAPPINGS,
    TARGET_LABELS,
    TARGETS,
)
from iqcadence_desktop.services.integrations.service import (
    IntegrationService,
    IntegrationStatus,
    secret_key,
)
from iqcadence_desktop.services.integrations.stripe import item_mrr
from iqcadence_desktop.services.integrations.sync import AccountChange, FieldChange, SyncResult

__all__ = [
    "AccountChange",
    "AccountHistory",
    "CAN_CREATE",
    "Connector",
    "DEFAULT_MAPPINGS",
    "ExternalAccount",
    "FieldChange",
    "FieldInfo",
    "HistoryResult",
    "IntegrationError",
    "IntegrationService",
    "IntegrationStatus",
    "Job",
    "LOOKBACKS",
    "Pull",
    "SYSTEMS",
    "SYSTEM_LABELS",
    "SyncResult",
    "TARGETS",
    "TARGET_LABELS",
    "TokenExpired",
    "history_days",
    "item_mrr",
    "make_connector",
    "secret_key",
]
