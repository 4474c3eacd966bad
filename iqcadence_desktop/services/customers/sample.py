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

from iqcadence_desktop.models import Customer, CustomerTag, ScoreSnapshot, SentimentEntry
from iqcadence_desktop.services.customers.fields import name_key
from iqcadence_desktop.services.customers.sample_churn import plant_churn
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
#: A third word when prefix and suffix run out: demo names never carry numbers.
PLACES = (
    "Atlantic",
    "Pacific",
    "Nordic",
    "Alpine",
    "Baltic",
    "Iberia",
    "Andes",
    "Sahara",
    "Danube",
    "Rhine",
    "Thames",
    "Hudson",
    "Yukon",
    "Sierra",
    "Coastal",
    "Highland",
    "Lakeside",
    "Harbor",
    "Summit",
    "Meridian",
    "Aurora",
    "Polar",
    "Tropic",
    "Cascade",
    "Prairie",
    "Canyon",
    "Delta",
    "Orbit",
    "Zenith",
    "Horizon",
)
FORMS = ("", "Ltd", "LLC", "GmbH", "AG", "SA", "BV", "Oy", "AB", "Pty", "KK", "SpA")
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
    """n unique names, none of them already in the portfolio (`taken` holds name keys).

    Prefix and suffix first ("Acme Robotics"); when a pair is used up, a place and a legal
    form are added ("Acme Robotics Nordic AB") rather than a number.
    """
    names = [x for x in SPECIAL_NAMES if name_key(x) not in taken][:n]
    seen = taken | {name_key(x) for x in names}
    misses = 0
    while len(names) < n:
        name = f"{rng.choice(PREFIXES)} {rng.choice(SUFFIXES)}"
        if name_key(name) in seen:
            name = " ".join(x for x in (name, rng.choice(PLACES), rng.choice(FORMS)) if x)
        if name_key(name) in seen and misses > 1000:  # past ~250k names: a roman numeral
            name = f"{name} {_roman(len(names) // 1000 + 2)}"
        if name_key(name) in seen:
            misses += 1
            continue
        misses = 0
        seen.add(name_key(name))
        names.append(name)
    return names


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while number >= value:
            out, number = out + letters, number - value
    return out


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
        "growth": _growth(rng, end),
        "contact_phase": rng.randrange(1000),
        "wiggle_phase": rng.uniform(0, 6.283),
    }


def _growth(rng: random.Random, end: float) -> str:
    """Healthy accounts often grow, but not all of them: expansion is the exception."""
    draw = rng.random()
    if draw < 0.08:
        return "na"
    if end > 0.78 and draw < 0.5:
        return "strong"
    return "mild" if end > 0.55 and draw < 0.6 else "none"


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
        # Most accounts have a ticket or two and most NPS answers are passive or better;
        # only the weakest accounts pile up tickets and detractor scores.
        "tickets": round((1 - level("tickets")) ** 2 * 7),
        "nps": None if traits["no_nps"] else round(3 + level("nps") * 7),
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
    plant_churn(plans, today, days, seed, _signals_on)  # sample_churn.py: a known rule
    for plan in plans:
        plan["row"]["client_id"] = client_id
    session.execute(insert(Customer), [p["row"] for p in plans])
    tag_rows = [{"customer_id": p["row"]["id"], "tag": t} for p in plans for t in p["tags"]]
    if tag_rows:
        session.execute(insert(CustomerTag), tag_rows)
    moods = [e for p in plans for e in _sentiment_log(p, days, today)]
    if moods:
        session.execute(insert(SentimentEntry), moods)
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
        "sentiment": _sentiment(rng, end),
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


def _sentiment(rng: random.Random, health: float) -> str | None:
    """The recorded mood follows the account's health (a healthy account is rarely sour)."""
    weights = (
        (0.1, 0.4, 0.5) if health < 0.35 else (0.3, 0.6, 0.1) if health < 0.6 else (0.6, 0.38, 0.02)
    )
    return rng.choices(("positive", "neutral", "negative", None), (*weights, 0.18))[0]


def _sentiment_log(plan: dict[str, Any], days: int, today: dt.date) -> list[dict[str, Any]]:
    """A short sentiment log whose newest reading is the account's sentiment field."""
    row, rng = plan["row"], random.Random(f"{plan['seed']}-mood")
    if row["sentiment"] is None:
        return []
    moods = ("negative", "neutral", "positive")
    step = {"improving": -1, "declining": 1, "flat": 0}[plan["trend"]]  # older = before the trend
    entries, mood, day = [], row["sentiment"], today - dt.timedelta(days=rng.randint(0, 6))
    for _ in range(rng.randint(1, 3)):
        if day <= today - dt.timedelta(days=max(days, 1)):
            break
        entries.append(
            {
                "customer_id": row["id"],
                "day": day,
                "sentiment": mood,
                "comment": None,
                "created_at": dt.datetime.combine(day, dt.time(10)),
            }
        )
        mood = moods[min(2, max(0, moods.index(mood) + step))]
        day -= dt.timedelta(days=rng.randint(10, 30))
    return entries


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
