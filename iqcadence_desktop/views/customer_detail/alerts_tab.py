"""One customer's alerts, with the same actions as the Alerts page (detail window tab)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from iqcadence_desktop.errors import UserFacingError
from iqcadence_desktop.services.alerts import Alert
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.table_models.alert_tree_model import AlertTreeModel
from iqcadence_desktop.views.widgets.alert_actions import AlertActionBar


class CustomerAlertsWidget(QWidget):
    """Lists every alert of one customer (active, snoozed, dismissed) as of today.

    Call `set_customer(id)`; it reloads after each action. Service calls are quick here
    (one customer), so they run inline.
    """

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._customer_id: int | None = None
        self.model = AlertTreeModel()
        self.list = QTreeView()
        self.list.setObjectName("customer_alert_list")
        self.list.setModel(self.model)
        self.list.setRootIsDecorated(False)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.actions_bar = AlertActionBar(with_open=False)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        for widget in (self.actions_bar, self.list, self.status):
            layout.addWidget(widget)
        self._connect()

    def _connect(self) -> None:
        self.list.selectionModel().selectionChanged.connect(self._on_selection_changed)
        alerts = self._services.alerts
        bar = self.actions_bar
        bar.snooze_requested.connect(lambda days: self._act(lambda ids: alerts.snooze(ids, days)))
        bar.dismiss_requested.connect(lambda: self._act(alerts.dismiss))
        bar.wake_requested.connect(lambda: self._act(alerts.wake))
        bar.outcome_requested.connect(
            lambda outcome: self._act(lambda ids: alerts.mark_outcome(ids[0], outcome))
        )

    def set_customer(self, customer_id: int) -> None:
        self._customer_id = customer_id
        self.reload()

    def reload(self) -> None:
        if self._customer_id is None:
            return
        found = self._services.alerts.current(customer_id=self._customer_id)
        self.model.set_alerts(found)
        self.list.setColumnHidden(1, True)  # always this customer
        self.list.setColumnWidth(0, 90)
        self.list.setColumnWidth(2, 330)
        self.list.setColumnWidth(3, 110)
        self.list.setColumnWidth(4, 90)
        self.list.setColumnWidth(5, 160)
        self.list.setColumnHidden(6, True)  # MRR: the same on every row
        self.actions_bar.set_selection(0)
        active = sum(1 for a in found if a.state == "active")
        self.status.setText(
            "No alerts for this customer today."
            if not found
            else f"{active} active of {len(found)}. Hover an alert for its id."
        )

    def selected(self) -> list[Alert]:
        rows = self.list.selectionModel().selectedRows()
        return [a for a in (self.model.alert_at(i) for i in rows) if a is not None]

    def _on_selection_changed(self, *_args: object) -> None:
        self.actions_bar.set_selection(len(self.selected()))

    def _act(self, action: Callable[[list[str]], object]) -> None:
        ids = [a.id for a in self.selected()]
        if not ids:
            return
        try:
            action(ids)
        except UserFacingError as exc:
            self.status.setText(str(exc))
            return
        self.reload()
