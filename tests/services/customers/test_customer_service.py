"""The customer service end to end on a real SQLite file with a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from iqcadence_desktop.errors import DuplicateNameError, NotFoundError, ValidationError
from iqcadence_desktop.models import Customer, ScoreSnapshot
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers.query import CustomerFilter
from iqcadence_desktop.services.system.clock import FixedClock
from iqcadence_desktop.services.system.events import CUSTOMERS_CHANGED, DomainEvent

FULL = {"logins": 30, "adoption": 100, "tickets": 0, "nps": 10, "days": 0, "growth": "strong"}
WEAK = {"logins": 3, "adoption": 10, "tickets": 5, "nps": 2, "days": 150, "growth": "none"}


def _snapshots(services: Services, cid: int) -> list[ScoreSnapshot]:
    return services.customers.history(cid)


def _count(services: Services, model: type) -> int:
    with services.db.session() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_create_publishes_event_and_writes_snapshot(services: Services) -> None:
    seen: list[DomainEvent] = []
    services.events.subscribe(CUSTOMERS_CHANGED, seen.append)
    dto = services.customers.create({"name": "Acme", **FULL, "mrr": "5000"})
    assert [e.customer_ids for e in seen] == [(dto.id,)]
    snaps = _snapshots(services, dto.id)
    assert [(s.day, s.score, s.status) for s in snaps] == [
        (services.clock.today(), pytest.approx(100.0), "expansion")
    ]
    entry = services.audit.entries()[0]
    assert entry.action == "customer_created" and "MRR $5,000/mo" in entry.summary


def test_update_rescores_and_last_snapshot_of_the_day_wins(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    services.customers.update(dto.id, {"logins": 15})
    after = services.customers.update(dto.id, {"logins": 0})
    snaps = _snapshots(services, dto.id)
    assert len(snaps) == 1
    assert snaps[0].logins_30d == 0 and snaps[0].score == pytest.approx(after.score)
    assert after.score == pytest.approx(75.0)


def test_update_with_no_change_writes_nothing(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    services.customers.update(dto.id, {"logins": 30})
    assert len(services.audit.entries()) == 1


def test_update_unknown_customer(services: Services) -> None:
    with pytest.raises(NotFoundError):
        services.customers.update(999, {"logins": 3})


def test_duplicates_refused_on_create_rename_and_against_the_trash(services: Services) -> None:
    a = services.customers.create({"name": "Acme Corp"})
    b = services.customers.create({"name": "Globex"})
    with pytest.raises(DuplicateNameError):
        services.customers.update(b.id, {"name": "ACME  corp"})
    services.customers.trash([a.id])
    with pytest.raises(DuplicateNameError, match="is in the trash") as info:
        services.customers.create({"name": "acme corp"})
    assert info.value.existing_id == a.id and info.value.in_trash
    with pytest.raises(ValidationError, match="in the trash"):
        services.customers.save_by_name({"name": "Acme Corp", "logins": 3})
    renamed = services.customers.update(a.id, {"name": "Acme Corporation"})
    assert renamed.name == "Acme Corporation"


def test_save_by_name_creates_then_updates(services: Services) -> None:
    first, created = services.customers.save_by_name({"name": "Acme", "logins": 3})
    second, created_again = services.customers.save_by_name({"name": " ACME ", "logins": 30})
    assert created and not created_again and first.id == second.id
    assert second.logins_30d == 30 and second.name == "Acme"


def test_bad_input_writes_nothing(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    before = (_count(services, ScoreSnapshot), len(services.audit.entries()))
    for bad in (
        {"nps": 11},
        {"adoption": 140},
        {"logins": -1},
        {"csat": 0},
        {"tier": "unknown"},
        {"renewal_date": "2026-02-30"},
        {"profile": "Nope"},
    ):
        with pytest.raises(ValidationError):
            services.customers.update(dto.id, {"logins": 1, **bad})
    assert services.customers.get(dto.id).logins_30d == 30
    assert (_count(services, ScoreSnapshot), len(services.audit.entries())) == before


def test_trash_restore_purge(services: Services) -> None:
    a = services.customers.create({"name": "Acme", **FULL})
    b = services.customers.create({"name": "Globex", **WEAK})
    assert services.customers.trash([a.id]) == 1
    assert services.customers.trash([a.id]) == 0  # already there
    assert [c.name for c in services.customers.list_customers()] == ["Globex"]
    assert [c.name for c in services.customers.list_customers(CustomerFilter(trash=True))] == [
        "Acme"
    ]
    with pytest.raises(ValidationError, match="not in the trash"):
        services.customers.purge([b.id])
    assert services.customers.restore([a.id]) == 1
    services.customers.trash([a.id])
    assert services.customers.purge([a.id]) == 1
    with pytest.raises(NotFoundError):
        services.customers.get(a.id)
    assert _count(services, ScoreSnapshot) == 1  # a's snapshots went with it
    actions = [e.action for e in services.audit.entries()]
    assert {"customer_trashed", "customer_restored", "customer_purged"} <= set(actions)


def test_portfolio_daily_follows_trash_and_restore(services: Services, clock: FixedClock) -> None:
    a = services.customers.create({"name": "Acme", **FULL, "mrr": 1000})
    services.customers.create({"name": "Globex", **WEAK, "mrr": 500})
    day = services.portfolio.daily(1)[-1]
    assert (day.customers, day.mrr_cents, day.at_risk_mrr_cents) == (2, 150_000, 50_000)
    services.customers.trash([a.id])
    assert services.portfolio.daily(1)[-1].customers == 1
    clock.advance(3)  # restored days later: it is scored and counted today
    services.customers.restore([a.id])
    today = services.portfolio.daily(1)[-1]
    assert (today.day, today.customers, today.mrr_cents) == (clock.today(), 2, 150_000)


def test_manual_score_lasts_until_next_signal_update(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    manual = services.customers.update(dto.id, {"score": 40})
    assert manual.score == 40.0 and manual.manual_score and manual.status == "at_risk"
    kept = services.customers.update(dto.id, {"manager": "Sarah", "tier": "smb"})
    assert kept.manual_score and kept.score == 40.0
    cleared = services.customers.update(dto.id, {"tickets": 1})
    assert not cleared.manual_score and cleared.score == pytest.approx(96.0)


def test_lifecycle_auto_transitions(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    assert dto.lifecycle == "active"
    down = services.customers.update(dto.id, WEAK)
    assert down.status in ("critical", "at_risk") and down.lifecycle == "atrisk"
    up = services.customers.update(dto.id, FULL)
    assert up.lifecycle == "active"
    for fixed in ("churned", "won"):
        services.customers.update(dto.id, {"lifecycle": fixed})
        assert services.customers.update(dto.id, WEAK).lifecycle == fixed
        assert services.customers.update(dto.id, FULL).lifecycle == fixed
    onboarding = services.customers.create({"name": "New", **WEAK, "lifecycle": "onboarding"})
    assert onboarding.lifecycle == "onboarding"


def test_decay_as_of_a_later_day(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", "logins": 30, "days": 0})
    later = services.customers.get(dto.id, as_of=services.clock.today() + dt.timedelta(days=90))
    assert later.days_since_contact == 90
    assert later.score == pytest.approx((100 * 25 + 50 * 10) / 35)
    assert services.customers.get(dto.id).score == pytest.approx(100.0)


def test_momentum_from_history(services: Services, clock: FixedClock) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    clock.advance(7)
    now = services.customers.update(dto.id, {"logins": 0})
    assert now.momentum == pytest.approx(now.score - 100.0)  # type: ignore[operator]
    explanation = services.customers.explain(dto.id)
    assert explanation.previous_score == pytest.approx(100.0)
    # logins fell and a week passed without contact (decay)
    assert [c.signal for c in explanation.changes] == ["logins", "days"]


def test_ensure_daily_snapshots_once_per_day(services: Services, clock: FixedClock) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    assert services.customers.ensure_daily_snapshots() is None
    clock.advance(1)
    summary = services.customers.ensure_daily_snapshots()
    assert summary is not None and summary.customers == 1
    assert services.customers.ensure_daily_snapshots() is None
    assert len(_snapshots(services, dto.id)) == 2


def test_derived_state_on_the_dto(services: Services) -> None:
    dto = services.customers.create(
        {
            "name": "Acme",
            **FULL,
            "mrr": 1000,
            "tier": "enterprise",
            "days": 15,
            "renewal_date": services.clock.today() + dt.timedelta(days=20),
        }
    )
    assert dto.cadence_status == "due_soon"
    assert (dto.renewal_window, dto.days_until_renewal, dto.months_to_renewal) == (
        "critical",
        20,
        0,
    )
    assert dto.status == "expansion" and dto.expansion_estimate_cents == 20_000
    assert 0 < dto.priority <= 100
    weak = services.customers.create({"name": "Weak", **WEAK, "arr": 24000})
    assert weak.mrr_cents == 200_000 and weak.arr_cents == 2_400_000
    summary = services.portfolio.headlines()
    assert summary.mrr_at_risk_cents == 200_000
    assert summary.expansion_estimate_cents == 20_000


def test_profiles_score_their_customers(services: Services) -> None:
    profile = services.config.save_profile(
        "Logins only",
        {"logins": 100, "adoption": 0, "tickets": 0, "nps": 0, "csat": 0, "days": 0, "growth": 0},
    )
    dto = services.customers.create({"name": "Acme", **WEAK, "profile": "logins only"})
    assert dto.scoring_profile == "Logins only" and dto.score == pytest.approx(10.0)
    assert services.config.profiles()[0].customers == 1
    services.config.delete_profile(profile.id)
    assert services.customers.get(dto.id).scoring_profile is None


def test_bulk_tags_and_lifecycle(services: Services) -> None:
    a = services.customers.create({"name": "Acme", "tags": "vip"})
    b = services.customers.create({"name": "Globex"})
    services.customers.change_tags([a.id, b.id], add=["beta"], remove=["VIP"])
    assert [services.customers.get(i).tags for i in (a.id, b.id)] == [("beta",), ("beta",)]
    assert services.customers.set_lifecycle([a.id, b.id], "won") == 2
    with pytest.raises(ValidationError):
        services.customers.set_lifecycle([a.id], "")


def test_preview_does_not_write(services: Services) -> None:
    result = services.customers.preview({"name": "Acme", **FULL, "score": 12})
    assert result.score == 12.0 and result.manual
    assert services.customers.list_customers() == []
    with pytest.raises(ValidationError):
        services.customers.preview({"nps": 11})


def test_managers_and_listing_filters(services: Services) -> None:
    services.customers.create({"name": "Acme", **FULL, "manager": "Sarah", "tier": "smb"})
    services.customers.create({"name": "Globex", **WEAK, "manager": "Marcus"})
    assert services.customers.managers() == ["Marcus", "Sarah"]
    assert [
        c.name for c in services.customers.list_customers(CustomerFilter(status="expansion"))
    ] == ["Acme"]
    assert [
        c.name for c in services.customers.list_customers(CustomerFilter(manager="Marcus"))
    ] == ["Globex"]
    assert [c.name for c in services.customers.list_customers(CustomerFilter(tier="smb"))] == [
        "Acme"
    ]


def test_customer_row_is_consistent_with_live_scoring(services: Services) -> None:
    dto = services.customers.create({"name": "Acme", **FULL})
    with services.db.session() as s:
        row = s.get(Customer, dto.id)
        assert row is not None
        assert (row.score, row.status) == (pytest.approx(dto.score), dto.status)


def test_listing_by_a_very_long_id_list_works(services: Services) -> None:
    services.customers.load_sample(customers=30, days=1)
    live = [c.id for c in services.customers.list_customers()]
    wanted = live[:10] + list(range(100_000, 140_000))  # past SQLite's bound-variable cap
    found = services.customers.list_customers(CustomerFilter(ids=tuple(wanted)))
    assert sorted(c.id for c in found) == sorted(live[:10])
