"""Data in and out as CSV (S7): reading any CSV, mapping columns, importing in one
transaction, saved mappings, and the enriched/bulksheet exports.
"""

from iqcadence_desktop.services.csv_io.custom_columns import (
    CustomImport,
    CustomSuggestion,
    suggest_custom,
)
from iqcadence_desktop.services.csv_io.export import FORMATS, ExportService, write_csv
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue
from iqcadence_desktop.services.csv_io.importer import ImportService
from iqcadence_desktop.services.csv_io.mapping import FIELD_LABELS, IMPORT_FIELDS
from iqcadence_desktop.services.csv_io.read import DELIMITERS, Sniffed
from iqcadence_desktop.services.csv_io.results import (
    Conversion,
    ImportOptions,
    ImportPreview,
    ImportResult,
    MatchKey,
    UnusedColumn,
)
from iqcadence_desktop.services.csv_io.saved_mappings import MappingService
from iqcadence_desktop.services.csv_io.table import RawTable, read_table
from iqcadence_desktop.services.csv_io.values import neutralise

__all__ = [
    "DELIMITERS",
    "FIELD_LABELS",
    "FORMATS",
    "IMPORT_FIELDS",
    "Conversion",
    "CustomImport",
    "CustomSuggestion",
    "ExportService",
    "ImportIssue",
    "ImportOptions",
    "ImportPreview",
    "ImportResult",
    "ImportService",
    "MappingService",
    "MatchKey",
    "RawTable",
    "Sniffed",
    "UnusedColumn",
    "read_table",
    "suggest_custom",
    "neutralise",
    "write_csv",
]
