"""The alert service over a real database: episodes, hysteresis, snooze, dismiss, outcomes."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.alerts.config import AlertConfig
from iqcadence_desktop.services.alerts.rules import Alert
from iqcadence_desktop.services.alerts.service import ALERTS_CHANGED, sort_key
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.audit import AuditFilter
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.events import DomainEvent

CALM = {
    "logins": 25,
    "adoption": 70,
    "nps": 9,
    "growth": "none",
    "tier": "mid",
    "sentiment": "neutral",
}


def make(services: Services, tickets: int, name: str = "Acme") -> int:
    return services.customers.create(
        {"name": name, "tickets": tickets, "days": 1, "manager": "Dana", **CALM}
    ).id


def ticket_alert(services: Services, cid: int) -> Alert | None:
    found = [a for a in services.alerts.current() if a.id == f"{cid}:tickets:open_tickets"]
    return found[0] if found else None


def test_since_is_the_first_day_the_condition_held(services: Services, clock: FixedClock) -> None:
    cid = make(services, 4)
    first = ticket_alert(services, cid)
    assert first is not None and first.since == clock.today()
    clock.advance(3)
    later = ticket_alert(services, cid)
    assert later is not None and later.since == clock.today() - dt.timedelta(days=3)


def test_hysteresis_blocks_flapping_until_the_margin(services: Services, clock: FixedClock) -> None:
    cid = make(services, 3)
    assert ticket_alert(services, cid) is not None
    services.customers.update(cid, {"tickets": 2})
    assert ticket_alert(services, cid) is None
    clock.advance()
    services.customers.update(cid, {"tickets": 3})  # back on the line: no new alert
    assert ticket_alert(services, cid) is None
    services.customers.update(cid, {"tickets": 4})  # crossed by the 1-unit margin
    again = ticket_alert(services, cid)
    assert again is not None and again.since == clock.today()


def test_snooze_hides_until_the_day_it_ends(services: Services, clock: FixedClock) -> None:
    cid = make(services, 5)
    aid = f"{cid}:tickets:open_tickets"
    assert services.alerts.snooze([aid], 7) == 1
    for _ in range(6):
        clock.advance()
        found = ticket_alert(services, cid)
        assert found is not None and found.state == "snoozed"
        assert found.snoozed_until == dt.date(2026, 12, 3)
    clock.advance()
    found = ticket_alert(services, cid)
    assert found is not None and found.state == "active"


def test_dismiss_lasts_until_the_condition_clears_and_returns(
    services: Services, clock: FixedClock
) -> None:
    cid = make(services, 5)
    services.alerts.dismiss([f"{cid}:tickets:open_tickets"])
    clock.advance()
    found = ticket_alert(services, cid)
    assert found is not None and found.state == "dismissed"
    services.customers.update(cid, {"tickets": 0})
    assert ticket_alert(services, cid) is None
    clock.advance()
    services.customers.update(cid, {"tickets": 6})
    back = ticket_alert(services, cid)
    assert back is not None and back.state == "active" and back.since == clock.today()


def test_wake_undoes_snooze_and_dismiss(services: Services) -> None:
    a, b = make(services, 5), make(services, 5, "Beta")
    ids = [f"{a}:tickets:open_tickets", f"{b}:tickets:open_tickets"]
    services.alerts.snooze(ids[:1], 30)
    services.alerts.dismiss(ids[1:])
    assert services.alerts.active_count(services.alerts.current()) == 0
    assert services.alerts.wake(ids) == 2
    assert services.alerts.active_count(services.alerts.current()) == 2


def test_actions_are_audited_and_published(services: Services) -> None:
    cid = make(services, 5)
    seen: list[DomainEvent] = []
    services.events.subscribe(ALERTS_CHANGED, seen.append)
    services.alerts.snooze([f"{cid}:tickets:open_tickets"], 1)
    entries = services.audit.entries(AuditFilter(action="alert_snoozed"))
    assert len(entries) == 1 and entries[0].customer_id == cid
    assert "5 support tickets are open" in entries[0].summary
    assert [e.customer_ids for e in seen] == [(cid,)]


@pytest.mark.parametrize(
    ("ids", "words"),
    [
        (["nonsense"], "not an alert id"),
        (["999:tickets:open_tickets"], "No current alert"),
        ([], "at least one"),
    ],
)
def test_bad_ids_are_refused_with_a_clear_message(
    services: Services, ids: list[str], words: str
) -> None:
    make(services, 5)
    with pytest.raises(ValidationError, match=words):
        services.alerts.snooze(ids, 1)


def test_snooze_days_must_be_sensible(services: Services) -> None:
    cid = make(services, 5)
    with pytest.raises(ValidationError, match="1 to 365"):
        services.alerts.snooze([f"{cid}:tickets:open_tickets"], 0)


def test_outcomes_feed_hit_rates(services: Services) -> None:
    a, b = make(services, 5), make(services, 5, "Beta")
    services.alerts.mark_outcome(f"{a}:tickets:open_tickets", "false_alarm")
    services.alerts.mark_outcome(f"{a}:tickets:open_tickets", "acted_on")  # re-mark replaces
    services.alerts.mark_outcome(f"{b}:tickets:open_tickets", "too_early")
    rates = {r.rule: r for r in services.alerts.hit_rates()}
    assert rates["open_tickets"].marked == 2 and rates["open_tickets"].rate == 0.5
    assert rates["low_logins"].rate is None
    with pytest.raises(ValidationError, match="not an outcome"):
        services.alerts.mark_outcome(f"{a}:tickets:open_tickets", "great")


def test_a_past_day_does_not_rewrite_the_present(services: Services, clock: FixedClock) -> None:
    cid = make(services, 5)
    services.alerts.current()
    services.alerts.current(as_of=clock.today() - dt.timedelta(days=40))
    found = ticket_alert(services, cid)
    assert found is not None and found.since == clock.today()


def test_manager_filter(services: Services) -> None:
    make(services, 5)
    assert services.alerts.current(manager="Dana")
    assert services.alerts.current(manager="Someone else") == []


def test_alert_settings_are_versioned_and_validated(services: Services) -> None:
    cid = make(services, 2)
    assert ticket_alert(services, cid) is None
    changes = services.alert_config.save(AlertConfig(tickets_attention=2))
    assert changes == ["tickets_attention: 3 → 2"]
    assert ticket_alert(services, cid) is not None
    assert services.config.history("alerts")[0].changes
    with pytest.raises(ValidationError, match="below 'warning'"):
        services.alert_config.save(AlertConfig(tickets_attention=6))
    with pytest.raises(ValidationError, match="not an alert rule"):
        services.alert_config.save(AlertConfig(disabled_rules=("bogus",)))


def test_a_look_without_recording_changes_nothing(services: Services, clock: FixedClock) -> None:
    cid = make(services, 5)
    ahead = services.alerts.current(as_of=clock.today() + dt.timedelta(days=60), record=False)
    assert [a.since for a in ahead if a.customer_id == cid][0] == dt.date(2027, 1, 25)
    found = ticket_alert(services, cid)
    assert found is not None and found.since == clock.today()
    clock.advance(2)
    later = ticket_alert(services, cid)
    assert later is not None and later.since == dt.date(2026, 11, 26)


def test_sort_alerts_matches_sort_key(services: Services) -> None:
    services.customers.load_sample(40, 3)
    alerts = services.alerts.current()
    assert alerts == sorted(alerts, key=sort_key) and len(alerts) > 20


def test_a_busy_database_skips_episode_bookkeeping_instead_of_waiting(
    services: Services, clock: FixedClock, db_path: object
) -> None:
    import sqlite3
    import time

    from sqlalchemy import func, select

    from iqcadence_desktop.models import AlertState

    cid = make(services, 4)
    clock.advance(1)
    writer = sqlite3.connect(str(db_path), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another task's long write holds the lock
    try:
        started = time.perf_counter()
        alerts = services.alerts.current()
        waited = time.perf_counter() - started
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert any(a.customer_id == cid for a in alerts), "the alerts are still shown"
    assert waited < 2.0, f"the page load waited {waited:.1f} s for the write lock"
    services.alerts.current()  # the lock is free: the bookkeeping happens now
    with services.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AlertState)) > 0
