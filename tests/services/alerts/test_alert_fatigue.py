"""Alert fatigue: a typical portfolio raises at most about one active alert per account."""

from __future__ import annotations

from pathlib import Path

import pytest

from iqcadence_desktop.models.db import open_database
from iqcadence_desktop.services.container import build_services
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.secrets import InMemorySecretStore
from tests.conftest import TODAY


@pytest.mark.parametrize("seed", [7, 3])
def test_the_demo_averages_at_most_one_active_alert_per_account(tmp_path: Path, seed: int) -> None:
    database = open_database(tmp_path / "demo.sqlite3")
    try:
        services = build_services(database, FixedClock(TODAY), secrets=InMemorySecretStore())
        services.customers.load_sample(250, 90, seed)
        active = [a for a in services.alerts.current(record=False) if a.state == "active"]
    finally:
        database.close()
    assert len(active) <= 250, len(active)
    per_account: dict[int, int] = {}
    for alert in active:
        per_account[alert.customer_id] = per_account.get(alert.customer_id, 0) + 1
    assert max(per_account.values()) <= 4  # weak signals fold into the health alert
