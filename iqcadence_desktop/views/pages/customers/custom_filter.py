"""Filter the Customers page by a custom field: a menu of fields, each with an editor.

Numbers and dates take >, <, >=, <= or = ("> 50", "< 2026-01-01"); text matches any part;
yes/no and choice fields offer their values. Accounts without a value never match.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QMenu, QToolButton, QWidget, QWidgetAction

from iqcadence_desktop.services.customers import CustomerDTO, CustomFieldDTO, CustomValue
from iqcadence_desktop.views.table_models.customer_columns import numeric_test

Test = Callable[[CustomerDTO], bool]
_OPS: dict[str, Callable[[dt.date, dt.date], bool]] = {
    ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
}


def _date_test(expr: str) -> Callable[[dt.date], bool] | None:
    text = expr.replace(" ", "")
    op = next((o for o in _OPS if text.startswith(o)), "=")
    try:
        bound = dt.date.fromisoformat(text[len(op) :] if text.startswith(op) else text)
    except ValueError:
        return None
    return lambda value: _OPS[op](value, bound)


def field_test(field: CustomFieldDTO, expr: str) -> Test | None:
    """A test on one custom field's value, or None when the expression makes no sense."""
    key, text = field.key, expr.strip()
    if not text:
        return None
    if field.kind == "number":
        number = numeric_test(text)
        return None if number is None else _on(key, lambda v: isinstance(v, float) and number(v))
    if field.kind == "date":
        day = _date_test(text)
        return None if day is None else _on(key, lambda v: isinstance(v, dt.date) and day(v))
    if field.kind == "yesno":
        wanted = text.casefold() in ("yes", "y", "true", "1")
        return _on(key, lambda v: v is wanted)
    needle = text.casefold()
    if field.kind == "choice":
        return _on(key, lambda v: str(v).casefold() == needle)
    return _on(key, lambda v: needle in str(v).casefold())


def _on(key: str, test: Callable[[CustomValue], bool]) -> Test:
    def check(c: CustomerDTO) -> bool:
        value = c.custom.get(key)
        return value is not None and test(value)

    return check


class CustomFieldFilterButton(QToolButton):
    """'Custom fields ▾': pick a field, give a condition, the list narrows.

    Signals:
        filter_chosen(object, str): a test on a customer and the words for it.
    """

    filter_chosen = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setText("Custom fields")
        self.setToolTip("Show only accounts whose custom field matches a condition")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setMenu(QMenu(self))
        self.fields: list[CustomFieldDTO] = []
        self.hide()

    def set_fields(self, fields: list[CustomFieldDTO]) -> None:
        self.fields = fields
        menu = self.menu()
        menu.clear()
        for field in fields:
            sub = menu.addMenu(f"{field.label} ({field.kind_label})")
            self._fill(sub, field)
        self.setVisible(bool(fields))

    def _fill(self, menu: QMenu, field: CustomFieldDTO) -> None:
        if field.kind in ("choice", "yesno"):
            for value in field.choices if field.kind == "choice" else ("yes", "no"):
                action = menu.addAction(value)
                action.triggered.connect(self._chooser(field, value))
            return
        editor = QLineEdit()
        editor.setPlaceholderText(
            {"number": "e.g. >50, <=10", "date": "e.g. >2026-01-01"}.get(field.kind, "contains…")
        )
        editor.returnPressed.connect(lambda: self.apply(field, editor.text()))
        box = QWidgetAction(menu)
        box.setDefaultWidget(editor)
        menu.addAction(box)

    def _chooser(self, field: CustomFieldDTO, value: str) -> Callable[[], None]:
        def choose() -> None:
            self.apply(field, value)

        return choose

    def apply(self, field: CustomFieldDTO, expr: str) -> bool:
        """Emit the filter; False (and nothing emitted) when the condition makes no sense."""
        test = field_test(field, expr)
        if test is None:
            return False
        self.menu().close()
        how = (
            "contains"
            if field.kind == "text"
            else ("is" if field.kind in ("choice", "yesno") else "")
        )
        text = f"{field.label} {how} {expr.strip()}".replace("  ", " ")
        self.filter_chosen.emit(test, f"Showing accounts whose {text}.")
        return True
