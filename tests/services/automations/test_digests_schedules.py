"""Digests collect a period's transitions; scheduled reports go out once per due time."""

from __future__ import annotations

import datetime as dt

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations import AutomationService, ConnectionInput
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.system.clock import FixedClock
from tests.fakes.smtp_server import SmtpServer
from tests.fakes.webhook_receiver import WebhookReceiver

from .conftest import add_customer, health_rule, make_failing, webhook


def _at(clock: FixedClock, day: dt.date, hour: int, minute: int = 0) -> None:
    clock.day, clock.at = day, dt.datetime.combine(day, dt.time(hour, minute))


def test_daily_digest_collects_the_days_transitions(
    services: Services, automations: AutomationService, clock: FixedClock, hook: WebhookReceiver
) -> None:
    day = clock.today()
    ids = [add_customer(services, f"Digest {i}") for i in range(4)]
    health_rule(automations, webhook(automations, hook.url), timing="daily")
    automations.run_due()
    for hour, cid in zip((9, 13, 17), ids[:3], strict=True):  # three transitions that day
        _at(clock, day, hour)
        make_failing(services, cid)
        result = automations.run_due()
        assert (result.events, result.sent) == (1, 0)  # held for the digest

    _at(clock, day + dt.timedelta(days=1), 7, 59)
    make_failing(services, ids[3])  # belongs to the next day's digest
    assert automations.run_due().sent == 0
    _at(clock, day + dt.timedelta(days=1), 8, 0)
    assert automations.run_due().sent == 1
    digest = hook.wait_for(1)[0].json
    assert digest["type"] == "digest" and digest["period"] == "2026-11-26"
    assert sorted(e["customer"]["name"] for e in digest["events"]) == [
        "Digest 0",
        "Digest 1",
        "Digest 2",
    ]
    assert automations.run_due().sent == 0  # one digest per period, not one per run


def test_weekly_digest_goes_out_on_monday(
    services: Services, automations: AutomationService, clock: FixedClock, hook: WebhookReceiver
) -> None:
    cid = add_customer(services, "Weekly")
    health_rule(automations, webhook(automations, hook.url), timing="weekly")
    automations.run_due()
    make_failing(services, cid)
    automations.run_due()  # Thursday 26 November
    _at(clock, dt.date(2026, 11, 29), 20)  # Sunday: the week is not over
    assert automations.run_due().sent == 0
    _at(clock, dt.date(2026, 11, 30), 8)
    assert automations.run_due().sent == 1
    assert hook.wait_for(1)[0].json["period"] == "2026-W48"


@pytest.fixture
def smtp_connection(automations: AutomationService) -> tuple[SmtpServer, int]:
    server = SmtpServer("starttls")
    server.__enter__()
    conn = automations.connections.create(
        ConnectionInput(
            "Mail",
            "email",
            host="127.0.0.1",
            port=server.port,
            sender="r@example.com",
            to=("team@example.com",),
        )
    )
    yield server, conn.id  # type: ignore[misc]
    server.__exit__()


def test_daily_report_is_sent_once_even_after_days_away(
    services: Services,
    automations: AutomationService,
    clock: FixedClock,
    smtp_connection: tuple[SmtpServer, int],
) -> None:
    smtp, conn = smtp_connection
    add_customer(services, "Reported")
    schedule = automations.schedules.add(
        "portfolio-summary", "daily", "07:30", conn, ("boss@example.com",)
    )
    assert schedule.next_due_at == dt.datetime(2026, 11, 27, 7, 30)  # tomorrow, 07:30 UTC
    _at(clock, dt.date(2026, 11, 27), 7, 29)
    assert automations.run_due().reports == 0
    _at(clock, dt.date(2026, 11, 27), 7, 30)
    first = automations.run_due()
    assert (first.reports, first.sent) == (1, 1)
    msg = smtp.messages[0]
    assert "Portfolio Summary" in msg["Subject"]
    assert [a.get_filename() for a in msg.iter_attachments()] == [
        "portfolio-summary-2026-11-27.pdf"
    ]

    _at(clock, dt.date(2026, 12, 3), 9)  # the laptop was closed for a week
    assert automations.run_due().reports == 1
    assert automations.schedules.all()[0].next_due_at == dt.datetime(2026, 12, 4, 7, 30)
    assert len(smtp.messages) == 2


def test_schedules_are_checked(
    automations: AutomationService, smtp_connection: tuple[SmtpServer, int], hook: WebhookReceiver
) -> None:
    _, conn = smtp_connection
    weekly = automations.schedules.add("at-risk", "weekly", "06:00", conn, (), day="fri")
    assert weekly.next_due_at == dt.datetime(2026, 11, 27, 6, 0)
    assert weekly.recipients == ("team@example.com",)  # the connection's default
    cases = [
        (("at-risk", "monthly", "06:00", conn), {"day": "31"}, "day from 1 to 28"),
        (("at-risk", "daily", "25:00", conn), {}, "HH:MM"),
        (("customer-health", "daily", "06:00", conn), {}, "needs a customer"),
        (("at-risk", "daily", "06:00", webhook(automations, hook.url)), {}, "not an email"),
        (("nonsense", "daily", "06:00", conn), {}, "is not a report"),
    ]
    for args, kw, words in cases:
        with pytest.raises(ValidationError, match=words):
            automations.schedules.add(*args, **kw)  # type: ignore[arg-type]
