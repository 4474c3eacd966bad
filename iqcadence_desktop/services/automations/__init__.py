"""Automations (S9, the scheduling half of S8): alert rules and custom rules that fire on
transitions, saved connections (Slack, Teams, email, signed webhooks), the persistent
outbox with its event log, scheduled reports, and running due work.
"""

from iqcadence_desktop.services.automations.conditions import (
    Condition,
    Groups,
    condition,
    describe,
    parse_when,
    to_text,
)
from iqcadence_desktop.services.automations.connections import (
    AUTOMATIONS_CHANGED,
    ConnectionInput,
    parse_emails,
)
from iqcadence_desktop.services.automations.delivery import RETIRED_MESSAGE, retired_connector, sign
from iqcadence_desktop.services.automations.dto import (
    CONNECTION_KINDS,
    EMAIL_SECURITY,
    WEEKDAYS,
    AttemptDTO,
    ChannelRef,
    ConnectionDTO,
    DeliveryResult,
    EventLogFilter,
    OutboxDTO,
    PrepareResult,
    RuleDraft,
    RuleDTO,
    RunDueResult,
    ScheduleDTO,
    SendOutcome,
)
from iqcadence_desktop.services.automations.engine import Preload
from iqcadence_desktop.services.automations.eventlog import OUTBOX_CHANGED, OUTCOMES
from iqcadence_desktop.services.automations.events import (
    EVENT_TYPES,
    TIMINGS,
    EventType,
    Trigger,
    trigger,
)
from iqcadence_desktop.services.automations.fields import (
    FIELDS,
    OPERATOR_LABELS,
    RuleField,
    field_named,
)
from iqcadence_desktop.services.automations.matching import RuleSpec
from iqcadence_desktop.services.automations.scheduler import EVERY
from iqcadence_desktop.services.automations.sender import DeliverySettings, WriteGate
from iqcadence_desktop.services.automations.service import AutomationService, LiveMatcher
from iqcadence_desktop.services.automations_due import DueWork

__all__ = [
    "AUTOMATIONS_CHANGED",
    "AttemptDTO",
    "AutomationService",
    "CONNECTION_KINDS",
    "ChannelRef",
    "Condition",
    "ConnectionDTO",
    "ConnectionInput",
    "DeliveryResult",
    "DeliverySettings",
    "DueWork",
    "EMAIL_SECURITY",
    "EVENT_TYPES",
    "EVERY",
    "EventLogFilter",
    "EventType",
    "FIELDS",
    "Groups",
    "LiveMatcher",
    "OPERATOR_LABELS",
    "OUTBOX_CHANGED",
    "OUTCOMES",
    "OutboxDTO",
    "PrepareResult",
    "Preload",
    "RETIRED_MESSAGE",
    "RuleDTO",
    "RuleDraft",
    "RuleField",
    "RuleSpec",
    "RunDueResult",
    "ScheduleDTO",
    "SendOutcome",
    "TIMINGS",
    "Trigger",
    "WEEKDAYS",
    "WriteGate",
    "condition",
    "describe",
    "field_named",
    "parse_emails",
    "parse_when",
    "retired_connector",
    "sign",
    "to_text",
    "trigger",
]
