"""The smaller Home Base cards: section frames, account link lists, pipeline, tier cards."""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.services.portfolio import RenewalBucket, TierCard
from iqcadence_desktop.views.theme import BAND_COLORS, Color, colored, money


class SectionCard(QFrame):
    """A white card with a heading; put content in `body`."""

    def __init__(self, title: str, parent: QWidget | None = None, fill: bool = False) -> None:
        """`fill`: the body takes the spare height (so buttons can sit at the bottom)."""
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600; font-size: 14px; border: none;")
        self.header = QHBoxLayout()
        self.header.addWidget(heading)
        self.header.addStretch(1)
        layout.addLayout(self.header)
        self.body = QVBoxLayout()
        layout.addLayout(self.body, 1 if fill else 0)
        if not fill:
            layout.addStretch(1)


class LinkList(QLabel):
    """Lines of rich text; a line's link opens its customer.

    Signals:
        customer_clicked(int): the customer id behind the clicked line.
    """

    customer_clicked = Signal(int)

    def __init__(self, empty_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = empty_text
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setStyleSheet("border: none;")
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.linkActivated.connect(self._on_link_activated)
        self.lines: list[tuple[int, str]] = []

    def set_lines(self, lines: Sequence[tuple[int, str, str]]) -> None:
        """(customer id, link text, plain text after it)."""
        self.lines = [(cid, name) for cid, name, _ in lines]
        if not lines:
            self.setText(colored(html.escape(self.empty_text), Color.MUTED))
            return
        rows = [
            f"<a href='customer:{cid}' style='color:{Color.INK}; font-weight:600; "
            f"text-decoration:none'>{html.escape(name)}</a> {after}"
            for cid, name, after in lines
        ]
        self.setText("<div style='line-height:140%'>" + "<br>".join(rows) + "</div>")

    def _on_link_activated(self, link: str) -> None:
        self.customer_clicked.emit(int(link.split(":", 1)[1]))


def dot(color: str) -> str:
    return f"<span style='color:{color}'>●</span>"


def band_badge(status: str, score: int | None) -> str:
    text = "—" if score is None else str(score)
    return colored(text, BAND_COLORS.get(status, Color.NEUTRAL))


class PipelineView(QWidget):
    """Renewals per window: a bar for the count, then accounts, MRR and how many are unhealthy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[QLabel, QProgressBar, QLabel]] = []

    def set_buckets(self, buckets: Sequence[RenewalBucket]) -> None:
        while len(self.rows) < len(buckets):
            label, bar, text = QLabel(), QProgressBar(), QLabel()
            bar.setTextVisible(False)
            bar.setFixedHeight(10)
            text.setProperty("role", "muted")
            r = len(self.rows)
            self.grid.addWidget(label, 2 * r, 0)
            self.grid.addWidget(bar, 2 * r, 1)
            self.grid.addWidget(text, 2 * r + 1, 0, 1, 2)
            self.rows.append((label, bar, text))
        top = max((b.customers for b in buckets), default=0) or 1
        for (label, bar, text), b in zip(self.rows, buckets, strict=False):
            label.setText(b.label)
            bar.setRange(0, top)
            bar.setValue(b.customers)
            unhealthy = f", {b.unhealthy} unhealthy" if b.unhealthy else ""
            text.setText(
                f"{b.customers:,} account{'s' * (b.customers != 1)} · "
                f"{money(b.mrr_cents)} MRR{unhealthy}"
            )


class TierCards(QWidget):
    """One small card per tier."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.labels: dict[str, QLabel] = {}

    def set_tiers(self, tiers: Sequence[TierCard]) -> None:
        for t in tiers:
            label = self.labels.get(t.tier)
            if label is None:
                label = QLabel()
                label.setObjectName(f"tier_{t.tier}")
                label.setStyleSheet(
                    f"background: {Color.SURFACE_ALT}; border-radius: 6px; padding: 8px;"
                )
                label.setTextFormat(Qt.TextFormat.RichText)
                self.labels[t.tier] = label
                self.row.addWidget(label, 1)
            avg = "—" if t.average_score is None else f"{int(t.average_score + 0.5)}"
            label.setText(
                f"<b>{html.escape(t.label)}</b><br>{t.customers:,} accounts<br>"
                f"avg health {avg}<br>{money(t.mrr_cents)} MRR<br>"
                f"<span style='color:{BAND_COLORS['at_risk']}'>{t.at_risk} at risk"
                "</span>"
            )
