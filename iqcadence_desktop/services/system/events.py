"""Domain events: a tiny synchronous publish/subscribe bus.

Services publish after a unit of work commits; the automation engine and the GUI's Qt
bridge subscribe. Handlers must not raise into the publisher: a failing handler is
logged and the others still run.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

CUSTOMERS_CHANGED = "customers_changed"
CONFIG_CHANGED = "config_changed"
SETTINGS_CHANGED = "settings_changed"


@dataclass(frozen=True)
class DomainEvent:
    """What happened, to which customers (empty = possibly all)."""

    name: str
    customer_ids: tuple[int, ...] = ()
    detail: dict[str, object] = field(default_factory=dict)


Handler = Callable[[DomainEvent], None]


class EventBus:
    """Delivers each published event to the handlers subscribed to its name."""

    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def subscribe(self, name: str, handler: Handler) -> Callable[[], None]:
        """Register a handler; returns a function that unregisters it."""
        self._handlers[name].append(handler)
        return lambda: self._handlers[name].remove(handler)

    def publish(self, event: DomainEvent) -> None:
        for handler in list(self._handlers[event.name]):
            try:
                handler(event)
            except Exception:
                log.exception("Handler for %s failed", event.name)
