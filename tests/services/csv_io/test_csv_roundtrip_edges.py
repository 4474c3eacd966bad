"""Export → import → export is byte-identical and changes nothing: for the demo portfolio,
for a portfolio of edge values, and for any customer record hypothesis can think of."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iqcadence_desktop.services.container import Services
from iqcadence_desktop.services.customers import GROWTHS, LIFECYCLES, SENTIMENTS
from tests.services.csv_io.test_csv_import import state

EDGE_NAMES = ("None", "N/A", "=SUM(A1)", "+plus", "-minus", "@at", "Ünïcødé ☃ 株式会社", "NULL")


def round_trip(services: Services, folder: Path) -> tuple[bytes, bytes, Any]:
    """(first export, second export, import result), asserting nothing was written."""
    first, second = folder / "a.csv", folder / "b.csv"
    services.exporter.export(first, "bulksheet")
    before = state(services)
    result = services.importer.run(first)
    assert state(services) == before  # no timestamps, snapshots, audit or mapping rows
    services.exporter.export(second, "bulksheet")
    return first.read_bytes(), second.read_bytes(), result


def assert_nothing_changed(result: Any, customers: int) -> None:
    assert (result.created, result.updated, result.unchanged) == (0, 0, customers)
    assert (result.skipped, result.errors, result.duplicates) == (0, (), ())
    assert result.ignored == ()


def test_demo_portfolio_round_trip_is_byte_identical(services: Services, tmp_path: Path) -> None:
    services.customers.load_sample(400, days=10)
    first, second, result = round_trip(services, tmp_path)
    assert_nothing_changed(result, 400)
    assert first == second
    assert b",none," in first and b",n/a," in first  # both growth answers are in the file


def _edge_portfolio(services: Services) -> int:
    services.config.save_profile(
        "N/A",
        {"logins": 50, "adoption": 50, "tickets": 0, "nps": 0, "days": 0, "growth": 0, "csat": 0},
    )
    rows: list[dict[str, object]] = []
    for i, growth in enumerate((*GROWTHS, "")):
        for j, lifecycle in enumerate(LIFECYCLES):
            rows.append(
                {
                    "name": f"{EDGE_NAMES[(i + j) % len(EDGE_NAMES)]} {i}-{j}",
                    "growth": growth,
                    "lifecycle": lifecycle,
                    "mrr": "0" if j % 2 else "18500.05",
                    "tags": [] if j % 2 else ["none", "=x", "a b", "ÿ"],
                    "sentiment": SENTIMENTS[j % 3] if i % 2 else "",
                    "external_id": ["", "N/A", "=1+1", "0042", "ALFKI", "id,with,commas"][
                        (i + j) % 6
                    ]
                    + (f"-{i}-{j}" if (i + j) % 6 else ""),
                }
            )
    rows[0].update(
        logins="0", adoption="0", tickets="0", nps="0", csat="1", days="0", note="None\n'=x"
    )
    rows[1].update(logins="100000", adoption="100", nps="10", csat="5", days="36500", score="0")
    rows[2].update(manager="NULL", note="", profile="N/A", tier="mid", score="100")
    rows[3].update(
        manager="-", renewal_date="2026-11-26", next_touch="2099-12-31", since="1900-01-01"
    )
    rows[4].update(adoption="33.333333333333336", mrr="0.01", tier="enterprise")
    for raw in rows:
        services.customers.create(raw)
    return len(rows)


def test_edge_value_portfolio_round_trip_is_byte_identical(
    services: Services, tmp_path: Path
) -> None:
    count = _edge_portfolio(services)
    first, second, result = round_trip(services, tmp_path)
    assert_nothing_changed(result, count)
    assert first == second
    text = first.decode("utf-8-sig")
    assert "'=SUM(A1)" in text and "'N/A" in text and "'NULL" in text


def _clear(services: Services) -> None:
    ids = [c.id for c in services.customers.list_customers()]
    if ids:
        services.customers.trash(ids)
        services.customers.purge(ids)


# Control characters are refused on input (names and text fields; tab and newline are
# allowed in notes), so the legal values of a text field are these.
free_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)
note_text = st.text(
    st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"), max_size=40
)
maybe = st.one_of
record = st.fixed_dictionaries(
    {
        "name": st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
        .map(lambda s: " ".join(s.split()))
        .filter(bool),
        "external_id": maybe(st.just(""), free_text.map(str.strip)),
        "manager": maybe(st.just(""), free_text),
        "mrr": st.integers(0, 10**9).map(lambda c: f"{c // 100}.{c % 100:02d}"),
        "logins": maybe(st.just(""), st.integers(0, 100_000).map(str)),
        "adoption": maybe(st.just(""), st.floats(0, 100).map(repr)),
        "tickets": maybe(st.just(""), st.integers(0, 100_000).map(str)),
        "nps": maybe(st.just(""), st.integers(0, 10).map(str)),
        "csat": maybe(st.just(""), st.integers(1, 5).map(str)),
        "days": maybe(st.just(""), st.integers(0, 36_500).map(str)),
        "growth": st.sampled_from(("", *GROWTHS)),
        "tier": st.sampled_from(("", "enterprise", "mid", "smb")),
        "lifecycle": st.sampled_from(LIFECYCLES),
        "sentiment": st.sampled_from(("", *SENTIMENTS)),
        "tags": st.lists(free_text.filter(lambda t: len(t) <= 60), max_size=4),
        "note": note_text,
        "renewal_date": maybe(st.just(""), st.dates().map(lambda d: d.isoformat())),
        "score": maybe(st.just(""), st.floats(0, 100).map(repr)),
    }
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=record)
def test_any_customer_record_round_trips(services: Services, raw: dict[str, object]) -> None:
    _clear(services)
    services.customers.create(raw)
    with tempfile.TemporaryDirectory() as tmp:
        first, second, result = round_trip(services, Path(tmp))
    assert_nothing_changed(result, 1)
    assert first == second
