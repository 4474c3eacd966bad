"""The ten report kinds: id, title, a short description and the builder of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds import (
    at_risk,
    churn_risk,
    csm_performance,
    customer_health,
    portfolio_summary,
    renewal_forecast,
    score_history,
    segment_analysis,
    trend,
    weekly_digest,
)
from iqcadence_desktop.services.reports.model import ReportDocument

Builder = Callable[[ReportContext], ReportDocument]


@dataclass(frozen=True)
class ReportKind:
    """One report the app can make; `customer` says whether it is about one account."""

    id: str
    title: str
    description: str
    customer: Literal["none", "required", "optional"]
    build: Builder


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        "portfolio-summary",
        "Portfolio Summary",
        "Headline numbers, the band mix, revenue at risk and the accounts to look at first.",
        "none",
        portfolio_summary.build,
    ),
    ReportKind(
        "at-risk",
        "At-Risk Accounts",
        "Every open account in the At Risk or Critical band, the most urgent first.",
        "none",
        at_risk.build,
    ),
    ReportKind(
        "renewal-forecast",
        "Renewal Forecast",
        "Renewals due in the next 90 days by window, with the MRR expected to stay.",
        "none",
        renewal_forecast.build,
    ),
    ReportKind(
        "csm-performance",
        "CSM Performance",
        "Each manager's book side by side: health, revenue, risk and overdue contacts.",
        "none",
        csm_performance.build,
    ),
    ReportKind(
        "segment-analysis",
        "Segment Analysis",
        "Health and revenue broken down by tier and by lifecycle stage.",
        "none",
        segment_analysis.build,
    ),
    ReportKind(
        "trend-90d",
        "Trend (90 days)",
        "How average health, bands and revenue at risk moved over the last 90 days.",
        "none",
        trend.build,
    ),
    ReportKind(
        "churn-risk",
        "Churn Risk",
        "Each open account's estimated chance of churning and the reasons behind it.",
        "none",
        churn_risk.build,
    ),
    ReportKind(
        "customer-health",
        "Customer Health",
        "One account taken apart: score, signals, what changed and its risks. "
        "Tick 'business review' for a multi-page QBR pack.",
        "required",
        customer_health.build,
    ),
    ReportKind(
        "score-history",
        "Score History",
        "A year of daily scores for one account, or for the portfolio when none is picked.",
        "optional",
        score_history.build,
    ),
    ReportKind(
        "weekly-digest",
        "Weekly Digest",
        "The week in brief: biggest moves, renewals coming up and overdue contacts.",
        "none",
        weekly_digest.build,
    ),
)
KINDS_BY_ID: dict[str, ReportKind] = {k.id: k for k in REPORT_KINDS}
