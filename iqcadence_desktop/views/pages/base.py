"""The small contract every sidebar page follows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QWidget

from iqcadence_desktop.services.analytics import slug
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.tasks import TaskRunner


class PageContext:
    """What pages are given by the composition root (no globals)."""

    def __init__(self, services: Services, tasks: TaskRunner, bridge: EventBridge) -> None:
        self.services = services
        self.tasks = tasks
        self.bridge = bridge
        self.manager: str | None = None  # the manager filter, None = everyone


class Page(QWidget):
    """A sidebar page: declares its id, title and section, and knows how to refresh.

    Pages refresh lazily: `mark_stale()` on data changes, `refresh()` when shown.

    Signals:
        badge_changed(str): text for the page's sidebar badge ("" hides it).
        customer_open_requested(int): the user asked to open a customer's detail window.
        navigation_requested(str, dict): go to another page and apply these parameters
            there (e.g. ("customers", {"status": "at_risk"})).
        help_requested(str): open this topic ("tab/section") in Help & Guide.
    """

    badge_changed = Signal(str)
    customer_open_requested = Signal(int)
    navigation_requested = Signal(str, dict)
    help_requested = Signal(str)

    PAGE_ID: ClassVar[str] = ""
    TITLE: ClassVar[str] = ""
    SECTION: ClassVar[str] = "Monitor"
    ICON: ClassVar[str] = ""
    #: The page's section in Help & Guide ("tab/section"); empty means the section of the
    #: Pages tab named like the page ("pages/csm-performance" for "CSM Performance").
    HELP_TOPIC: ClassVar[str] = ""

    def __init__(self, ctx: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.stale = True
        self._connections: list[tuple[SignalInstance, Callable[..., Any]]] = []
        self.setObjectName(f"page_{self.PAGE_ID}")

    def track(self, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        """Connect and remember, so `disconnect_all` can undo it."""
        signal.connect(slot)
        self._connections.append((signal, slot))

    def disconnect_all(self) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections.clear()

    def mark_stale(self, *_args: object) -> None:
        self.stale = True
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Reload what the page shows from the services."""
        self.stale = False

    def apply_navigation(self, params: dict[str, object]) -> None:
        """Take parameters sent by another page's `navigation_requested` (default: none)."""

    def help_topic(self) -> str:
        return self.HELP_TOPIC or f"pages/{slug(self.TITLE)}"

    def request_help(self) -> None:
        """Ask for this page's section of Help & Guide (the "?" button and F1)."""
        self.help_requested.emit(self.help_topic())

    def focus_search(self) -> None:
        """Put the cursor in the page's search box (Ctrl+F); pages without one ignore it."""
