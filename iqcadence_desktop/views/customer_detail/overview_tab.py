"""The detail window's Overview tab: the score taken apart, and the editable fields."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import (
    DuplicateNameError,
    StaleEditError,
    UserFacingError,
    ValidationError,
)
from iqcadence_desktop.services.customers import (
    GROWTHS,
    LIFECYCLES,
    SENTIMENTS,
    CustomerDTO,
    Explanation,
)
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS, TIER_LABELS
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.table_models.customer_columns import (
    CADENCE_LABELS,
    LIFECYCLE_LABELS,
    WINDOW_LABELS,
    signed,
)
from iqcadence_desktop.views.theme import BAND_COLORS, Color, colored, money
from iqcadence_desktop.views.widgets.field_form import FieldForm, top_aligned
from iqcadence_desktop.views.widgets.stale_edit import ask_reload_or_overwrite

EXPLAIN_HEADERS = ("Signal", "Value", "Points", "Weight", "Effective\nweight", "Contribution")
NO_DATE = QDate(1900, 1, 1)
TEXT_FIELDS = (
    ("name", "Name"),
    ("manager", "Manager"),
    ("mrr", "MRR ($)"),
    ("logins", "Logins (30 d)"),
    ("adoption", "Feature adoption %"),
    ("tickets", "Open tickets"),
    ("nps", "NPS (0–10)"),
    ("csat", "CSAT (1–5)"),
    ("tags", "Tags (comma separated)"),
    ("note", "Note"),
)
CHOICE_FIELDS = (
    ("tier", "Tier", ("",) + tuple(TIER_LABELS)),
    ("growth", "Growth", ("",) + GROWTHS),
    ("lifecycle", "Lifecycle", LIFECYCLES),
    ("sentiment", "Sentiment", ("",) + SENTIMENTS),
)
DATE_FIELDS = (
    ("last_contact", "Last contact"),
    ("renewal_date", "Renewal date"),
    ("next_touch", "Next touch"),
)


def value_text(value: object) -> str:
    if value is None:
        return "no data"
    if isinstance(value, float):
        return f"{value:g}"
    return "N/A" if value == "na" else str(value)


class OverviewTab(QWidget):
    """Score, band, coverage, momentum, the explanation table and the editable fields.

    Signals:
        saved(): the customer was updated through the service.
    """

    saved = Signal()
    reload_requested = Signal()

    def __init__(self, ctx: PageContext, customer_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.customer_id = customer_id
        self._original: dict[str, str] = {}
        self._version: int | None = None  # what the form was filled from (team mode)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.change = QLabel()
        self.change.setObjectName("change")
        self.explain_table = self._build_explain_table()
        self.form = FieldForm()
        self.fields: dict[str, QWidget] = {}
        self._build_form()
        self.save_button = QPushButton("Save changes")
        self.save_button.clicked.connect(self._on_save_clicked)
        self._build_layout()

    def _build_explain_table(self) -> QTableWidget:
        table = QTableWidget(0, len(EXPLAIN_HEADERS))
        table.setObjectName("explanation")
        table.setHorizontalHeaderLabels(list(EXPLAIN_HEADERS))
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        return table

    def _build_form(self) -> None:
        for key, label in TEXT_FIELDS:
            self.fields[key] = self.form.add_row(key, label, QLineEdit())
        for key, label, choices in CHOICE_FIELDS:
            combo = QComboBox()
            for choice in choices:
                combo.addItem(_choice_label(key, choice), choice)
            self.fields[key] = self.form.add_row(key, label, combo)
        for key, label in DATE_FIELDS:
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(NO_DATE)
            edit.setSpecialValueText("not set")
            self.fields[key] = self.form.add_row(key, label, edit)

    def _build_layout(self) -> None:
        left = QVBoxLayout()
        left.addWidget(self.headline)
        left.addWidget(self.facts)
        left.addWidget(self.change)
        left.addWidget(QLabel("How the score is made"))
        left.addWidget(self.explain_table, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top_aligned(self.form))
        right = QVBoxLayout()
        right.addWidget(QLabel("Details"))
        right.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        right.addLayout(buttons)
        grid = QGridLayout(self)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)

    # -- showing ----------------------------------------------------------------------
    def show_explanation(self, ex: Explanation) -> None:
        c = ex.customer
        color = BAND_COLORS[c.status]
        score = "—" if c.shown_score is None else str(c.shown_score)
        manual = "  " + colored("(score set by hand)", Color.MUTED) if c.manual_score else ""
        self.headline.setText(
            f"<span style='font-size:28px; font-weight:600; color:{color}'>"
            f"{score}</span>&nbsp;&nbsp;<span style='font-size:16px; "
            f"color:{color}'>{BAND_LABELS[c.status]}</span>{manual}"
        )
        self.facts.setText(_facts(c))
        self.change.setText(
            f"Since {ex.previous_day.isoformat()}: {ex.change_text()}"
            if ex.previous_day and ex.change_text()
            else "No earlier snapshot to compare with."
        )
        self._fill_explanation(ex)

    def _fill_explanation(self, ex: Explanation) -> None:
        parts = ex.result.contributions
        table = self.explain_table
        table.setRowCount(len(parts) + 1)
        for row, p in enumerate(parts):
            cells = (
                SIGNAL_LABELS[p.signal],
                value_text(p.value),
                "—" if p.points is None else f"{p.points:.1f}",
                f"{p.weight:g}",
                f"{p.effective_weight:.1%}",
                f"{p.contribution:.2f}",
            )
            for col, text in enumerate(cells):
                table.setItem(row, col, _item(text, col > 0))
        total = ex.result.score
        last = len(parts)
        table.setItem(last, 0, _item("Total (computed score)", False, bold=True))
        for col in range(1, 5):
            table.setItem(last, col, _item("", True))
        computed = sum(p.contribution for p in parts) if total is not None else None
        table.setItem(
            last, 5, _item("—" if computed is None else f"{computed:.2f}", True, bold=True)
        )

    def load_fields(self, c: CustomerDTO) -> None:
        values = {
            "name": c.name,
            "manager": c.manager or "",
            "mrr": "" if c.mrr_cents is None else f"{c.mrr_cents / 100:g}",
            "logins": _opt(c.logins_30d),
            "adoption": _opt(c.feature_adoption_pct),
            "tickets": _opt(c.open_tickets),
            "nps": _opt(c.nps),
            "csat": _opt(c.csat),
            "tags": ", ".join(c.tags),
            "note": c.note or "",
            "tier": c.tier or "",
            "growth": c.growth_signal or "",
            "lifecycle": c.lifecycle,
            "sentiment": c.sentiment or "",
            "last_contact": _iso(c.last_contact_date),
            "renewal_date": _iso(c.renewal_date),
            "next_touch": _iso(c.next_touch),
        }
        for key, value in values.items():
            _set_field(self.fields[key], value)
        self._original = self.current_values()
        self._version = c.version
        self.form.clear_errors()

    def current_values(self) -> dict[str, str]:
        return {key: _field_text(w) for key, w in self.fields.items()}

    # -- saving -----------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        changed = {k: v for k, v in self.current_values().items() if v != self._original.get(k)}
        if not changed:
            return
        self.form.clear_errors()
        self._save(changed, self._version)

    def _save(self, changed: dict[str, str], version: int | None) -> None:
        try:
            self.ctx.services.customers.update(self.customer_id, changed, version)
        except StaleEditError as exc:
            choice = ask_reload_or_overwrite(self, exc)
            if choice == "overwrite":
                self._save(changed, None)
            elif choice == "reload":
                self.reload_requested.emit()
            return
        except ValidationError as exc:
            if not self.form.show_error(exc.field, str(exc)):
                QMessageBox.warning(self, "Customer", str(exc))
            return
        except DuplicateNameError as exc:
            self.form.show_error("name", str(exc))
            return
        except UserFacingError as exc:
            QMessageBox.warning(self, "Customer", str(exc))
            return
        self.saved.emit()


def _facts(c: CustomerDTO) -> str:
    momentum = "—" if c.momentum is None else f"{signed(c.momentum)} in 7 days"
    renewal = (
        (
            f"{c.renewal_date.isoformat()} ({c.days_until_renewal} days, "
            f"{WINDOW_LABELS[c.renewal_window] or 'later'})"
        )
        if c.renewal_date
        else "not set"
    )
    return (
        f"Coverage {c.coverage:.0%} · Momentum {momentum} · MRR {money(c.mrr_cents)} · "
        f"Priority {c.priority:.0f}<br>Cadence: {CADENCE_LABELS[c.cadence_status]} · "
        f"Renewal: {renewal} · Lifecycle: {LIFECYCLE_LABELS.get(c.lifecycle, c.lifecycle)}"
        f"{' · in the trash' if c.deleted_at else ''}"
    )


def _choice_label(key: str, choice: str) -> str:
    if not choice:
        return "—"
    if key == "tier":
        return TIER_LABELS[choice]
    if key == "lifecycle":
        return LIFECYCLE_LABELS[choice]
    return "N/A" if choice == "na" else choice.capitalize()


def _item(text: str, right: bool, bold: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    if bold:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def _opt(value: object) -> str:
    return "" if value is None else value_text(value)


def _iso(day: object) -> str:
    return "" if day is None else str(day)


def _set_field(widget: QWidget, value: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QComboBox):
        widget.setCurrentIndex(max(0, widget.findData(value)))
    elif isinstance(widget, QDateEdit):
        widget.setDate(QDate.fromString(value, "yyyy-MM-dd") if value else NO_DATE)


def _field_text(widget: QWidget) -> str:
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    if isinstance(widget, QComboBox):
        return str(widget.currentData() or "")
    if isinstance(widget, QDateEdit):
        return "" if widget.date() == NO_DATE else widget.date().toString("yyyy-MM-dd")
    return ""
