"""Customer accounts (S1): reading and writing them, field rules, notes/contacts/sentiment,
light rows for big tables, CSM management, the playbook and the sample portfolio.
"""

from iqcadence_desktop.services.customers.backup_rules import CUSTOMER_ROW_CHECKS
from iqcadence_desktop.services.customers.custom_fields import (
    CustomFieldDTO,
    CustomFieldService,
    add_field,
    load_custom_values,
    read_fields,
    rule_fields,
    rule_value,
    write_values,
)
from iqcadence_desktop.services.customers.custom_values import (
    KIND_LABELS,
    KINDS,
    CustomValue,
    canonical,
    detect_kind,
    field_key,
    parse_custom,
    shown,
)
from iqcadence_desktop.services.customers.dto import (
    CustomerDTO,
    Explanation,
    SnapshotDTO,
    display_id,
)
from iqcadence_desktop.services.customers.fields import (
    CUSTOMER_FIELD_COLUMNS,
    CUSTOMER_FIELD_LABELS,
    GROWTHS,
    LIFECYCLES,
    SENTIMENTS,
    Lifecycle,
    Sentiment,
    merge_derived,
    name_key,
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
    sentiment_trend,
)
from iqcadence_desktop.services.customers.service import CustomerService

__all__ = [
    "Lifecycle",
    "Sentiment",
    "KINDS",
    "KIND_LABELS",
    "CustomFieldDTO",
    "CustomFieldService",
    "CustomValue",
    "add_field",
    "canonical",
    "detect_kind",
    "field_key",
    "load_custom_values",
    "parse_custom",
    "read_fields",
    "rule_fields",
    "rule_value",
    "shown",
    "write_values",
    "CUSTOMER_FIELD_COLUMNS",
    "CUSTOMER_FIELD_LABELS",
    "merge_derived",
    "name_key",
    "CUSTOMER_ROW_CHECKS",
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
