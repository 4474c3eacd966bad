"""What an event, a digest, a report or a test says, before a channel shapes it.

Event documents are stored with the event (`payload`), so a digest written days later
says what was true when each transition happened.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from iqcadence_desktop.services.automations.delivery import Message
from iqcadence_desktop.services.automations.events import CUSTOM, TIMINGS, Trigger
from iqcadence_desktop.services.automations.fields import LIFECYCLE_LABELS, number_text
from iqcadence_desktop.services.automations.matching import token_name
from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.scoring import BAND_LABELS, TIER_LABELS

APP = "iQcadence"


def new_event_id(prefix: str = "evt") -> str:
    return f"{prefix}_{uuid.uuid4().hex}"


def money(cents: int | None) -> str:
    return "—" if cents is None else f"${cents / 100:,.0f}"


def customer_json(c: CustomerDTO) -> dict[str, Any]:
    """The customer as a webhook receiver sees it (S1 names, money in dollars)."""
    return {
        "id": c.id,
        "display_id": c.display_id,
        "name": c.name,
        "manager": c.manager,
        "tier": c.tier,
        "lifecycle": c.lifecycle,
        "score": c.shown_score,
        "status": c.status,
        "mrr": None if c.mrr_cents is None else c.mrr_cents / 100,
        "renewal_date": None if c.renewal_date is None else c.renewal_date.isoformat(),
        "days_until_renewal": c.days_until_renewal,
        "days_since_contact": c.days_since_contact,
        "nps": c.nps,
        "momentum": None if c.momentum is None else round(c.momentum, 1),
        "tags": list(c.tags),
    }


def headline(event: str, t: Trigger | None, token: int, c: CustomerDTO, rule_text: str) -> str:
    """What happened, in a few words ("health score 42 is below 50")."""
    v = "" if t is None or t.threshold is None else number_text(t.threshold)
    name = token_name(event, token)
    texts = {
        "health_below": lambda: f"health score {c.shown_score} is below {v}",
        "became_at_risk": lambda: (
            f"became {BAND_LABELS.get(name or '', name)}"
            + (f" (score {c.shown_score})" if c.shown_score is not None else "")
        ),
        "renewal_within": lambda: (
            f"renews in {c.days_until_renewal} days"
            + (f" ({c.renewal_date.isoformat()})" if c.renewal_date else "")
        ),
        "no_contact": lambda: f"no contact for {c.days_since_contact} days",
        "nps_detractor": lambda: f"NPS {c.nps}: now a detractor",
        "lifecycle_change": lambda: (
            "lifecycle is now " + LIFECYCLE_LABELS.get(name or "", str(name)).lower()
        ),
        "score_drop": lambda: (
            f"score fell {number_text(round(-(c.momentum or 0), 1))} points "
            f"in 7 days (now {c.shown_score})"
        ),
        CUSTOM: lambda: f"now matches: {rule_text}",
    }
    return texts[event]()


def facts(c: CustomerDTO) -> list[tuple[str, str]]:
    score = "Unscored" if c.shown_score is None else f"{c.shown_score} ({BAND_LABELS[c.status]})"
    out = [("Score", score), ("MRR", money(c.mrr_cents))]
    if c.manager:
        out.append(("Manager", c.manager))
    if c.tier:
        out.append(("Tier", TIER_LABELS.get(c.tier, c.tier)))
    if c.renewal_date is not None:
        out.append(("Renewal", f"{c.renewal_date.isoformat()} (in {c.days_until_renewal} days)"))
    return out


def severity(event: str, token: int, c: CustomerDTO) -> str:
    if token_name(event, token) in ("critical", "churned") or c.status == "critical":
        return "critical"
    return "warning"


def event_payload(
    *,
    event_id: str,
    event: str,
    trigger: Trigger | None,
    token: int,
    customer: CustomerDTO,
    rule: dict[str, Any],
    occurred_at: dt.datetime,
) -> dict[str, Any]:
    """Everything later messages need about one transition, frozen at that moment."""
    return {
        "event_id": event_id,
        "type": event,
        "occurred_at": _iso(occurred_at),
        "customer": customer_json(customer),
        "rule": {
            **rule,
            "event": event,
            "threshold": None if trigger is None else trigger.threshold,
        },
        "headline": headline(event, trigger, token, customer, str(rule.get("description", ""))),
        "facts": facts(customer),
        "severity": severity(event, token, customer),
    }


def event_message(p: dict[str, Any]) -> Message:
    customer, rule = p["customer"], p["rule"]
    text = str(p["headline"])
    return Message(
        kind="event",
        event_id=str(p["event_id"]),
        title=f"{customer['name']}: {text}",
        summary=f"{text[:1].upper()}{text[1:]}.",
        facts=tuple((str(k), str(v)) for k, v in p["facts"]),
        footer=_footer(rule),
        severity=str(p["severity"]),
        webhook={k: p[k] for k in ("event_id", "type", "occurred_at", "customer", "rule")},
    )


def group_message(
    kind: str, event_id: str, rule: dict[str, Any], events: Sequence[dict[str, Any]], period: str
) -> Message:
    """One message for many transitions: a daily/weekly digest, or a burst (kind batch)."""
    n = len(events)
    noun = f"{n:,} account{'s' * (n != 1)}"
    if kind == "digest":
        label = "Weekly digest" if "W" in period else "Daily digest"
        title = f"{label} ({period}): {noun} for “{rule['name']}”"
    else:
        title = f"{noun} just matched “{rule['name']}”"
    lines = tuple(f"{e['customer']['name']}: {e['headline']}" for e in events)
    return Message(
        kind=kind,
        event_id=event_id,
        title=title,
        summary=f"{noun} started matching: {rule.get('description', '')}.",
        lines=lines,
        footer=_footer(rule),
        severity="critical" if any(e.get("severity") == "critical" for e in events) else "warning",
        webhook={
            "event_id": event_id,
            "type": kind,
            "occurred_at": events[-1]["occurred_at"] if events else None,
            "period": period,
            "rule": rule,
            "events": [
                {k: e[k] for k in ("event_id", "type", "occurred_at", "customer")} for e in events
            ],
        },
    )


def report_message(event_id: str, title: str, as_of: dt.date, spec: dict[str, Any]) -> Message:
    details = [("Report", title), ("As of", as_of.isoformat())]
    if spec.get("manager"):
        details.append(("Manager", str(spec["manager"])))
    return Message(
        kind="report",
        event_id=event_id,
        title=f"{title}, {as_of.isoformat()}",
        summary=f"The {title} report as of {as_of.isoformat()} is attached.",
        facts=tuple(details),
        footer=f"Sent by {APP}.",
        severity="info",
        attachment=spec,
    )


def test_message(event_id: str, connection: str, now: dt.datetime) -> Message:
    return Message(
        kind="test",
        event_id=event_id,
        title=f"Test message from {APP}",
        summary=f"If you can read this, the connection “{connection}” works.",
        facts=(("Connection", connection), ("Sent", f"{_iso(now)} UTC")),
        footer=f"Sent by {APP} with “Send test”.",
        severity="info",
        webhook={
            "event_id": event_id,
            "type": "test",
            "occurred_at": _iso(now),
            "customer": {"id": 0, "name": "Example Customer", "score": 42, "status": "at_risk"},
            "rule": {"id": 0, "name": "Test message", "event": "test"},
        },
    )


def rule_json(rule_id: int, name: str, description: str, timing: str) -> dict[str, Any]:
    return {"id": rule_id, "name": name, "description": description, "timing": timing}


def _footer(rule: dict[str, Any]) -> str:
    timing = TIMINGS.get(str(rule.get("timing")), "")
    return f"Rule “{rule['name']}” · {timing} · {APP}"


def _iso(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat() + "Z"
