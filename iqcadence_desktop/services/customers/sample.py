"""A realistic, deterministic sample portfolio with history (for demos and benchmarks).

Seeded: the same arguments always give the same portfolio. Accounts follow one of three
trajectories (improving, declining, flat) so charts, momentum and alerts have something
to show; signals are correlated through a hidden 'health' factor. Each account's health
moves smoothly from its start to its end value; every signal keeps a fixed personal
offset from it and wobbles only slightly from day to day, so history looks like real
drift rather than fresh noise each day.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot
from iqcadence_desktop.services.customers.fields import name_key
from iqcadence_desktop.services.scoring import (
    ScoringConfig,
    WeightsFor,
    auto_lifecycle,
    rebuild_portfolio_days,
    score_rows,
    snapshot_row,
)
from iqcadence_desktop.services.system import reserve_ids

MANAGERS = ("Sarah Chen", "Marcus Webb", "Priya Nair", "Jonas Müller", "Aiko Tanaka", "Lena García")
SPECIAL_NAMES = (
    "Müller GmbH",
    "株式会社サンプル",
    "Zürich Energy, B.V.",
    "Smith & Söhne",
    "Ελληνική Λογιστική",
    "Café Lumière SARL",
)
PREFIXES = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Wonka",
    "Tyrell",
    "Oscorp",
    "Nakatomi",
    "Massive",
    "Blue Sun",
    "Aperture",
    "Gringotts",
    "Monarch",
    "Pied Piper",
    "Northwind",
    "Contoso",
    "Fabrikam",
    "Tailspin",
    "Litware",
    "Adatum",
    "Proseware",
    "Wingtip",
    "Lucerne",
    "Margie's",
    "Alpine",
    "Coho",
    "Fourth Coffee",
    "Humongous",
    "Trey",
)
SUFFIXES = (
    "Corp",
    "Inc",
    "Labs",
    "Systems",
    "Group",
    "Partners",
    "Analytics",
    "Logistics",
    "Health",
    "Retail",
    "Foods",
    "Media",
    "Energy",
    "Capital",
    "Robotics",
    "Studios",
    "Networks",
    "Holdings",
    "Cloud",
    "Works",
)
TAGS = (
    "vip",
    "beta",
    "upsell",
    "champion-left",
    "migration",
    "emea",
    "apac",
    "na",
    "pilot",
    "reference",
)
TIER_MRR = {"enterprise": (8_000, 60_000), "mid": (1_500, 9_000), "smb": (150, 1_800)}


@dataclass(frozen=True)
class SampleResult:
    customers: int
    days: int


def _names(rng: random.Random, n: int, taken: set[str]) -> list[str]:
    """n unique names, none of them already in the portfolio (`taken` holds name keys)."""
    names = [x for x in SPECIAL_NAMES if name_key(x) not in taken][:n]
    seen = taken | {name_key(x) for x in names}
    serial = 0
    while len(names) < n:
        base = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES)}"
        name = base if name_key(base) not in seen else f"{base} {serial + 2}"
        serial += 1
        if name_key(name) not in seen:
            seen.add(name_key(name))
            names.append(name)
    return names


#: Per-customer, per-signal offset from the latent health (drawn once: fixed habits).
OFFSET_SPREAD = 0.12
#: Day-to-day wobble of each signal around its smooth path.
DAILY_JITTER = 0.02


def _clip(x: float) -> float:
    return min(1.0, max(0.0, x))


def _traits(rng: random.Random, end: float) -> dict[str, Any]:
    """What stays fixed for an account: signal offsets, missing data, contact rhythm."""
    return {
        "offsets": {
            s: rng.gauss(0, OFFSET_SPREAD) for s in ("logins", "adoption", "tickets", "nps", "csat")
        },
        "no_nps": rng.random() < 0.12,
        "no_csat": rng.random() < 0.3,
        "growth": "na"
        if rng.random() < 0.08
        else "strong"
        if end > 0.78
        else "mild"
        if end > 0.55
        else "none",
        "contact_phase": rng.randrange(1000),
        "wiggle_phase": rng.uniform(0, 6.283),
    }


def _health_on(plan: dict[str, Any], frac: float) -> float:
    """Smooth path from start to end (eased), plus a slow, small wave."""
    eased = frac * frac * (3 - 2 * frac)
    wave = 0.025 * math.sin(plan["traits"]["wiggle_phase"] + frac * 9.0)
    start, end = float(plan["start"]), float(plan["end"])
    return min(0.98, max(0.02, start + (end - start) * eased + wave))


def _signals_for(
    traits: dict[str, Any], health: float, day: dt.date, rng: random.Random
) -> dict[str, Any]:
    """Signals on one day for a latent health in [0, 1]: offsets plus a little jitter."""
    off = traits["offsets"]

    def level(signal: str) -> float:
        return _clip(health + off[signal] + rng.gauss(0, DAILY_JITTER))

    # Healthy accounts are touched every ~10 days, neglected ones every ~60.
    interval = 8 + round((1 - health) * 52)
    since = (day.toordinal() + traits["contact_phase"]) % interval
    return {
        "logins": round(level("logins") * 40),
        "adoption": round(level("adoption") * 100, 1),
        "tickets": round((1 - level("tickets")) * 7),
        "nps": None if traits["no_nps"] else round(level("nps") * 10),
        "csat": None if traits["no_csat"] else 1 + round(level("csat") * 4),
        "last_contact": day - dt.timedelta(days=since),
        "growth": traits["growth"],
    }


def _day_rng(plan: dict[str, Any], day: dt.date) -> random.Random:
    return random.Random(f"{plan['seed']}-{day.toordinal()}")


def generate(
    session: Session,
    *,
    client_id: int,
    customers: int,
    days: int,
    today: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    seed: int = 7,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SampleResult:
    """Insert `customers` accounts with `days` days of snapshots ending today."""
    rng = random.Random(seed)
    now = now or dt.datetime.combine(today, dt.time(9))
    ids = reserve_ids(session, cast(Table, Customer.__table__), customers)
    # A second sample (or a sample beside real accounts) must not reuse a name.
    taken = set(session.scalars(select(Customer.name_key).where(Customer.client_id == client_id)))
    plans = [
        _plan(rng, cid, name, today, now)
        for cid, name in zip(ids, _names(rng, customers, taken), strict=True)
    ]
    for plan in plans:
        plan["row"]["client_id"] = client_id
    session.execute(insert(Customer), [p["row"] for p in plans])
    tag_rows = [{"customer_id": p["row"]["id"], "tag": t} for p in plans for t in p["tags"]]
    if tag_rows:
        session.execute(insert(CustomerTag), tag_rows)
    _history(session, plans, days, today, config, weights_for, progress)
    return SampleResult(customers, days)


def _plan(
    rng: random.Random, cid: int, name: str, today: dt.date, now: dt.datetime
) -> dict[str, Any]:
    tier = rng.choices(("enterprise", "mid", "smb"), (0.15, 0.35, 0.5))[0]
    low, high = TIER_MRR[tier]
    mrr = int(low * (high / low) ** (rng.random() ** 2.2)) * 100  # skewed towards low
    trend = rng.choices(("improving", "declining", "flat"), (0.3, 0.3, 0.4))[0]
    end = min(0.97, max(0.03, rng.betavariate(2.6, 1.8)))
    start = {
        "improving": end - rng.uniform(0.15, 0.35),
        "declining": end + rng.uniform(0.15, 0.35),
        "flat": end + rng.uniform(-0.03, 0.03),
    }[trend]
    plan: dict[str, Any] = {
        "start": start,
        "end": end,
        "trend": trend,
        "seed": rng.random(),
        "traits": _traits(rng, end),
    }
    sig = _signals_for(plan["traits"], _health_on(plan, 1.0), today, _day_rng(plan, today))
    lifecycle = rng.choices(("active", "onboarding", "won", "churned"), (0.86, 0.07, 0.04, 0.03))[0]
    plan["row"] = {
        "id": cid,
        "name": name,
        "name_key": name_key(name),
        "manager": rng.choice(MANAGERS),
        "mrr_cents": mrr,
        "logins_30d": sig["logins"],
        "feature_adoption_pct": sig["adoption"],
        "open_tickets": sig["tickets"],
        "nps": sig["nps"],
        "csat": sig["csat"],
        "last_contact_date": sig["last_contact"],
        "renewal_date": today + dt.timedelta(days=rng.randint(-20, 365)),
        "growth_signal": sig["growth"],
        "tier": tier,
        "lifecycle": lifecycle,
        "customer_since": today - dt.timedelta(days=rng.randint(60, 2400)),
        "next_touch": (
            today + dt.timedelta(days=rng.randint(-5, 40)) if rng.random() < 0.6 else None
        ),
        "scoring_profile_id": None,
        "note": None,
        "sentiment": rng.choices(("positive", "neutral", "negative", None), (0.3, 0.4, 0.15, 0.15))[
            0
        ],
        "score_override": None,
        "score": None,
        "status": "unscored",
        "coverage": 0.0,
        "scored_day": None,
        "created_at": now,
        "updated_at": now,
        "deleted_at": None,
    }
    plan["tags"] = rng.sample(TAGS, k=rng.choice((0, 1, 1, 2, 3)))
    return plan


def _history(
    session: Session,
    plans: list[dict[str, Any]],
    days: int,
    today: dt.date,
    config: ScoringConfig,
    weights_for: WeightsFor,
    progress: Callable[[int, int], None] | None,
) -> None:
    first = today.toordinal() - max(days, 1) + 1
    for step, ordinal in enumerate(range(first, today.toordinal() + 1)):
        day = dt.date.fromordinal(ordinal)
        frac = 1.0 if days <= 1 else step / (days - 1)
        signal_rows = [_signals_on(p, frac, day, ordinal == today.toordinal()) for p in plans]
        scored = score_rows(signal_rows, day, config, weights_for)
        snaps = [
            snapshot_row(
                p["row"]["id"],
                ordinal,
                scored.scores[i],
                scored.statuses[i],
                scored.coverage[i],
                signal_rows[i],
                scored.days[i],
                p["row"]["mrr_cents"],
            )
            for i, p in enumerate(plans)
        ]
        session.execute(insert(ScoreSnapshot), snaps)
        if ordinal == today.toordinal():
            _finalise(session, plans, scored.scores, scored.statuses, scored.coverage, ordinal)
        if progress is not None:
            progress(step + 1, days)
    rebuild_portfolio_days(session, first, today.toordinal())


def _signals_on(plan: dict[str, Any], frac: float, day: dt.date, last: bool) -> tuple[Any, ...]:
    """A row shaped like SIGNAL_COLUMNS for one day of this account's history."""
    if last:
        row = plan["row"]
        return (
            None,
            row["logins_30d"],
            row["feature_adoption_pct"],
            row["open_tickets"],
            row["nps"],
            row["csat"],
            row["last_contact_date"],
            row["growth_signal"],
            None,
        )
    sig = _signals_for(plan["traits"], _health_on(plan, frac), day, _day_rng(plan, day))
    return (
        None,
        sig["logins"],
        sig["adoption"],
        sig["tickets"],
        sig["nps"],
        sig["csat"],
        sig["last_contact"],
        sig["growth"],
        None,
    )


def _finalise(
    session: Session,
    plans: list[dict[str, Any]],
    scores: list[float | None],
    statuses: list[str],
    coverage: list[float],
    ordinal: int,
) -> None:
    table = cast(Table, Customer.__table__)
    stmt = (
        update(table)
        .where(table.c.id == bindparam("_id"))
        .values(
            score=bindparam("_s"),
            status=bindparam("_st"),
            coverage=bindparam("_c"),
            scored_day=ordinal,
            lifecycle=bindparam("_l"),
        )
    )
    session.connection().execute(
        stmt,
        [
            {
                "_id": p["row"]["id"],
                "_s": scores[i],
                "_st": statuses[i],
                "_c": coverage[i],
                "_l": auto_lifecycle(p["row"]["lifecycle"], statuses[i]),
            }
            for i, p in enumerate(plans)
        ],
    )
