"""Data in and out as CSV (S7): reading any CSV, mapping columns, importing in one
transaction, saved mappings, and the enriched/bulksheet exports.
"""

from iqcadence_desktop.services.csv_io.export import FORMATS, ExportService, write_csv
from iqcadence_desktop.services.csv_io.import_rows import ImportIssue
from iqcadence_desktop.services.csv_io.importer import (
    ImportOptions,
    ImportPreview,
    ImportResult,
    ImportService,
)
from iqcadence_desktop.services.csv_io.mapping import FIELD_LABELS, IMPORT_FIELDS
from iqcadence_desktop.services.csv_io.read import DELIMITERS
from iqcadence_desktop.services.csv_io.saved_mappings import MappingService
from iqcadence_desktop.services.csv_io.values import neutralise

__all__ = [
    "ImportIssue",
    "DELIMITERS",
    "ExportService",
    "FIELD_LABELS",
    "FORMATS",
    "IMPORT_FIELDS",
    "ImportOptions",
    "ImportPreview",
    "ImportResult",
    "ImportService",
    "MappingService",
    "neutralise",
    "write_csv",
]
