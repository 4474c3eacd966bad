"""Calendar: a month's renewals, touches and overdue contacts; the .ics export."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.analytics import calendar_text
from iqcadence_desktop.services.analytics.ics import IcsEvent, fold
from iqcadence_desktop.services.container import Services
from tests.conftest import TODAY


def test_month_lists_each_kind_on_its_day_with_the_band(known: Services) -> None:
    view = known.calendar.month(TODAY.year, TODAY.month)
    found = {(e.name, e.kind): e.day for e in view.events}
    assert found[("A1", "renewal")] == TODAY + dt.timedelta(days=3)
    assert found[("A2", "touch")] == TODAY + dt.timedelta(days=2)
    # Enterprise cadence: overdue 21 days after the last contact (40 days ago).
    assert found[("A2", "overdue")] == TODAY - dt.timedelta(days=40 - 21)
    assert ("B3", "overdue") not in found  # churned accounts are left out
    a2 = next(e for e in view.events if e.name == "A2")
    assert a2.status in ("at_risk", "critical") and a2.mrr_cents == 300_000
    assert [e.day for e in view.events] == sorted(e.day for e in view.events)
    assert view.counts() == {"renewal": 1, "touch": 1, "overdue": 1}


def test_other_months_and_the_manager_filter(known: Services) -> None:
    december = known.calendar.month(2026, 12, manager="Ann")
    names = {(e.name, e.kind) for e in december.events}
    # A1 was contacted yesterday: enterprise overdue after 21 days, in December.
    assert names == {("A1", "overdue")}
    assert known.calendar.month(2026, 12, manager="Ben").events == () or all(
        e.manager == "Ben" for e in known.calendar.month(2026, 12, manager="Ben").events
    )


def test_bad_month_is_refused(known: Services) -> None:
    with pytest.raises(ValidationError, match="is not a month"):
        known.calendar.month(2026, 13)


def test_export_parses_back_with_icalendar(known: Services, tmp_path: Path) -> None:
    known.customers.create(
        {
            "name": "Zürich Energy, B.V.; Ops",
            "renewal_date": "2026-11-30",
            "manager": "Ann",
            "mrr": "12345",
            "logins": 20,
        }
    )
    view = known.calendar.month(2026, 11)
    path = tmp_path / "month.ics"
    assert known.calendar.export_ics(view, path) == len(view.events)
    raw = path.read_bytes()
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    cal = icalendar.Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert len(events) == len(view.events)
    zurich = next(e for e in events if "Zürich" in str(e["SUMMARY"]))
    assert str(zurich["SUMMARY"]) == "Renewal: Zürich Energy, B.V.; Ops"
    assert zurich["DTSTART"].dt == dt.date(2026, 11, 30)
    assert zurich["DTEND"].dt == dt.date(2026, 12, 1)
    assert "MRR $12,345 a month" in str(zurich["DESCRIPTION"])
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_export_to_a_missing_folder_says_what_to_do(known: Services, tmp_path: Path) -> None:
    view = known.calendar.month(2026, 11)
    with pytest.raises(ValidationError, match="Choose another folder"):
        known.calendar.export_ics(view, tmp_path / "missing" / "month.ics")


def test_long_lines_fold_between_characters_not_inside_them() -> None:
    line = "SUMMARY:" + "株式会社サンプル" * 10
    folded = fold(line).encode("utf-8").split(b"\r\n")
    assert all(len(part) <= 75 for part in folded)
    assert (
        "".join(p.decode("utf-8")[1:] if i else p.decode("utf-8") for i, p in enumerate(folded))
        == line
    )
    text = calendar_text(
        "x",
        [IcsEvent("u1", dt.date(2026, 1, 2), "a\nb", "c\\d")],
        dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )
    event = icalendar.Calendar.from_ical(text).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == "a\nb" and str(event["DESCRIPTION"]) == "c\\d"
