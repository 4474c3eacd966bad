"""Customer accounts (S1): reading and writing them, field rules, notes/contacts/sentiment,
light rows for big tables, CSM management, the playbook and the sample portfolio.
"""

from iqcadence_desktop.services.customers.backup_rules import CUSTOMER_ROW_CHECKS
from iqcadence_desktop.services.customers.dto import CustomerDTO, Explanation, display_id
from iqcadence_desktop.services.customers.fields import (
    CUSTOMER_FIELD_COLUMNS,
    CUSTOMER_FIELD_LABELS,
    GROWTHS,
    LIFECYCLES,
    SENTIMENTS,
    merge_derived,
    natural_key,
    parse_value,
)
from iqcadence_desktop.services.customers.managers import ManagerService
from iqcadence_desktop.services.customers.playbook import PlaybookAction, suggest
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.customers.records import (
    SENTIMENT_VALUE,
    ContactDTO,
    CustomerRecordsService,
    NoteDTO,
    SentimentDTO,
    SnapshotDTO,
    sentiment_trend,
)
from iqcadence_desktop.services.customers.service import CustomerService

__all__ = [
    "CUSTOMER_ROW_CHECKS",
    "CUSTOMER_FIELD_COLUMNS",
    "CUSTOMER_FIELD_LABELS",
    "merge_derived",
    "natural_key",
    "parse_value",
    "ContactDTO",
    "CustomerDTO",
    "CustomerFilter",
    "CustomerRecordsService",
    "CustomerService",
    "Explanation",
    "GROWTHS",
    "LIFECYCLES",
    "ManagerService",
    "NoteDTO",
    "PlaybookAction",
    "SENTIMENTS",
    "SENTIMENT_VALUE",
    "SentimentDTO",
    "SnapshotDTO",
    "display_id",
    "sentiment_trend",
    "suggest",
]
