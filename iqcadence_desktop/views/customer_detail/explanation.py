"""Words and cells for the parts of an explanation beyond the signals: the signal-model
factors and the churn estimate (shared by the Overview tab; no widgets here)."""

from __future__ import annotations

from html import escape

from iqcadence_desktop.services.model import ChurnEstimate
from iqcadence_desktop.services.scoring import ScoreResult
from iqcadence_desktop.views.theme import Color, colored

#: How many churn factors the Overview lists.
SHOWN_FACTORS = 4


def factor_cells(result: ScoreResult) -> list[tuple[str, str, str, str, str, str]]:
    """Rows for the explanation table: the weighted average, then each factor."""
    if not result.factors or result.weighted_average is None:
        return []
    note = " (factors not applied: the score was set by hand)" if result.manual else ""
    rows = [("Weighted average" + note, "", "", "", "", f"{result.weighted_average:.2f}")]
    for f in result.factors:
        # The rule's values go in the wide first column, wrapped, not in "Value".
        rows.append((f"{f.label}: {f.detail}", "", "", "", "", f"{f.points:+.2f}"))
    return rows


def churn_html(e: ChurnEstimate) -> str:
    """'Chance of churning within 90 days: 23 % (fitted model)' and the main factors."""
    source = (
        "fitted on this portfolio's history"
        if e.method == "fitted"
        else "documented prior: not enough churn history to fit a model"
    )
    head = (
        f"<b>Chance of churning within {e.horizon_days} days: {e.probability:.0%}</b> "
        + colored(f"({escape(source)})", Color.MUTED)
    )
    parts = [
        f"{escape(f.name)} {'+' if f.effect >= 0 else '−'}{abs(f.effect):.2f}: {escape(f.detail)}"
        for f in e.factors[:SHOWN_FACTORS]
        if f.effect
    ]
    tail = "<br>".join(parts) if parts else "Nothing moves it away from the base rate."
    return f"{head}<br>{colored('Log-odds that add up:', Color.MUTED)} {tail}"
