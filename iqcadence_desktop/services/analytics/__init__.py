"""The analyst's pages (S5): segments, trends, CSM performance, the calendar and the
searchable guide. Qt-free; reads only (the .ics export writes a file, not the database).
"""

from iqcadence_desktop.services.analytics.calendar import (
    KINDS,
    CalendarEvent,
    CalendarService,
    MonthView,
)
from iqcadence_desktop.services.analytics.help import (
    TABS as HELP_TABS,
)
from iqcadence_desktop.services.analytics.help import (
    HelpHit,
    HelpSection,
    HelpService,
    slug,
)
from iqcadence_desktop.services.analytics.ics import IcsEvent, calendar_text
from iqcadence_desktop.services.analytics.metrics import METRICS, RANGES, Metric, range_start
from iqcadence_desktop.services.analytics.performance import (
    ActivityItem,
    CsmDetail,
    CsmRow,
    FocusArea,
    Leaderboard,
    PerformanceService,
)
from iqcadence_desktop.services.analytics.segments import (
    GROUPINGS,
    MAX_COMPARE,
    Comparison,
    Segment,
    SegmentBase,
    SegmentSeries,
    SegmentService,
    TrendHistory,
    attach_trend,
    group,
    segment_label,
)
from iqcadence_desktop.services.analytics.trends import (
    MAX_OVERLAYS,
    Mover,
    Series,
    TrendRequest,
    TrendService,
    TrendView,
)

__all__ = [
    "ActivityItem",
    "CalendarEvent",
    "CalendarService",
    "Comparison",
    "CsmDetail",
    "CsmRow",
    "FocusArea",
    "GROUPINGS",
    "HELP_TABS",
    "HelpHit",
    "HelpSection",
    "HelpService",
    "IcsEvent",
    "KINDS",
    "Leaderboard",
    "MAX_COMPARE",
    "MAX_OVERLAYS",
    "METRICS",
    "Metric",
    "MonthView",
    "Mover",
    "PerformanceService",
    "RANGES",
    "Segment",
    "SegmentBase",
    "SegmentSeries",
    "SegmentService",
    "TrendHistory",
    "Series",
    "TrendRequest",
    "TrendService",
    "TrendView",
    "attach_trend",
    "calendar_text",
    "group",
    "range_start",
    "segment_label",
    "slug",
]
