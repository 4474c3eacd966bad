"""The detail window's Overview tab: the score taken apart, and the editable fields."""

from __future__ import annotations

import html

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
    CustomFieldDTO,
    Explanation,
)
from iqcadence_desktop.services.model import ChurnEstimate
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS, TIER_LABELS
from iqcadence_desktop.views.customer_detail.custom_fields_box import CustomFieldsBox
from iqcadence_desktop.views.customer_detail.explanation import churn_html, factor_cells
from iqcadence_desktop.views.customer_detail.override_dialog import OverrideDialog
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
DETAILS_WIDTH = 320
TEXT_FIELDS = (
    ("name", "Name"),
    ("external_id", "External id"),
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


#: What the figures beside the score mean (also the Customers table's header tooltips).
TOOLTIPS = {
    "coverage": (
        "Coverage: the share of the configured signal weight this account has data for. "
        "A score at 60 % coverage rests on fewer signals than one at 100 %."
    ),
    "momentum": "Momentum: how many points the score moved over the last 7 days.",
    "priority": (
        "Priority (0–100): how much the account needs attention now, from low health, "
        "revenue, how close the renewal is and a falling score."
    ),
    "since": ("What moved the score since the last stored daily snapshot, in points per signal."),
    "cadence": "Cadence: whether a contact is due, against the tier's contact rhythm.",
    "profile": (
        "The weights this account is scored with: chosen by hand, or by a profile rule "
        "(Settings → Profiles), else the global weights."
    ),
}


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
        self.facts: dict[str, QLabel] = {}
        self.facts_box = self._build_facts()
        self.change = QLabel()
        self.change.setObjectName("change")
        self.change.setToolTip(TOOLTIPS["since"])
        self.change.setWordWrap(True)
        self.override_button = QPushButton("Set score by hand…")
        self.override_button.setObjectName("set_score_by_hand")
        self.override_button.clicked.connect(self._on_override_clicked)
        self.clear_override_button = QPushButton("Use the computed score")
        self.clear_override_button.setObjectName("clear_override")
        self.clear_override_button.clicked.connect(self._on_clear_override_clicked)
        self.override_note = QLabel()
        self.override_note.setObjectName("override_note")
        self.override_note.setWordWrap(True)
        self.customer: CustomerDTO | None = None
        self.explain_table = self._build_explain_table()
        self.churn = QLabel()
        self.churn.setObjectName("churn")
        self.churn.setWordWrap(True)
        self.custom = CustomFieldsBox()
        self.form = FieldForm()
        self.fields: dict[str, QWidget] = {}
        self._build_form()
        self.save_button = QPushButton("Save changes")
        self.save_button.clicked.connect(self._on_save_clicked)
        self._build_layout()

    def _build_facts(self) -> QWidget:
        """Each figure its own label with a tooltip saying what it means."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        # Short figures three to a row; the long ones (renewal, profile) on rows of their
        # own, so the window still fits a laptop screen.
        places = {
            "coverage": (0, 0, 1),
            "momentum": (0, 1, 1),
            "priority": (0, 2, 1),
            "mrr": (1, 0, 1),
            "cadence": (1, 1, 2),
            "renewal": (2, 0, 3),
            "profile": (3, 0, 3),
        }
        for key, (row, column, span) in places.items():
            label = QLabel()
            label.setObjectName(f"fact_{key}")
            label.setToolTip(TOOLTIPS.get(key, ""))
            label.setWordWrap(span > 1)
            self.facts[key] = label
            grid.addWidget(label, row, column, 1, span)
        grid.setColumnStretch(3, 1)
        return box

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
        profile = QComboBox()
        profile.setToolTip(TOOLTIPS["profile"])
        self.fields["profile"] = self.form.add_row("profile", "Scoring profile", profile)
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
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(self.override_button)
        top.addWidget(self.clear_override_button)
        left.addLayout(top)
        left.addWidget(self.override_note)
        left.addWidget(self.facts_box)
        left.addWidget(self.change)
        left.addWidget(QLabel("How the score is made"))
        left.addWidget(self.explain_table, 1)
        left.addWidget(self.churn)
        details = QWidget()
        stack = QVBoxLayout(details)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.addWidget(self.form)
        stack.addWidget(self.custom)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top_aligned(details))
        scroll.setMinimumWidth(DETAILS_WIDTH)  # room for the fields, whatever the table wants
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
        self.customer = c
        color = BAND_COLORS[c.status]
        score = "—" if c.shown_score is None else str(c.shown_score)
        manual = "  " + colored("(set by hand)", Color.MUTED) if c.manual_score else ""
        self.headline.setText(
            f"<span style='font-size:28px; font-weight:600; color:{color}'>"
            f"{score}</span>&nbsp;&nbsp;<span style='font-size:16px; "
            f"color:{color}'>{BAND_LABELS[c.status]}</span>{manual}"
        )
        self._show_override(c)
        for key, text in _facts(c).items():
            self.facts[key].setText(text)
        self.change.setText(
            f"Since {ex.previous_day.isoformat()}: {ex.change_text()}"
            if ex.previous_day and ex.change_text()
            else "No earlier snapshot to compare with."
        )
        self._fill_explanation(ex)

    def show_churn(self, estimate: ChurnEstimate) -> None:
        """The account's chance of churning within the horizon and what drives it."""
        self.churn.setText(churn_html(estimate))

    def _show_override(self, c: CustomerDTO) -> None:
        self.clear_override_button.setVisible(c.manual_score)
        self.override_button.setText("Change…" if c.manual_score else "Set score by hand…")
        self.override_note.setVisible(c.manual_score)
        if c.manual_score:
            until = (
                f"until the end of {c.override_until.isoformat()}"
                if c.override_until
                else "until a signal changes"
            )
            reason = html.escape(c.override_reason or "no reason was given")
            self.override_note.setText(f"Set by hand {until}: <i>{reason}</i>")

    def override_dialog(self) -> OverrideDialog:
        """The dialog for a score by hand (the screenshot tool opens it too)."""
        assert self.customer is not None
        return OverrideDialog(self.ctx, self.customer, self)

    def _on_override_clicked(self) -> None:
        if self.customer is not None:
            self.override_dialog().exec()

    def _on_clear_override_clicked(self) -> None:
        try:
            self.ctx.services.customers.clear_override(self.customer_id)
        except UserFacingError as exc:
            QMessageBox.warning(self, "Customer", str(exc))

    def _fill_explanation(self, ex: Explanation) -> None:
        parts = ex.result.contributions
        factors = factor_cells(ex.result)
        table = self.explain_table
        table.setRowCount(len(parts) + len(factors) + 1)
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
        for row, cells in enumerate(factors, start=len(parts)):
            for col, text in enumerate(cells):
                table.setItem(row, col, _item(text, col > 1, bold=row == len(parts)))
        total = ex.result.score
        last = len(parts) + len(factors)
        table.setItem(last, 0, _item("Total (computed score)", False, bold=True))
        for col in range(1, 5):
            table.setItem(last, col, _item("", True))
        computed = None
        if total is not None:
            base = sum(p.contribution for p in parts)
            computed = base + (ex.result.factor_total if not ex.result.manual else 0.0)
        table.setItem(
            last, 5, _item("—" if computed is None else f"{computed:.2f}", True, bold=True)
        )
        table.resizeRowsToContents()  # factor rows wrap their values onto two lines

    def load_custom(self, c: CustomerDTO, fields: list[CustomFieldDTO]) -> None:
        self.custom.load(c, fields)

    def load_fields(self, c: CustomerDTO) -> None:
        values = {
            "name": c.name,
            "external_id": c.external_id or "",
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
            "profile": c.scoring_profile if c.profile_manual and c.scoring_profile else "",
        }
        self._fill_profiles(c)
        for key, value in values.items():
            _set_field(self.fields[key], value)
        self._original = self.current_values()
        self._version = c.version
        self.form.clear_errors()

    def _fill_profiles(self, c: CustomerDTO) -> None:
        combo = self.fields["profile"]
        assert isinstance(combo, QComboBox)
        combo.clear()
        ruled = c.scoring_profile if not c.profile_manual else None
        # Short: the form's column is narrow on a laptop; the tooltip says it in full.
        combo.addItem(f"By rule: {ruled or 'global weights'}", "")
        full = f"Follows the profile rules; now {ruled or 'the global weights'}."
        combo.setItemData(0, full, Qt.ItemDataRole.ToolTipRole)
        for profile in self.ctx.services.config.profiles():
            combo.addItem(profile.name, profile.name)

    def current_values(self) -> dict[str, str]:
        return {key: _field_text(w) for key, w in self.fields.items()}

    # -- saving -----------------------------------------------------------------------
    def _on_save_clicked(self) -> None:
        changed = {k: v for k, v in self.current_values().items() if v != self._original.get(k)}
        custom = self.custom.changed()
        if not changed and not custom:
            return
        self.form.clear_errors()
        self.custom.form.clear_errors()
        self._save(changed, custom, self._version)

    def _save(self, changed: dict[str, str], custom: dict[str, str], version: int | None) -> None:
        try:
            if custom:
                self.ctx.services.custom_fields.set_values(self.customer_id, custom)
            if changed:
                self.ctx.services.customers.update(self.customer_id, changed, version)
        except StaleEditError as exc:
            choice = ask_reload_or_overwrite(self, exc)
            if choice == "overwrite":
                self._save(changed, {}, None)
            elif choice == "reload":
                self.reload_requested.emit()
            return
        except ValidationError as exc:
            shown = self.form.show_error(exc.field, str(exc))
            if not shown and not self.custom.form.show_error(exc.field, str(exc)):
                QMessageBox.warning(self, "Customer", str(exc))
            return
        except DuplicateNameError as exc:
            self.form.show_error("name", str(exc))
            return
        except UserFacingError as exc:
            QMessageBox.warning(self, "Customer", str(exc))
            return
        self.saved.emit()


def _facts(c: CustomerDTO) -> dict[str, str]:
    momentum = "—" if c.momentum is None else f"{signed(c.momentum)} in 7 days"
    renewal = (
        (
            f"{c.renewal_date.isoformat()} ({c.days_until_renewal:,} days, "
            f"{WINDOW_LABELS[c.renewal_window] or 'later'})"
        )
        if c.renewal_date
        else "not set"
    )
    profile = c.scoring_profile or "global weights"
    how = "by hand" if c.profile_manual else "by rule"
    trash = " · in the trash" if c.deleted_at else ""
    return {
        "coverage": f"Coverage {c.coverage:.0%}",
        "momentum": f"Momentum {momentum}",
        "mrr": f"MRR {money(c.mrr_cents)}",
        "priority": f"Priority {c.priority:.0f}",
        "cadence": f"Cadence: {CADENCE_LABELS[c.cadence_status]}",
        "renewal": f"Renewal: {renewal}",
        "profile": f"Profile: {profile} ({how}) · "
        f"{LIFECYCLE_LABELS.get(c.lifecycle, c.lifecycle)}{trash}",
    }


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
