"""Vector charts (reportlab.graphics) drawn from a report's `Chart` blocks.

Bars and lines get axis labels and value labels; the donut gets a legend with counts and
shares instead of slice labels, which collide when slices are thin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iqcadence_desktop.services.reports.model import Chart
from iqcadence_desktop.services.reports.render.fonts import BOLD, REGULAR, label_font

PALETTE = ("#2f5bea", "#ef6c00", "#2e7d32", "#8e24aa", "#c62828", "#00838f", "#6d4c41")
CONTRASTING = ("#ef6c00", "#2e7d32", "#8e24aa", "#00838f", "#6d4c41", "#c62828")
TITLE_SIZE = 10
MAX_AXIS_LABELS = 12


def _colors(chart: Chart, n: int, palette: tuple[str, ...]) -> list[Any]:
    from reportlab.lib.colors import HexColor

    chosen = chart.colors or palette
    return [HexColor(chosen[i % len(chosen)]) for i in range(n)]


def brand_palette(primary: str, accent: str) -> tuple[str, ...]:
    """Series colours for charts without colours of their own: the brand colour first,
    then hues far from it (a brand's accent is often a shade of the same hue, and two
    blues side by side cannot be told apart)."""
    return (primary, *(c for c in CONTRASTING if c not in (primary, accent)), accent)


def _title(chart: Chart, height: float) -> Any:
    from reportlab.graphics.shapes import String

    return String(0, height - TITLE_SIZE - 2, chart.title, fontName=BOLD, fontSize=TITLE_SIZE)


def has_data(chart: Chart) -> bool:
    """False when every value is zero, or a line has under two points (nothing to see)."""
    enough = len(chart.labels) >= (2 if chart.kind == "line" else 1)
    return enough and any(v for s in chart.series for v in s.values)


def draw(chart: Chart, width: float, height: float, palette: tuple[str, ...] = PALETTE) -> Any:
    """A reportlab `Drawing` of the chart, `width` × `height` points."""
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(width, height)
    drawing.add(_title(chart, height))
    body = {"bar": _bar, "line": _line, "donut": _donut}[chart.kind]
    for shape in body(chart, width, height - TITLE_SIZE - 10, palette):
        drawing.add(shape)
    return drawing


def _sparse_labels(labels: tuple[str, ...]) -> list[str]:
    step = max(1, -(-len(labels) // MAX_AXIS_LABELS))
    return [lab if i % step == 0 else "" for i, lab in enumerate(labels)]


def formatter(fmt: str, values: list[float]) -> Callable[[float], str]:
    """How a chart writes its numbers: as `fmt` says, except that money in the hundreds
    of thousands and up is shortened ($2.02M, $313k), so bar labels do not collide."""
    if fmt.startswith("$") and max((abs(v) for v in values), default=0.0) >= 100_000:
        return _short_money
    return lambda v: fmt.format(v)


def _short_money(v: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= size:
            digits = 2 if abs(v) < 10 * size else (1 if abs(v) < 100 * size else 0)
            return f"${v / size:,.{digits}f}{suffix}"
    return f"${v:,.0f}"


def _value_axis(axis: Any, values: list[float], fmt: str = "{:,.0f}") -> None:
    axis.labelTextFormat = formatter(fmt, values)
    axis.labels.fontName = REGULAR
    axis.labels.fontSize = 7
    top = max(values, default=0.0)
    axis.valueMin = min(0.0, min(values, default=0.0))
    axis.valueMax = top * 1.15 if top > 0 else 1.0
    axis.visibleGrid = True
    axis.gridStrokeColor = _grey()
    axis.gridStrokeWidth = 0.3


def _grey() -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor("#dde2ea")


def _legend(chart: Chart, x: float, y: float, colors: list[Any], names: list[str]) -> Any:
    from reportlab.graphics.charts.legends import Legend

    legend = Legend()
    legend.x, legend.y = x, y
    legend.fontName, legend.fontSize = REGULAR, 7
    legend.alignment = "right"
    legend.columnMaximum = 8
    legend.colorNamePairs = list(zip(colors, names, strict=True))
    return legend


def _label_fonts(labels: Any, names: tuple[str, ...]) -> None:
    """Names in other scripts (a tag, a manager) get a font that has their glyphs."""
    for i, name in enumerate(names):
        font = label_font(name, REGULAR)
        if font != REGULAR:
            labels[i].fontName = font


def _bar(chart: Chart, width: float, height: float, palette: tuple[str, ...]) -> list[Any]:
    from reportlab.graphics.charts.barcharts import VerticalBarChart

    multi = len(chart.series) > 1
    bc = VerticalBarChart()
    bc.x, bc.y = 40, 28
    bc.width, bc.height = width - (150 if multi else 50), height - 40
    bc.data = [list(s.values) for s in chart.series]
    bc.categoryAxis.categoryNames = list(chart.labels)
    bc.categoryAxis.labels.fontName, bc.categoryAxis.labels.fontSize = REGULAR, 7
    bc.categoryAxis.labels.boxAnchor = "n"
    _label_fonts(bc.categoryAxis.labels, chart.labels)
    _value_axis(bc.valueAxis, [v for s in chart.series for v in s.values], chart.value_format)
    colors = _colors(chart, len(chart.series) if multi else len(chart.labels), palette)
    for i in range(len(chart.series)):
        bc.bars[i].fillColor = colors[i] if multi else colors[0]
        bc.bars[i].strokeColor = None
    if not multi and chart.colors:
        for j in range(len(chart.labels)):
            bc.bars[(0, j)].fillColor = colors[j]
    bc.barLabelFormat = formatter(chart.value_format, [v for s in chart.series for v in s.values])
    bc.barLabels.fontName, bc.barLabels.fontSize = REGULAR, 7
    bc.barLabels.nudge = 6
    shapes: list[Any] = [bc]
    if multi:
        shapes.append(
            _legend(chart, width - 100, height - 10, colors, [s.name for s in chart.series])
        )
    return shapes


def _line(chart: Chart, width: float, height: float, palette: tuple[str, ...]) -> list[Any]:
    from reportlab.graphics.charts.linecharts import HorizontalLineChart

    multi = len(chart.series) > 1
    lc = HorizontalLineChart()
    lc.x, lc.y = 40, 30
    lc.width, lc.height = width - (150 if multi else 50), height - 42
    lc.data = [list(s.values) for s in chart.series]
    lc.joinedLines = 1
    lc.categoryAxis.categoryNames = _sparse_labels(chart.labels)
    lc.categoryAxis.labels.fontName, lc.categoryAxis.labels.fontSize = REGULAR, 7
    _label_fonts(lc.categoryAxis.labels, chart.labels)
    lc.categoryAxis.labels.angle = 30
    lc.categoryAxis.labels.boxAnchor = "ne"
    lc.categoryAxis.tickDown = 2
    lc.categoryAxis.visibleTicks = 0
    _value_axis(lc.valueAxis, [v for s in chart.series for v in s.values])
    colors = _colors(chart, len(chart.series), palette)
    for i in range(len(chart.series)):
        lc.lines[i].strokeColor = colors[i]
        lc.lines[i].strokeWidth = 1.5
    shapes: list[Any] = []
    if chart.score_axis:
        _score_axis(lc.valueAxis)
        shapes += _band_shading(chart, lc.x, lc.y, lc.width, lc.height)
    shapes.append(lc)
    if multi:
        shapes.append(
            _legend(chart, width - 100, height - 10, colors, [s.name for s in chart.series])
        )
    return shapes


def _score_axis(axis: Any) -> None:
    """0–100 whatever the data: a flat line at 58 stays a flat line in the Watch band."""
    axis.valueMin, axis.valueMax, axis.valueStep = 0.0, 100.0, 25.0
    axis.visibleGrid = False


def _band_shading(chart: Chart, x: float, y: float, w: float, h: float) -> list[Any]:
    """Light bands behind a score line, one per health band, each named at the right."""
    from reportlab.graphics.shapes import Rect, String
    from reportlab.lib.colors import HexColor

    from iqcadence_desktop.services.reports.render.colour import readable_on, tint
    from iqcadence_desktop.services.reports.render.tables import BAND_COLORS

    edges = (0, *chart.band_edges, 100)
    names = ("critical", "at_risk", "watch", "healthy", "expansion")
    labels = ("Critical", "At Risk", "Watch", "Healthy", "Expansion")
    out: list[Any] = []
    for lo, hi, band, label in zip(edges, edges[1:], names, labels, strict=False):
        fill = tint(BAND_COLORS[band], 0.86)
        top = y + h * lo / 100
        out.append(Rect(x, top, w, h * (hi - lo) / 100, fillColor=HexColor(fill), strokeColor=None))
        if hi - lo >= 8:  # room for the name
            ink = HexColor(readable_on(BAND_COLORS[band], fill))
            out.append(
                String(
                    x + w - 3,
                    top + 2.5,
                    label,
                    fontName=REGULAR,
                    fontSize=6,
                    fillColor=ink,
                    textAnchor="end",
                )
            )
    return out


def _donut(chart: Chart, width: float, height: float, palette: tuple[str, ...]) -> list[Any]:
    from reportlab.graphics.charts.doughnut import Doughnut
    from reportlab.graphics.shapes import String

    values = list(chart.series[0].values)
    total = sum(values)
    size = min(height - 10, width / 2 - 20)
    dn = Doughnut()
    dn.x, dn.y, dn.width, dn.height = 10, (height - size) / 2, size, size
    dn.data = values if total > 0 else [1.0]
    dn.labels = None
    dn.innerRadiusFraction = 0.55
    colors = _colors(chart, len(values), palette)
    for i in range(len(dn.data)):
        dn.slices[i].fillColor = colors[i] if total > 0 else _grey()
        dn.slices[i].strokeColor = None
    # One unit in the legend (the chart's own: accounts, dollars); shares are in the tables.
    names = [
        f"{lab}: {chart.value_format.format(v)}"
        for lab, v in zip(chart.labels, values, strict=True)
    ]
    legend = _legend(chart, size + 40, dn.y + size - 8, colors, names)
    legend.alignment = "right"
    centre = String(
        dn.x + size / 2,
        dn.y + size / 2 - 4,
        chart.value_format.format(total),
        fontName=BOLD,
        fontSize=12,
        textAnchor="middle",
    )
    return [dn, legend, centre]
