"""Portfolio-wide figures: totals and trends, the Home Base summary and data health."""

from iqcadence_desktop.services.portfolio.data_health import DataHealthService, Finding
from iqcadence_desktop.services.portfolio.headlines import (
    HEADLINE_KEYS,
    Headline,
    Headlines,
    at_risk,
    at_stake,
    in_portfolio,
    overdue_contact,
    portfolio_headlines,
    renewal_due,
    renewal_past_due,
)
from iqcadence_desktop.services.portfolio.home_summary import (
    Heatmap,
    HomeSummary,
    HomeSummaryService,
    Kpi,
    RenewalBucket,
    TierCard,
)
from iqcadence_desktop.services.portfolio.service import DailyPoint, PortfolioService, ScoreChange

__all__ = [
    "HEADLINE_KEYS",
    "DailyPoint",
    "DataHealthService",
    "Finding",
    "Headline",
    "Headlines",
    "Heatmap",
    "HomeSummary",
    "HomeSummaryService",
    "Kpi",
    "PortfolioService",
    "RenewalBucket",
    "ScoreChange",
    "TierCard",
    "at_risk",
    "at_stake",
    "portfolio_headlines",
    "in_portfolio",
    "overdue_contact",
    "renewal_due",
    "renewal_past_due",
]
