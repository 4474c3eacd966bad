"""Portfolio-wide figures: totals and trends, the Home Base summary and data health."""

from iqcadence_desktop.services.portfolio.data_health import DataHealthService, Finding
from iqcadence_desktop.services.portfolio.home_summary import (
    Heatmap,
    HomeSummary,
    HomeSummaryService,
    Kpi,
    RenewalBucket,
    TierCard,
)
from iqcadence_desktop.services.portfolio.service import DailyPoint, PortfolioService

__all__ = [
    "DailyPoint",
    "DataHealthService",
    "Finding",
    "Heatmap",
    "HomeSummary",
    "HomeSummaryService",
    "Kpi",
    "PortfolioService",
    "RenewalBucket",
    "TierCard",
]
