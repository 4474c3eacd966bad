"""Score a Customer (S6): type an account in by hand and see its score before saving."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from iqcadence_desktop.errors import DuplicateNameError, UserFacingError, ValidationError
from iqcadence_desktop.services.customers import LIFECYCLES, SENTIMENTS
from iqcadence_desktop.services.scoring import (
    BAND_LABELS,
    SIGNAL_LABELS,
    TIER_LABELS,
    ScoreResult,
    band_for,
    nps_category,
)
from iqcadence_desktop.views.customer_detail.window import open_customer_detail
from iqcadence_desktop.views.pages.base import Page, PageContext
from iqcadence_desktop.views.pages.score_customer.signal_slider import SignalSlider
from iqcadence_desktop.views.table_models.customer_columns import LIFECYCLE_LABELS
from iqcadence_desktop.views.theme import BAND_COLORS, WARNING_STYLE
from iqcadence_desktop.views.widgets.field_form import FieldForm, top_aligned

NO_DATE = QDate(1900, 1, 1)
GROWTH_CHOICES = (("strong", "Strong"), ("mild", "Mild"), ("none", "None"), ("na", "N/A"))


def nps_text(value: int) -> str:
    """'8 — Passive'."""
    return f"{value} — {str(nps_category(value)).capitalize()}"


def _money(text: str) -> Decimal | None:
    try:
        value = Decimal(text.replace(",", "").replace("$", "").strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _fmt(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):f}".removesuffix(".00")


class ScoreCustomerPage(Page):
    """A two-column form with a live preview of the score, its band and contributions."""

    PAGE_ID = "score_customer"
    TITLE = "Score a Customer"
    SECTION = "Data"
    ICON = "score"

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._duplicate_id: int | None = None
        self._money_source = "mrr"
        self._saved_name = ""
        self.form = FieldForm()
        self.fields: dict[str, QWidget] = {}
        self.sliders: dict[str, SignalSlider] = {}
        self._build_form()
        self._build_layout()
        self._connect()
        self.track(ctx.bridge.config_changed, self.mark_stale)
        self.track(ctx.bridge.customers_changed, self.mark_stale)
        self._update_preview()

    # -- building ---------------------------------------------------------------------
    def _build_form(self) -> None:
        add = self.form.add_row
        self.name = add("name", "Name", QLineEdit())
        self.name.setPlaceholderText("Company name")
        self.duplicate = self._build_duplicate_row()
        self.form.layout_.addRow("", self.duplicate)
        self.tier = add("tier", "Tier", self._combo([("", "—")] + list(TIER_LABELS.items())))
        self.mrr = add("mrr", "MRR ($ / month)", QLineEdit())
        self.arr = add("arr", "ARR ($ / year)", QLineEdit())
        for key, low, high, value in (
            ("logins", 0, 100, 15),
            ("adoption", 0, 100, 50),
            ("tickets", 0, 20, 1),
        ):
            self.sliders[key] = add(key, SIGNAL_LABELS[key], SignalSlider(low, high, value))
        self.sliders["nps"] = add("nps", "NPS", SignalSlider(0, 10, 8, nps_text))
        self.sliders["csat"] = add("csat", "CSAT", SignalSlider(1, 5, 4, lambda v: f"{v} of 5"))
        self.csat_hint = QLabel()
        self.csat_hint.setProperty("role", "muted")
        self.csat_hint.setWordWrap(True)
        self.form.layout_.addRow("", self.csat_hint)
        self.sliders["days"] = add(
            "days", "Days since contact", SignalSlider(0, 365, 14, lambda v: f"{v} days")
        )
        self.growth = add("growth", "Growth", self._combo(list(GROWTH_CHOICES)))
        self.growth.setCurrentIndex(3)
        self.renewal = add("renewal_date", "Renewal date", self._date_edit())
        self.lifecycle = add(
            "lifecycle", "Lifecycle", self._combo([(v, LIFECYCLE_LABELS[v]) for v in LIFECYCLES])
        )
        self.lifecycle.setCurrentIndex(LIFECYCLES.index("active"))
        self.manager = add("manager", "Manager", QComboBox())
        self.manager.setEditable(True)
        self.tags = add("tags", "Tags", QLineEdit())
        self.tags.setPlaceholderText("Comma separated, e.g. pilot, emea")
        self.sentiment = add(
            "sentiment",
            "Sentiment",
            self._combo([("", "—")] + [(s, s.capitalize()) for s in SENTIMENTS]),
        )
        self.note = add("note", "Note", QPlainTextEdit())
        self.note.setFixedHeight(60)

    def _build_duplicate_row(self) -> QWidget:
        row = QWidget()
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        self.duplicate_label = QLabel()
        self.duplicate_label.setStyleSheet(WARNING_STYLE)
        self.duplicate_label.setWordWrap(True)
        self.open_existing = QPushButton("Open it")
        box.addWidget(self.duplicate_label, 1)
        box.addWidget(self.open_existing)
        row.hide()
        return row

    @staticmethod
    def _combo(items: list[tuple[str, str]]) -> QComboBox:
        combo = QComboBox()
        for data, label in items:
            combo.addItem(label, data)
        return combo

    @staticmethod
    def _date_edit() -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText("not set")
        edit.setDate(NO_DATE)
        return edit

    def _build_layout(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(top_aligned(self.form))
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        title = QLabel(self.TITLE)
        title.setProperty("role", "page-title")
        grid = QGridLayout(self)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(scroll, 1, 0)
        grid.addWidget(self._build_preview(), 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 1)

    def _build_preview(self) -> QWidget:
        panel = QFrame()
        panel.setProperty("role", "card")
        # The form needs the width more; on a laptop the preview stays compact.
        panel.setMinimumWidth(250)
        panel.setMaximumWidth(380)
        self.preview_score = QLabel()
        self.preview_score.setObjectName("preview_score")
        self.preview_coverage = QLabel()
        self.preview_coverage.setProperty("role", "muted")
        self.preview_table = QTableWidget(0, 3)
        self.preview_table.setHorizontalHeaderLabels(["Signal", "Points", "Adds"])
        adds = self.preview_table.horizontalHeaderItem(2)
        if adds is not None:
            adds.setToolTip("How many points of the score this signal contributes")
        self.preview_table.verticalHeader().hide()
        self.preview_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.preview_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.save_button = QPushButton("Save customer")
        self.save_button.setDefault(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.show_in_list = QPushButton("Show in Customers")
        self.show_in_list.hide()
        box = QVBoxLayout(panel)
        box.addWidget(QLabel("Preview"))
        box.addWidget(self.preview_score)
        box.addWidget(self.preview_coverage)
        box.addWidget(self.preview_table, 1)
        box.addWidget(self.status)
        box.addWidget(self.show_in_list)
        box.addWidget(self.save_button)
        return panel

    def _connect(self) -> None:
        self.name.textChanged.connect(self._on_name_text_changed)
        self.open_existing.clicked.connect(self._on_open_existing_clicked)
        self.mrr.textEdited.connect(self._on_mrr_text_edited)
        self.arr.textEdited.connect(self._on_arr_text_edited)
        for slider in self.sliders.values():
            slider.value_changed.connect(self._update_preview)
        self.growth.currentIndexChanged.connect(self._update_preview)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.show_in_list.clicked.connect(self._on_show_in_list_clicked)

    # -- refresh ----------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        current = self.manager.currentText()
        self.manager.clear()
        self.manager.addItems([""] + self.ctx.services.customers.managers())
        self.manager.setCurrentText(current or (self.ctx.manager or ""))
        enabled = self.ctx.services.config.current().csat_enabled
        self.sliders["csat"].setEnabled(enabled)
        self.csat_hint.setText(
            "" if enabled else "CSAT is not part of the score; turn it on in Settings → Scoring."
        )
        self.csat_hint.setVisible(not enabled)
        self._update_preview()

    # -- input ------------------------------------------------------------------------
    def raw_input(self, with_name: bool = True) -> dict[str, object]:
        """What the form holds, in the service's field names (blank = not given)."""
        raw: dict[str, object] = {
            "tier": self.tier.currentData() or "",
            "growth": self.growth.currentData(),
            "lifecycle": self.lifecycle.currentData(),
            "manager": self.manager.currentText(),
            "tags": self.tags.text(),
            "sentiment": self.sentiment.currentData() or "",
            "note": self.note.toPlainText(),
            "renewal_date": ""
            if self.renewal.date() == NO_DATE
            else self.renewal.date().toString("yyyy-MM-dd"),
        }
        money = self.mrr if self._money_source == "mrr" else self.arr
        raw[self._money_source] = money.text().replace(",", "").replace("$", "").strip()
        for key, slider in self.sliders.items():
            if key != "csat" or slider.isEnabled():
                value = slider.value()
                raw[key] = "" if value is None else value
        if with_name:
            raw["name"] = self.name.text()
        return raw

    def _on_mrr_text_edited(self, text: str) -> None:
        self._money_source = "mrr"
        value = _money(text)
        self.arr.setText("" if value is None else _fmt(value * 12))
        self._update_preview()

    def _on_arr_text_edited(self, text: str) -> None:
        self._money_source = "arr"
        value = _money(text)
        self.mrr.setText("" if value is None else _fmt(value / 12))
        self._update_preview()

    def _on_name_text_changed(self, text: str) -> None:
        found = self.ctx.services.customers.find_id(text) if text.strip() else None
        self._duplicate_id = found
        if found is not None:
            self.duplicate_label.setText(
                "A customer with this name already exists; saving "
                "would be refused. Open it to edit it instead."
            )
        self.duplicate.setVisible(found is not None)

    def _on_open_existing_clicked(self) -> None:
        if self._duplicate_id is not None:
            self.customer_open_requested.emit(self._duplicate_id)
            open_customer_detail(self.ctx, self._duplicate_id, self)

    # -- preview and save ---------------------------------------------------------------
    def _update_preview(self, *_args: object) -> None:
        self.form.clear_errors()
        try:
            result = self.ctx.services.customers.preview(self.raw_input(with_name=False))
        except ValidationError as exc:
            self.form.show_error(exc.field, str(exc))
            return
        self._show_preview(result)

    def _show_preview(self, result: ScoreResult) -> None:
        band = band_for(result.score, self.ctx.services.config.current().bands)
        color = BAND_COLORS[band]
        shown = "—" if result.shown_score is None else str(result.shown_score)
        self.preview_score.setText(
            f"<span style='font-size:34px; font-weight:600; color:{color}'>{shown}</span>"
            f"&nbsp;&nbsp;<span style='font-size:16px; color:{color}'>{BAND_LABELS[band]}</span>"
        )
        self.preview_coverage.setText(f"Coverage {result.coverage:.0%} of the configured weight")
        parts = [p for p in result.contributions if p.weight > 0]
        self.preview_table.setRowCount(len(parts))
        for row, p in enumerate(parts):
            missing = "N/A (left out)" if p.value == "na" else "no data"
            cells = (
                SIGNAL_LABELS[p.signal],
                missing if p.points is None else f"{p.points:.0f}",
                f"{p.contribution:.1f}",
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.preview_table.setItem(row, col, item)

    def _on_save_clicked(self) -> None:
        self.form.clear_errors()
        try:
            dto = self.ctx.services.customers.create(self.raw_input())
        except DuplicateNameError as exc:
            self._duplicate_id = exc.existing_id
            self.form.show_error("name", str(exc))
            self.duplicate.show()
            return
        except ValidationError as exc:
            if not self.form.show_error(exc.field, str(exc)):
                self.status.setText(str(exc))
            return
        except UserFacingError as exc:
            self.status.setText(str(exc))
            return
        score = "unscored" if dto.shown_score is None else f"score {dto.shown_score}"
        self.status.setText(f"Saved {dto.name} ({score}, {BAND_LABELS[dto.status]}).")
        self._saved_name = dto.name
        self.show_in_list.show()
        self.name.clear()

    def _on_show_in_list_clicked(self) -> None:
        self.navigation_requested.emit("customers", {"search": self._saved_name})
