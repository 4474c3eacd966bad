"""The analytics pages in team mode: signed in as a CSM of Acme, Segments, Trends, CSM
Performance and the Calendar show Acme's accounts only; nothing of Globex (names, ids,
counts, history) comes through (S13)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, func, select

from iqcadence_desktop.models import Customer, ScoreSnapshot
from iqcadence_desktop.services.analytics import (
    GROUPINGS,
    METRICS,
    TrendRequest,
    attach_trend,
    group,
)
from iqcadence_desktop.services.analytics.narrative import day_text
from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.scoring import BANDS
from tests.conftest import TODAY
from tests.services.team.helpers import CSM, PASSWORD, make_team

ACME_SAMPLE, GLOBEX_SAMPLE = 14, 23
#: Globex's history reaches further back than Acme's.
ACME_DAYS, GLOBEX_DAYS = 30, 60


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


@dataclass(frozen=True)
class Team:
    """Signed in as Acme's CSM; what the database holds for each client."""

    services: Services
    ids: dict[str, int]
    acme: frozenset[int]  # live customers of Acme
    globex: frozenset[int]  # every customer of Globex
    globex_names: frozenset[str]  # names only Globex has
    globex_managers: frozenset[str]  # managers only Globex has

    def live_acme(self, churned: bool = False) -> set[int]:
        """Acme's live accounts (without the churned ones unless asked)."""
        with self.services.db.session() as s:
            stmt = select(Customer.id).where(
                Customer.client_id == self.ids["acme"], Customer.deleted_at.is_(None)
            )
            if not churned:
                stmt = stmt.where(Customer.lifecycle != "churned")
            return set(s.scalars(stmt))

    def assert_clean(self, result: object) -> None:
        """No name of a Globex customer or manager appears in `result`."""
        text = repr(result)
        assert "Globex One" not in text and "Globex Zeta" not in text
        found = [n for n in (*self.globex_names, *self.globex_managers) if n in text]
        assert found == []


@pytest.fixture
def team(services: Services) -> Team:
    ids = make_team(services)
    for client, n, days, seed in (
        (ids["acme"], ACME_SAMPLE, ACME_DAYS, 11),
        (ids["globex"], GLOBEX_SAMPLE, GLOBEX_DAYS, 12),
    ):
        services.scope.set_focus(client)
        services.customers.load_sample(n, days, seed=seed)
    # Dated events this month for one account of each client, and a tag only Globex has.
    for name, client, tags in (
        ("Acme One", ids["acme"], "shared"),
        ("Globex One", ids["globex"], "shared|globex-only"),
    ):
        services.scope.set_focus(client)
        services.customers.update(
            ids[name], {"renewal_date": _day(2), "next_touch": _day(3), "tags": tags}
        )
    services.scope.set_focus(None)
    with services.db.session() as s:
        rows = s.execute(
            select(Customer.id, Customer.name, Customer.manager, Customer.client_id)
        ).all()
    mine = [r for r in rows if r.client_id == ids["acme"]]
    theirs = [r for r in rows if r.client_id == ids["globex"]]
    acme_names = {r.name for r in mine}
    acme_managers = {r.manager for r in mine}
    services.team.sign_in(CSM, PASSWORD)
    state = Team(
        services,
        ids,
        frozenset(r.id for r in mine),
        frozenset(r.id for r in theirs),
        frozenset(r.name for r in theirs if r.name not in acme_names),
        frozenset(r.manager for r in theirs if r.manager and r.manager not in acme_managers),
    )
    assert state.globex_names and state.globex_managers
    return state


def _acme_history(t: Team, first: dt.date, last: dt.date) -> dict[int, tuple[int, int]]:
    """Per day: (accounts in a band, total MRR in cents) of Acme's live, not churned
    accounts' snapshots: what the portfolio lines must show for the CSM."""
    with t.services.db.session() as s:
        stmt = (
            select(ScoreSnapshot.day, ScoreSnapshot.status, ScoreSnapshot.mrr_cents)
            .join(Customer, Customer.id == ScoreSnapshot.customer_id)
            .where(
                Customer.client_id == t.ids["acme"],
                Customer.deleted_at.is_(None),
                Customer.lifecycle != "churned",
                ScoreSnapshot.day.between(first.toordinal(), last.toordinal()),
            )
        )
        found: dict[int, tuple[int, int]] = {}
        for day, status, mrr in s.execute(stmt):
            n, total = found.get(day, (0, 0))
            found[day] = (n + (status in BANDS), total + (mrr or 0))
    return found


