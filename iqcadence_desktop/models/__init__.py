"""ORM entities and the database. Knows nothing of services or widgets."""

from iqcadence_desktop.models.alerts import AlertOutcome, AlertState
from iqcadence_desktop.models.audit import AuditEntry
from iqcadence_desktop.models.base import Base
from iqcadence_desktop.models.customer import Contact, Customer, CustomerTag, Note, SentimentEntry
from iqcadence_desktop.models.history import PortfolioDaily, ScoreSnapshot
from iqcadence_desktop.models.imports import SavedMapping
from iqcadence_desktop.models.scoring import AppSetting, ConfigVersion, ScoringProfile
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
    "AppSetting",
    "Client",
    "DEFAULT_CLIENT_ID",
    "DEFAULT_CLIENT_NAME",
    "AuditEntry",
    "Base",
    "ConfigVersion",
    "Contact",
    "Customer",
    "CustomerTag",
    "Note",
    "PortfolioDaily",
    "SavedMapping",
    "ScoreSnapshot",
    "ScoringProfile",
    "SentimentEntry",
    "User",
    "UserClient",
]
