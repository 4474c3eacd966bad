"""Manual score overrides with a reason and a last day, and profiles assigned by rule (S2)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import Customer
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.csv_io import ImportOptions
from iqcadence_desktop.services.system.clock import FixedClock
from tests.conftest import TODAY

ALL_LOGINS = {"logins": 100, "adoption": 0, "tickets": 0, "nps": 0, "days": 0, "growth": 0}


def _acme(services: Services) -> int:
    return services.customers.create({"name": "Acme", "logins": 10, "adoption": 40}).id


def test_an_override_carries_its_reason_and_is_audited(services: Services) -> None:
    cid = _acme(services)
    until = TODAY + dt.timedelta(days=14)
    dto = services.customers.override_score(cid, 85, "Signed a 3-year renewal", until)
    assert (dto.score, dto.manual_score, dto.status) == (85, True, "expansion")
    assert (dto.override_reason, dto.override_until) == ("Signed a 3-year renewal", until)
    entry = services.audit.entries()[0]
    assert entry.action == "score_overridden" and "Signed a 3-year renewal" in entry.summary
    assert dto.to_json()["override_reason"] == "Signed a 3-year renewal"


def test_a_reason_is_required_and_the_last_day_cannot_have_passed(services: Services) -> None:
    cid = _acme(services)
    with pytest.raises(ValidationError, match="Say why"):
        services.customers.override_score(cid, 80, "  ")
    with pytest.raises(ValidationError, match="has passed"):
        services.customers.override_score(cid, 80, "x", TODAY - dt.timedelta(days=1))
    assert not services.customers.get(cid).manual_score


def test_the_next_signal_update_clears_it(services: Services) -> None:
    cid = _acme(services)
    services.customers.override_score(cid, 85, "Champion is back")
    services.customers.update(cid, {"manager": "Ann"})  # not a signal: the override stays
    assert services.customers.get(cid).manual_score
    dto = services.customers.update(cid, {"logins": 3})
    assert not dto.manual_score and dto.override_reason is None and dto.score != 85


def test_it_ends_after_its_last_day(services: Services, clock: FixedClock) -> None:
    cid = _acme(services)
    services.customers.override_score(cid, 90, "Quarter-end push", TODAY + dt.timedelta(days=2))
    clock.advance(2)
    assert services.customers.get(cid).score == 90  # the last day still counts
    clock.advance(1)
    assert not services.customers.get(cid).manual_score  # read as of a later day: gone
    services.customers.ensure_daily_snapshots()  # the daily refresh clears and audits it
    actions = [e.action for e in services.audit.entries()]
    assert "score_override_expired" in actions
    assert not services.customers.get(cid).manual_score


def test_clearing_by_hand(services: Services) -> None:
    cid = _acme(services)
    services.customers.override_score(cid, 85, "x")
    dto = services.customers.clear_override(cid)
    assert not dto.manual_score and services.audit.entries()[0].action == "score_override_cleared"


def test_profiles_follow_rules_on_edit_and_a_manual_choice_wins(services: Services) -> None:
    ent = services.config.save_profile("Enterprise", ALL_LOGINS)
    services.profile_rules.save_rules([("tier", "enterprise", ent.id)])
    big = services.customers.create({"name": "Big Co", "tier": "enterprise", "logins": 30})
    small = services.customers.create({"name": "Small Co", "tier": "smb", "logins": 30})
    assert (big.scoring_profile, small.scoring_profile) == ("Enterprise", None)
    assert big.score == 100 and not big.profile_manual
    moved = services.customers.update(small.id, {"tier": "enterprise"})
    assert moved.scoring_profile == "Enterprise"
    demoted = services.customers.update(big.id, {"tier": "mid"})
    assert demoted.scoring_profile is None
    other = services.config.save_profile("Other", {**ALL_LOGINS, "logins": 50, "adoption": 50})
    chosen = services.customers.update(moved.id, {"profile": "Other"})
    assert chosen.scoring_profile == "Other" and chosen.profile_manual
    services.customers.rescore_all()
    assert services.customers.get(moved.id).scoring_profile == "Other"
    back = services.customers.update(moved.id, {"profile": ""})
    assert back.scoring_profile == "Enterprise" and not back.profile_manual
    assert other.id != ent.id


def test_saving_rules_reassigns_and_rescores(services: Services) -> None:
    ent = services.config.save_profile("Enterprise", ALL_LOGINS)
    cid = services.customers.create(
        {"name": "Big Co", "tier": "enterprise", "logins": 30, "adoption": 0}
    ).id
    before = services.customers.get(cid).score
    assert services.profile_rules.save_rules([("tier", "Enterprise", ent.id)]) == 1
    after = services.customers.get(cid)
    assert after.scoring_profile == "Enterprise" and after.score == 100 and before != 100
    rules = services.profile_rules.rules()
    assert [r.text() for r in rules] == ['Tier is "Enterprise" → Enterprise']
    assert services.profile_rules.save_rules([]) == 1  # no rule: back to the global weights
    assert services.customers.get(cid).scoring_profile is None


def test_tag_and_manager_rules_in_order(services: Services) -> None:
    a = services.config.save_profile("A", ALL_LOGINS)
    b = services.config.save_profile("B", {**ALL_LOGINS, "logins": 50, "adoption": 50})
    services.profile_rules.save_rules([("tag", "VIP", a.id), ("manager", "ann", b.id)])
    both = services.customers.create({"name": "Both", "tags": ["vip"], "manager": "Ann"})
    one = services.customers.create({"name": "One", "manager": "Ann"})
    assert (both.scoring_profile, one.scoring_profile) == ("A", "B")
    with pytest.raises(ValidationError, match="tier rule needs"):
        services.profile_rules.save_rules([("tier", "giant", a.id)])


def test_rules_apply_on_import_and_a_profile_column_counts_as_chosen(
    services: Services, tmp_path: Path
) -> None:
    ent = services.config.save_profile("Enterprise", ALL_LOGINS)
    services.config.save_profile("Other", {**ALL_LOGINS, "logins": 50, "adoption": 50})
    services.profile_rules.save_rules([("tier", "enterprise", ent.id)])
    path = tmp_path / "in.csv"
    path.write_text(
        "name,tier,logins,scoring profile\nBig,enterprise,30,\nPicked,enterprise,30,Other\n"
    )
    services.importer.run(path, ImportOptions())
    by_name = {c.name: c for c in services.customers.list_customers()}
    assert by_name["Big"].scoring_profile == "Enterprise" and by_name["Big"].score == 100
    assert by_name["Picked"].scoring_profile == "Other" and by_name["Picked"].profile_manual


def test_cadence_is_never_on_track_with_a_past_next_touch(services: Services) -> None:
    recent = TODAY - dt.timedelta(days=2)
    fine = services.customers.create(
        {"name": "Fine", "tier": "smb", "last_contact": recent, "next_touch": TODAY}
    )
    missed = services.customers.create(
        {"name": "Missed", "tier": "smb", "last_contact": recent, "next_touch": recent}
    )
    assert fine.cadence_status == "ok" and missed.cadence_status == "overdue"


def test_clearing_a_score_that_was_not_set_changes_nothing(services: Services) -> None:
    """No manual score, nothing to clear: the customer keeps its version (a stale-save
    check elsewhere would otherwise refuse an edit nobody made) and no entry is written."""
    customer = services.customers.create({"name": "Plain", "logins": "20"})
    entries = len(services.audit.entries())
    services.customers.clear_override(customer.id)
    with services.db.session() as s:
        stored = s.get(Customer, customer.id)
        assert stored is not None
        assert (stored.version, stored.updated_at) == (customer.version, customer.updated_at)
    assert len(services.audit.entries()) == entries