# -- Segments ---------------------------------------------------------------------------


def test_segments_hold_only_the_clients_accounts(team: Team) -> None:
    segments = team.services.segments
    base = segments.load()
    assert set(base.book.ids.tolist()) == team.live_acme(churned=True)
    live = team.live_acme()
    for grouping in GROUPINGS:
        found = group(base, grouping)
        team.assert_clean(found)
        members = {i for seg in found for i in seg.customer_ids}
        assert members <= team.acme and not members & team.globex
        if grouping != "tag":  # an account with two tags is in two segments
            wanted = len(team.live_acme(churned=grouping == "lifecycle"))
            assert sum(seg.customers for seg in found) == wanted
    tags = {seg.key for seg in group(base, "tag")}
    assert "shared" in tags and "globex-only" not in tags
    assert sum(seg.customers for seg in segments.segments("tier")) == len(live)


def test_segment_trend_and_comparison_read_only_the_clients_history(team: Team) -> None:
    segments = team.services.segments
    history = segments.trend()
    ids = set(history.records["customer_id"].tolist())
    assert ids and ids <= team.acme
    base = attach_trend(segments.load(trend=False), history)
    assert any(v is not None for seg in group(base, "tier") for v in seg.trend)
    comparison = segments.compare(
        base, "tier", ["smb", "mid"], TODAY - dt.timedelta(days=GLOBEX_DAYS), TODAY
    )
    team.assert_clean(comparison)
    assert comparison.reference.customers == len(team.live_acme())
    # The reading says where Acme's history starts (Globex's reaches further back).
    with team.services.db.session() as s:
        first = s.scalar(
            select(func.min(ScoreSnapshot.day)).where(ScoreSnapshot.customer_id.in_(team.acme))
        )
    assert f"History starts on {day_text(dt.date.fromordinal(first))}" in " ".join(
        comparison.analysis
    )


# -- Trends -----------------------------------------------------------------------------


def test_trend_lines_are_the_clients_rollup(team: Team) -> None:
    trends = team.services.trends
    view = trends.view(TrendRequest("bands", range_key="90d"), with_movers=False)
    expected = _acme_history(team, view.start, view.end)
    assert expected
    per_day = [
        sum(s.values[i] or 0 for s in view.series if s.role == "primary")
        for i in range(len(view.days))
    ]
    for i, day in enumerate(view.days):
        n = expected.get(day.toordinal(), (0, 0))[0]
        assert per_day[i] == n, day
    mrr = trends.view(TrendRequest("mrr", range_key="90d"), with_movers=False).series[0]
    for i, day in enumerate(view.days):
        total = expected.get(day.toordinal())
        assert mrr.values[i] == (None if total is None else pytest.approx(total[1] / 100))
    # The reading says where the CSM's history starts, not Globex's.
    with team.services.db.session() as s:
        first = s.scalar(
            select(func.min(ScoreSnapshot.day)).where(ScoreSnapshot.customer_id.in_(team.acme))
        )
    assert view.history_start == dt.date.fromordinal(first)


def test_every_metric_of_the_clients_rollup_loads(team: Team) -> None:
    for metric in METRICS:
        view = team.services.trends.view(TrendRequest(metric, range_key="30d"))
        assert view.has_data
        team.assert_clean(view)


def test_overlays_of_another_clients_manager_or_customer_show_nothing(team: Team) -> None:
    manager = sorted(team.globex_managers)[0]
    globex_one = team.ids["Globex One"]
    view = team.services.trends.view(
        TrendRequest(
            "health",
            range_key="90d",
            overlay_managers=(manager,),
            overlay_customers=(globex_one, team.ids["Acme One"]),
        )
    )
    managers, gone, acme = (s for s in view.series if s.role == "overlay")
    assert managers.values == (None,) * len(view.days)
    assert gone.label == "(removed)" and gone.values == (None,) * len(view.days)
    assert acme.label == "Acme One" and any(v is not None for v in acme.values)
    assert "Globex" not in repr((gone, acme, view.rises, view.falls, view.analysis))


