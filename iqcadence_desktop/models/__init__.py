"""ORM entities and the database. Knows nothing of services or widgets."""

from iqcadence_desktop.models.alerts import AlertOutcome, AlertState
from iqcadence_desktop.models.audit import AuditEntry
from iqcadence_desktop.models.automations import (
    AutomationConnection,
    AutomationEvent,
    AutomationLease,
    AutomationRule,
    AutomationRuleChannel,
    DeliveryAttempt,
    OutboxEntry,
    ReportSchedule,
)
from iqcadence_desktop.models.base import Base
from iqcadence_desktop.models.customer import Contact, Customer, CustomerTag, Note, SentimentEntry
from iqcadence_desktop.models.history import PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.models.imports import SavedMapping
from iqcadence_desktop.models.insight import ChurnModelVersion, CustomField, CustomFieldValue
from iqcadence_desktop.models.integrations import ApiKey, Integration, IntegrationLink, MetricOwner
from iqcadence_desktop.models.scoring import (
    AppSetting,
    ConfigVersion,
    ProfileRule,
    ScoringProfile,
)
from iqcadence_desktop.models.team import (
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_NAME,
    Client,
    User,
    UserClient,
)

__all__ = [
    "AlertOutcome",
    "AlertState",
    "ApiKey",
    "AppSetting",
    "Client",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_NAME",
    "AuditEntry",
    "AutomationConnection",
    "AutomationEvent",
    "AutomationLease",
    "AutomationRule",
    "AutomationRuleChannel",
    "DeliveryAttempt",
    "OutboxEntry",
    "ReportSchedule",
    "Base",
    "ChurnModelVersion",
    "ConfigVersion",
    "Contact",
    "Customer",
    "CustomerTag",
    "Integration",
    "IntegrationLink",
    "MetricOwner",
    "CustomField",
    "CustomFieldValue",
    "Note",
    "PortfolioDaily",
    "ProfileRule",
    "SavedMapping",
    "ScoreSnapshot",
    "ScoringProfile",
    "SentimentEntry",
    "User",
    "UserClient",
]
