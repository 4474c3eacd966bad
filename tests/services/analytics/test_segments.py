"""Segments: figures per group, regrouping in memory, comparison and its reading."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.analytics import group
from iqcadence_desktop.services.container import Services
from tests.conftest import TODAY


def by_key(segments: list, key: str):  # type: ignore[no-untyped-def,type-arg]
    return next(s for s in segments if s.key == key)


def test_tier_segments_count_score_revenue_and_risk(known: Services) -> None:
    segments = known.segments.segments("tier")
    assert [s.label for s in segments] == ["Enterprise", "SMB"]  # churned mid left out
    ent = by_key(segments, "enterprise")
    assert (ent.customers, ent.mrr_cents, ent.arr_cents) == (2, 400_000, 4_800_000)
    assert ent.at_risk == 1 and ent.at_risk_pct == 50.0
    rows = {c.name: c for c in known.customers.list_customers()}
    assert ent.average_score == pytest.approx((rows["A1"].score + rows["A2"].score) / 2)
    assert sorted(ent.customer_ids) == sorted([rows["A1"].id, rows["A2"].id])


def test_tags_count_an_account_in_each_tag_and_untagged_in_their_own(known: Services) -> None:
    segments = known.segments.segments("tag")
    assert {s.label: s.customers for s in segments} == {"vip": 2, "emea": 2, "No tags": 1}


def test_lifecycle_grouping_keeps_churned_accounts(known: Services) -> None:
    segments = known.segments.segments("lifecycle")
    labels = {s.label: s.customers for s in segments}
    assert labels["Churned"] == 1 and sum(labels.values()) == 5


def test_manager_filter_narrows_the_book(known: Services) -> None:
    segments = known.segments.segments("manager", manager="Ann")
    assert [(s.label, s.customers) for s in segments] == [("Ann", 2)]


def test_regrouping_needs_no_database(known: Services) -> None:
    base = known.segments.load()
    known.db.close()  # anything that touched the database now would fail
    assert [(s.key, s.customers) for s in group(base, "manager")] == [("Ann", 2), ("Ben", 2)]
    assert len(group(base, "tag")) == 3


def test_trend_is_read_separately_and_follows_history(sample: Services) -> None:
    bare = sample.segments.load(trend=False)
    assert bare.trend is None and all(s.trend == () for s in group(bare, "tier"))
    full = sample.segments.with_trend(bare)
    assert full.trend_days[-1] == TODAY and full.trend_days[0] == TODAY - dt.timedelta(days=30)
    assert full.trend is not None and full.trend.shape == (len(full.book), 11)
    for s in group(full, "tier"):
        assert len(s.trend) == 11 and s.trend[-1] == pytest.approx(s.average_score, abs=1e-6)


def test_compare_reads_range_and_writes_a_reading(sample: Services) -> None:
    base = sample.segments.load()
    keys = [s.key for s in group(base, "tier")]
    c = sample.segments.compare(base, "tier", keys, TODAY - dt.timedelta(days=40), TODAY)
    assert len(c.series) == len(keys) and c.days[-1] == TODAY
    assert all(len(s.values) == len(c.days) for s in (*c.series, c.reference))
    live = np.array([lc != "churned" for lc in base.book.lifecycles])
    everyone = base.book.scores[live & ~np.isnan(base.book.scores)]
    assert c.reference.values[-1] == pytest.approx(everyone.mean(), abs=1e-6)
    text = " ".join(c.analysis)
    assert all(s.label in text for s in c.series) and "counted where it is now" in text


@pytest.mark.parametrize(
    ("keys", "start", "end", "message"),
    [
        ([], -30, 0, "Choose one to 5"),
        (["a", "b", "c", "d", "e", "f"], -30, 0, "Choose one to 5"),
        (["smb"], 0, -5, "end after it starts"),
    ],
)
def test_compare_refuses_bad_requests(
    known: Services, keys: list[str], start: int, end: int, message: str
) -> None:
    base = known.segments.load()
    with pytest.raises(ValidationError, match=message):
        known.segments.compare(
            base, "tier", keys, TODAY + dt.timedelta(days=start), TODAY + dt.timedelta(days=end)
        )


def test_unknown_grouping_is_refused(known: Services) -> None:
    with pytest.raises(ValidationError, match="not a grouping"):
        known.segments.segments("region")