def test_movers_and_the_customer_picker_are_the_clients(team: Team) -> None:
    trends = team.services.trends
    # Over 90 days: the range's first snapshot day must be Acme's, not Globex's older one.
    rises, falls = trends.movers(TrendRequest("health", range_key="90d"))
    movers = {m.customer_id for m in (*rises, *falls)}
    assert movers and movers <= team.acme
    team.assert_clean((rises, falls))
    assert trends.customers_matching("Globex") == []
    everyone = trends.customers_matching("", limit=1000)
    assert {cid for cid, _ in everyone} == team.live_acme(churned=True)
    assert trends.customers_matching("One") == [(team.ids["Acme One"], "Acme One")]
    for manager in team.globex_managers:
        assert trends.customers_matching("", manager) == []
        assert trends.movers(TrendRequest("health", range_key="30d"), manager) == ((), ())


# -- CSM Performance -------------------------------------------------------------------


def test_leaderboard_counts_only_the_clients_books(team: Team) -> None:
    board = team.services.performance.leaderboard()
    team.assert_clean(board)
    assert sum(r.customers for r in board.rows) == len(team.live_acme())
    with team.services.db.session() as s:
        books = Counter(
            s.scalars(
                select(Customer.manager).where(
                    Customer.id.in_(team.live_acme()),
                )
            )
        )
    assert {r.manager: r.customers for r in board.rows} == dict(books)
    assert any(r.movement is not None for r in board.rows)
    for manager in team.globex_managers:
        assert team.services.performance.leaderboard(manager).rows == ()


def test_movement_uses_the_clients_own_snapshot_day_a_week_ago(team: Team) -> None:
    """Daily snapshots are taken per client (by whoever opens the app): when Acme has no
    snapshot exactly a week ago but Globex has, Acme's movement is measured from its own
    newest snapshot day before that."""
    week_ago = (TODAY - dt.timedelta(days=7)).toordinal()
    with team.services.db.session() as s:
        s.execute(
            delete(ScoreSnapshot).where(
                ScoreSnapshot.day == week_ago, ScoreSnapshot.customer_id.in_(team.acme)
            )
        )
    board = team.services.performance.leaderboard()
    assert any(r.movement is not None for r in board.rows)


def test_detail_and_activity_hold_only_the_clients_accounts(team: Team) -> None:
    performance = team.services.performance
    with team.services.db.session() as s:
        managers = set(s.scalars(select(Customer.manager).distinct()))
    for manager in managers:
        detail = performance.detail(manager)
        team.assert_clean(detail._replace(manager=None, label=""))  # those echo the request
        assert {c.id for c in detail.accounts} <= team.acme
        assert {i for f in detail.focus for i in f.customer_ids} <= team.acme
        items = performance.activity(manager, limit=500)
        assert not {a.customer_id for a in items} & team.globex
        if manager in team.globex_managers:
            assert (detail.accounts, detail.focus, items) == ((), (), [])
    mine = performance.detail("Acme One CSM")
    assert [c.name for c in mine.accounts] == ["Acme One"]
    assert any(a.customer_id == team.ids["Acme One"] for a in mine.activity)


# -- Calendar ---------------------------------------------------------------------------


def test_calendar_shows_only_the_clients_events(team: Team) -> None:
    calendar = team.services.calendar
    seen: set[int] = set()
    for offset in range(-1, 3):
        month = (TODAY.month - 1 + offset) % 12 + 1
        year = TODAY.year + (TODAY.month - 1 + offset) // 12
        view = calendar.month(year, month)
        team.assert_clean(view)
        seen |= {e.customer_id for e in view.events}
    assert seen and seen <= team.acme
    now = calendar.month(TODAY.year, TODAY.month)
    assert {e.kind for e in now.events if e.customer_id == team.ids["Acme One"]} >= {
        "renewal",
        "touch",
    }
    assert calendar.has_accounts() and calendar.has_accounts("Acme One CSM")
    for manager in team.globex_managers:
        assert not calendar.has_accounts(manager)
        assert calendar.month(TODAY.year, TODAY.month, manager).events == ()
