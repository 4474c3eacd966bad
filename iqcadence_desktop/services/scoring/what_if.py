"""What-if preview: how a candidate scoring configuration would move the portfolio.

Nothing is written. Both sides are scored live as of today with the numpy engine over
the current rows, so the comparison is like for like (stored bands may be a day old).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from iqcadence_desktop.models import Customer
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.scoring.config import ScoringConfig
from iqcadence_desktop.services.scoring.config_service import ConfigService
from iqcadence_desktop.services.scoring.derived import is_at_risk
from iqcadence_desktop.services.scoring.factors import enabled_factors
from iqcadence_desktop.services.scoring.history import load_factor_history
from iqcadence_desktop.services.scoring.rescore import SIGNAL_COLUMNS, WeightsFor, score_rows
from iqcadence_desktop.services.system import Clock
from iqcadence_desktop.services.team import Scope


@dataclass(frozen=True)
class WhatIfResult:
    """The portfolio before and after a candidate configuration."""

    customers: int
    band_changes: int
    moves: dict[tuple[str, str], int]  # (from band, to band) -> accounts
    before_counts: dict[str, int]
    after_counts: dict[str, int]
    revenue_at_risk_before_cents: int
    revenue_at_risk_after_cents: int

    @property
    def revenue_at_risk_delta_cents(self) -> int:
        return self.revenue_at_risk_after_cents - self.revenue_at_risk_before_cents


def weights_lookup(config: ScoringConfig, profiles: Mapping[int, dict[str, float]]) -> WeightsFor:
    """Effective weights per profile id under `config` (None = the global weights)."""

    def weights_for(profile_id: int | None) -> dict[str, float]:
        chosen = profiles.get(profile_id) if profile_id is not None else None
        return config.effective_weights(chosen)

    return weights_for


class WhatIfService:
    """Compares the configuration in force with a candidate one, read-only."""

    def __init__(self, db: Database, clock: Clock, config: ConfigService, scope: Scope) -> None:
        self._db = db
        self._scope = scope
        self._clock = clock
        self._config = config

    def preview(
        self,
        candidate: ScoringConfig,
        profile_weights: Mapping[int, dict[str, float]] | None = None,
        manager: str | None = None,
        as_of: dt.date | None = None,
    ) -> WhatIfResult:
        """Score every live account both ways; `profile_weights` overrides stored profiles."""
        day = as_of or self._clock.today()
        stmt = self._scope.customers(
            select(Customer.mrr_cents, Customer.lifecycle, *SIGNAL_COLUMNS, Customer.id).where(
                Customer.deleted_at.is_(None)
            )
        )
        if manager:
            stmt = stmt.where(Customer.manager == manager)
        current = self._config.current()
        # Either side may switch factors on: read their history once for both.
        reader = candidate if enabled_factors(candidate.factors) else current
        with self._db.session() as s:
            rows = s.execute(stmt).all()
            history = load_factor_history(s, [r.id for r in rows], day, reader)
        stored = self._config.profile_weights()
        new_profiles = {**stored, **(profile_weights or {})}
        signals = [r[2:-1] for r in rows]
        before = score_rows(signals, day, current, weights_lookup(current, stored), history)
        after = score_rows(
            signals, day, candidate, weights_lookup(candidate, new_profiles), history
        )
        return _compare(rows, before.statuses, after.statuses)


def _compare(rows: Sequence[Any], before: list[str], after: list[str]) -> WhatIfResult:
    moves: Counter[tuple[str, str]] = Counter()
    risk_before = risk_after = 0
    for row, old, new in zip(rows, before, after, strict=True):
        mrr, lifecycle = row[0], row[1]
        if old != new:
            moves[(old, new)] += 1
        if lifecycle != "churned":
            risk_before += (mrr or 0) if is_at_risk(old) else 0
            risk_after += (mrr or 0) if is_at_risk(new) else 0
    return WhatIfResult(
        len(rows),
        sum(moves.values()),
        dict(moves),
        dict(Counter(before)),
        dict(Counter(after)),
        risk_before,
        risk_after,
    )
