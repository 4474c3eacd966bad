"""The run lease: one holder at a time; an expired lease or a dead holder frees it."""

from __future__ import annotations

import datetime as dt
import socket
import subprocess
import sys

from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.automations.lease import Lease, holder_alive, new_holder
from iqcadence_desktop.services.system.clock import FixedClock


def _dead_holder() -> str:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:deadbeef"


def test_one_holder_at_a_time(db: Database, clock: FixedClock) -> None:
    first, second = Lease(db, clock, "x", new_holder()), Lease(db, clock, "x", new_holder())
    assert first.acquire()
    assert not second.acquire()
    assert first.renew()
    first.release()
    assert second.acquire()
    assert not first.renew()


def test_an_expired_lease_is_taken_over(db: Database, clock: FixedClock) -> None:
    other_host = "elsewhere:123:abcd"  # another computer: only expiry frees it
    assert holder_alive(other_host)
    Lease(db, clock, "x", other_host, seconds=60).acquire()
    mine = Lease(db, clock, "x", new_holder())
    assert not mine.acquire()
    clock.at += dt.timedelta(seconds=61)
    assert mine.acquire()


def test_a_dead_process_frees_its_lease_at_once(db: Database, clock: FixedClock) -> None:
    dead = _dead_holder()
    assert not holder_alive(dead)
    assert Lease(db, clock, "x", dead).acquire()
    assert Lease(db, clock, "x", new_holder()).acquire()
