"""View fixtures: a page context over the real services, with inline background tasks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.views.bridge import EventBridge
from iqcadence_desktop.views.pages.base import PageContext
from iqcadence_desktop.views.tasks import SyncTaskRunner


@pytest.fixture
def ctx(services: Services, qapp: object) -> Iterator[PageContext]:
    bridge = EventBridge(services.events)
    yield PageContext(services, SyncTaskRunner(), bridge)
    bridge.detach()
