"""Turns domain events into Qt signals on the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal

from iqcadence_desktop.services.alerts import ALERTS_CHANGED
from iqcadence_desktop.services.automations import AUTOMATIONS_CHANGED, OUTBOX_CHANGED
from iqcadence_desktop.services.system import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    SETTINGS_CHANGED,
    DomainEvent,
    EventBus,
)


class EventBridge(QObject):
    """Re-emits service events as signals; safe to publish from worker threads.

    Signals:
        customers_changed(DomainEvent), config_changed(DomainEvent),
        settings_changed(DomainEvent), alerts_changed(DomainEvent),
        automations_changed(DomainEvent): rules, connections or schedules changed,
        outbox_changed(DomainEvent): messages were queued, sent or failed
    """

    customers_changed = Signal(object)
    config_changed = Signal(object)
    settings_changed = Signal(object)
    alerts_changed = Signal(object)
    automations_changed = Signal(object)
    outbox_changed = Signal(object)
    _received = Signal(object)

    def __init__(self, events: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._received.connect(self._on_event_received, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = [
            events.subscribe(name, self._received.emit)
            for name in (
                CUSTOMERS_CHANGED,
                CONFIG_CHANGED,
                SETTINGS_CHANGED,
                ALERTS_CHANGED,
                AUTOMATIONS_CHANGED,
                OUTBOX_CHANGED,
            )
        ]

    def _on_event_received(self, event: DomainEvent) -> None:
        {
            CUSTOMERS_CHANGED: self.customers_changed,
            CONFIG_CHANGED: self.config_changed,
            SETTINGS_CHANGED: self.settings_changed,
            ALERTS_CHANGED: self.alerts_changed,
            AUTOMATIONS_CHANGED: self.automations_changed,
            OUTBOX_CHANGED: self.outbox_changed,
        }[event.name].emit(event)

    def detach(self) -> None:
        for unsubscribe in self._unsubscribe:
            unsubscribe()
        self._unsubscribe = []
