"""Building many small objects quickly."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold the cyclic garbage collector while ~100k short-lived rows are built.

    Customer DTOs, alerts and state rows hold no reference cycles, yet every few hundred
    allocations would trigger a collection that walks all of them; pausing it cut
    100k-row loads by a fifth to a third.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
