"""The churn model service: fit on the portfolio's history, store each version, score.

`fit(horizon)` builds the training rows (training.py), fits the additive model when at
least MIN_CHURNED accounts churned with history behind them, else falls back to the
prior and says why; either way it judges health score, prior and model on history
(quality.py) and stores the result as a new version with an audit entry, like a
configuration change. `estimates` and `score_portfolio` give every account its chance
of churning within the version's horizon, with the factors behind it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Sequence

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.models import ChurnModelVersion, SentimentEntry
from iqcadence_desktop.models.db import Database
from iqcadence_desktop.services.customers import (
    CustomerDTO,
    CustomerFilter,
    CustomerService,
    CustomFieldDTO,
    CustomFieldService,
)
from iqcadence_desktop.services.model.additive import FitOptions, fit_additive
from iqcadence_desktop.services.model.churn import DEFAULT_HORIZON, ChurnEstimate, prior_estimate
from iqcadence_desktop.services.model.evaluate import bins_for, encode
from iqcadence_desktop.services.model.features import (
    AccountState,
    build_columns,
    change,
)
from iqcadence_desktop.services.model.predictor import ChurnModel
from iqcadence_desktop.services.model.quality import Quality, evaluate_history
from iqcadence_desktop.services.model.tabular import Feature
from iqcadence_desktop.services.model.training import TrainingSet, build_training_set
from iqcadence_desktop.services.model.versions import (
    FITTED,
    MIN_CHURNED,
    PRIOR,
    ModelVersion,
    base_rate_of,
    prior_reason,
    summary,
    version_of,
)
from iqcadence_desktop.services.scoring import ConfigService, ScoringConfig, load_factor_history
from iqcadence_desktop.services.system import (
    CONFIG_CHANGED,
    CUSTOMERS_CHANGED,
    AuditLog,
    Clock,
    DomainEvent,
    EventBus,
)
from iqcadence_desktop.services.team import Permission, Scope

HORIZONS: tuple[int, ...] = (30, 60, 90, 180, 365)


class ChurnModelService:
    """Fits, stores and applies the churn model (or its prior)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        audit: AuditLog,
        events: EventBus,
        customers: CustomerService,
        custom_fields: CustomFieldService,
        config: ConfigService,
        scope: Scope,
    ) -> None:
        self._scope = scope  # the model is team-wide: fitting it is a settings change
        self._db = db
        self._clock = clock
        self._audit = audit
        self._events = events
        self._customers = customers
        self._custom_fields = custom_fields
        self._config = config
        self._current: ModelVersion | None = None
        self._loaded = False
        #: An import changed the data since the last fit (the GUI and CLI refit then).
        self.refit_due = False
        events.subscribe(CUSTOMERS_CHANGED, self._on_customers_changed)

    def invalidate(self) -> None:
        """Forget the cached version (after a restore replaced the tables)."""
        self._current, self._loaded = None, False

    def _on_customers_changed(self, event: DomainEvent) -> None:
        if event.detail.get("source") == "import":
            self.refit_due = True

    # -- reading --------------------------------------------------------------------
    def current(self) -> ModelVersion | None:
        """The version in force (the newest), or None before the first fit."""
        if not self._loaded:
            with self._db.session() as s:
                row = s.scalars(
                    select(ChurnModelVersion).order_by(ChurnModelVersion.id.desc()).limit(1)
                ).first()
                self._current = None if row is None else version_of(row)
            self._loaded = True
        return self._current

    def versions(self, limit: int = 50) -> list[ModelVersion]:
        with self._db.session() as s:
            rows = s.scalars(
                select(ChurnModelVersion).order_by(ChurnModelVersion.id.desc()).limit(limit)
            ).all()
            return [version_of(r) for r in rows]

    def horizon(self) -> int:
        version = self.current()
        return DEFAULT_HORIZON if version is None else version.horizon

    # -- fitting --------------------------------------------------------------------
    def fit(self, horizon: int | None = None, reason: str = "") -> ModelVersion:
        """Fit (or fall back to the prior) on history and store it as a new version."""
        self._scope.require(Permission.EDIT_SETTINGS)
        horizon = horizon or self.horizon()
        if not 7 <= horizon <= 730:
            raise ValidationError("horizon", "The horizon must be between 7 and 730 days.")
        started = time.perf_counter()
        fields = self._custom_fields.fields()
        with self._db.session() as s:
            training = build_training_set(s, self._clock.today(), horizon, fields)
        version = self._store(training, fields, horizon, started, reason)
        self.refit_due = False
        return version

    def refit_if_due(self) -> ModelVersion | None:
        """Refit after an import (on the horizon in force); None when nothing is due, or
        when the signed-in role may not change the team's model (an admin refits later)."""
        if not self.refit_due or not self._scope.allows(Permission.EDIT_SETTINGS):
            return None
        return self.fit(reason="after an import")

    def _store(
        self,
        training: TrainingSet,
        fields: Sequence[CustomFieldDTO],
        horizon: int,
        started: float,
        reason: str,
    ) -> ModelVersion:
        rows = training.rows
        columns, monotone, labels = build_columns([r.state for r in rows], fields)
        positives = training.positives
        fitted: ChurnModel | None = None
        why = prior_reason(training)
        if positives >= MIN_CHURNED and len(rows) - positives >= MIN_CHURNED:
            fitted = self._fit_model(training, columns, monotone, labels, horizon)
            why = ""
        signals = [s for s, w in self._config.current().effective_weights().items() if w > 0]
        quality = (
            evaluate_history(rows, columns if fitted else None, monotone, horizon, signals)
            if positives and len(rows) > positives
            else None
        )
        base_rate = base_rate_of(training)
        details: dict[str, object] = {
            "terms": [] if fitted is None else fitted.term_labels(),
            "pairs": [] if fitted is None else fitted.term_labels()[len(fitted.model.bins) :],
            "windows": training.windows,
            "first_day": None if training.first_day is None else training.first_day.isoformat(),
            "churned_accounts": training.churned_accounts,
            "exact_positives": sum(r.exact for r in rows),
            "negatives_kept": training.negatives_kept,
            "seconds": round(time.perf_counter() - started, 2),
        }
        return self._save(horizon, fitted, quality, why, base_rate, training, details, reason)

    def _fit_model(
        self,
        training: TrainingSet,
        columns: list[Feature],
        monotone: tuple[int, ...],
        labels: dict[str, str],
        horizon: int,
    ) -> ChurnModel:
        y = training.labels
        everyone = np.arange(len(y))
        bins = bins_for(columns, everyone)
        codes = encode(columns, bins)
        model, _ = fit_additive(bins, codes, y, monotone, FitOptions())
        correction = math.log(training.negatives_kept) if training.negatives_kept < 1 else 0.0
        return ChurnModel(model, labels, horizon, correction)

    def _save(
        self,
        horizon: int,
        fitted: ChurnModel | None,
        quality: Quality | None,
        why: str,
        base_rate: float | None,
        training: TrainingSet,
        details: dict[str, object],
        reason: str,
    ) -> ModelVersion:
        method = FITTED if fitted is not None else PRIOR
        text = summary(method, horizon, training, quality, why)
        with self._db.session() as s:
            row = ChurnModelVersion(
                created_at=self._clock.now(),
                user=self._audit.user(),
                horizon_days=horizon,
                method=method,
                training_rows=len(training.rows),
                churned=training.positives,
                summary=text,
                payload={
                    "model": None if fitted is None else fitted.to_json(),
                    "quality": None if quality is None else quality.to_json(),
                    "reason": why,
                    "base_rate": base_rate,
                    "details": details,
                },
            )
            s.add(row)
            s.flush()
            self._audit.record(
                s,
                "churn_model_fitted",
                f"Churn model v{row.id}: {text}" + (f" ({reason})" if reason else ""),
                details={"version": row.id, "horizon_days": horizon, "method": method},
            )
            version = version_of(row)
        self._current, self._loaded = version, True
        self._events.publish(DomainEvent(CONFIG_CHANGED, detail={"kind": "churn_model"}))
        return version

    # -- suggested weights ----------------------------------------------------------
    def suggested_config(self) -> ScoringConfig | None:
        """The configuration in force with the weights the history suggests (a candidate
        for a what-if preview; nothing is saved)."""
        version = self.current()
        weights = (
            None
            if version is None or version.quality is None
            else version.quality.suggested_weights
        )
        if not weights:
            return None
        current = self._config.current()
        merged = {s: float(weights.get(s, 0.0)) for s in current.weights}
        if not current.csat_enabled:
            merged["csat"] = float(current.weights.get("csat", 0.0))
        return dataclasses.replace(current, weights=merged)

    def apply_suggested(self) -> list[str]:
        """Save the suggested weights (audited as a configuration change); the changes."""
        candidate, version = self.suggested_config(), self.current()
        if candidate is None or version is None:
            raise ValidationError("weights", "There are no suggested weights to apply yet.")
        return self._config.save(
            candidate, f"Weights suggested by churn history (model v{version.id}) applied"
        )

    # -- scoring --------------------------------------------------------------------
    def estimates(
        self, customers: Sequence[CustomerDTO], as_of: dt.date | None = None
    ) -> list[ChurnEstimate]:
        """Each account's chance of churning within the horizon, with its factors."""
        version = self.current()
        horizon = DEFAULT_HORIZON if version is None else version.horizon
        if version is None or version.model is None:
            base = None if version is None else version.base_rate
            return [prior_estimate(c, base, horizon) for c in customers]
        states = self.states(customers, as_of)
        scored = version.model.score(version.model.columns(states))
        out = [scored.estimate(i) for i in range(len(customers))]
        return [
            prior_estimate(c, None, horizon) if c.lifecycle == "churned" else e
            for c, e in zip(customers, out, strict=True)
        ]

    def estimate(self, customer: CustomerDTO) -> ChurnEstimate:
        return self.estimates([customer])[0]

    def states(
        self, customers: Sequence[CustomerDTO], as_of: dt.date | None = None
    ) -> list[AccountState]:
        """What the model reads about these accounts today (training.py reads history
        the same way)."""
        day = as_of or self._clock.today()
        ids = [c.id for c in customers]
        with self._db.session() as s:
            history = load_factor_history(s, ids, day, self._config.current(), always=True)
            moods = _latest_sentiments(s, ids, day)
        out = []
        for i, c in enumerate(customers):
            then_logins = None if history is None else history.logins_then[i]
            then_tickets = None if history is None else history.tickets_then[i]
            since = c.customer_since or c.created_at.date()
            out.append(
                AccountState(
                    logins=c.logins_30d,
                    adoption=c.feature_adoption_pct,
                    tickets=c.open_tickets,
                    nps=c.nps,
                    csat=c.csat,
                    days_quiet=c.days_since_contact,
                    growth=c.growth_signal,
                    mrr=None if c.mrr_cents is None else c.mrr_cents / 100,
                    logins_change=change(c.logins_30d, _finite(then_logins)),
                    tickets_change=change(c.open_tickets, _finite(then_tickets)),
                    score_change=c.momentum,
                    tier=c.tier,
                    tenure=float((day - since).days),
                    sentiment=moods.get(c.id),
                    custom=c.custom,
                )
            )
        return out

    def portfolio(self, as_of: dt.date | None = None) -> list[tuple[CustomerDTO, ChurnEstimate]]:
        """Every open account (not churned or won) with its estimate, highest first."""
        customers = [
            c
            for c in self._customers.list_customers(CustomerFilter(), as_of)
            if c.lifecycle not in ("churned", "won")
        ]
        pairs = list(zip(customers, self.estimates(customers, as_of), strict=True))
        pairs.sort(key=lambda p: (-p[1].probability, p[0].name.lower()))
        return pairs


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _latest_sentiments(session: Session, ids: Sequence[int], day: dt.date) -> dict[int, str]:
    wanted = set(ids)
    out: dict[int, str] = {}
    stmt = (
        select(SentimentEntry.customer_id, SentimentEntry.sentiment)
        .where(SentimentEntry.day <= day)
        .order_by(SentimentEntry.day, SentimentEntry.id)
    )
    if len(wanted) <= 900:  # a few accounts: let the index pick their rows
        stmt = stmt.where(SentimentEntry.customer_id.in_(list(wanted)))
    for cid, mood in session.execute(stmt):
        if cid in wanted:
            out[cid] = mood
    return out
