"""Reports (S8): ten kinds, each built as a typed document, rendered as PDF or CSV.

Nothing here imports reportlab at module level: a PDF is the only thing that needs it,
and the GUI must start without paying for it.
"""

from iqcadence_desktop.services.reports.model import (
    AUDIENCES,
    Audience,
    Brand,
    ReportDocument,
    ReportRequest,
)
from iqcadence_desktop.services.reports.registry import REPORT_KINDS, ReportKind
from iqcadence_desktop.services.reports.render.thumbnail import Thumbnail, first_page_png
from iqcadence_desktop.services.reports.service import RenderedReport, ReportFormat, ReportService

__all__ = [
    "AUDIENCES",
    "Audience",
    "REPORT_KINDS",
    "Brand",
    "RenderedReport",
    "ReportDocument",
    "ReportFormat",
    "ReportKind",
    "ReportRequest",
    "ReportService",
    "Thumbnail",
    "first_page_png",
]
