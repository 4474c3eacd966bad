"""The import's bulk helpers: ids of inserted rows when SQLite does not number them
one after another, and date columns written and read back in SQLAlchemy's format."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Integer, MetaData, String, Table, create_engine
from sqlalchemy.orm import Session

from iqcadence_desktop.services.system import bulk_sql

META = MetaData()
ITEMS = Table(
    "items",
    META,
    Column("id", Integer, primary_key=True),
    Column("key", String, unique=True),
    Column("due", Date),
    sqlite_autoincrement=True,
)


def _session() -> Session:
    engine = create_engine("sqlite://")
    META.create_all(engine)
    return Session(engine)


def test_ids_follow_on_when_sqlite_numbers_rows_in_order() -> None:
    with _session() as s:
        ids = bulk_sql.insert_returning_ids(s, ITEMS, ("key", "due"), [["a", "b", "c"], [None] * 3])
        assert ids == [1, 2, 3]


def test_ids_are_read_back_when_autoincrement_skipped_numbers() -> None:
    with _session() as s:
        bulk_sql.insert_columns(s, ITEMS, ("id", "key"), [[7], ["gone"]])
        bulk_sql.delete_where_in(s, ITEMS, "id", [7])  # the sequence stays at 7
        ids = bulk_sql.insert_returning_ids(s, ITEMS, ("key", "due"), [["b", "a"], [None, None]])
        assert ids == [8, 9]
        by_key = dict(bulk_sql.rows_where_in(s, ITEMS, ("key", "id"), "key", ["a", "b"]))
        assert by_key == {"b": 8, "a": 9}


def test_dates_round_trip_and_match_what_the_orm_reads() -> None:
    day = dt.date(2027, 2, 28)
    with _session() as s:
        bulk_sql.insert_columns(s, ITEMS, ("key", "due"), [["a", "b"], [day, None]])
        assert bulk_sql.rows_where_in(
            s, ITEMS, ("key", "due"), "key", ["a", "b"], order_by="key"
        ) == [("a", day), ("b", None)]
        assert s.execute(ITEMS.select().where(ITEMS.c.key == "a")).one().due == day
        bulk_sql.update_rows(s, ITEMS, ("due", "key"), [(dt.date(2028, 1, 1), "a")], "key")
        assert s.execute(ITEMS.select().where(ITEMS.c.key == "a")).one().due == dt.date(2028, 1, 1)


def test_roomy_page_cache_is_given_back_even_when_the_work_fails() -> None:
    with _session() as s:

        def cache() -> int:
            return int(s.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())

        before = cache()
        with bulk_sql.roomy_page_cache(s, mib=8):
            assert cache() == -8 * 1024
        assert cache() == before
        try:
            with bulk_sql.roomy_page_cache(s, mib=8):
                raise RuntimeError("disk full")
        except RuntimeError:
            pass
        assert cache() == before
