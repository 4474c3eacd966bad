"""Core commands: demo, score, customers, rescore."""

from __future__ import annotations

import argparse
from typing import Any

from iqcadence_desktop.cli.context import CommandContext, add_client_option
from iqcadence_desktop.services.customers import CustomerDTO, CustomerFilter
from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS, ScoreResult

#: `score` flags -> service field names (the API names).
SCORE_FLAGS = {
    "logins": "logins",
    "adoption": "adoption",
    "tickets": "tickets",
    "nps": "nps",
    "csat": "csat",
    "days": "days",
    "last_contact": "last_contact",
    "growth": "growth",
    "mrr": "mrr",
    "arr": "arr",
    "tier": "tier",
    "lifecycle": "lifecycle",
    "manager": "manager",
    "tags": "tags",
    "renewal_date": "renewal_date",
    "next_touch": "next_touch",
    "since": "since",
    "profile": "profile",
    "score": "score",
    "note": "note",
    "sentiment": "sentiment",
}


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="load a realistic sample portfolio with history")
    p.add_argument("--customers", type=int, default=250, help="how many accounts (default 250)")
    p.add_argument("--days", type=int, default=90, help="days of history (default 90)")
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same data)")
    add_client_option(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("score", help="create or update one customer and show its score")
    p.add_argument("name")
    for flag in SCORE_FLAGS:
        p.add_argument("--" + flag.replace("_", "-"), dest=flag, metavar="VALUE")
    add_client_option(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("customers", help="list customers as of --today")
    p.add_argument("--status", help="band: critical, at_risk, watch, healthy, expansion, unscored")
    p.add_argument("--manager")
    p.add_argument("--tier")
    p.add_argument("--tag")
    p.add_argument("--trash", action="store_true", help="list the trash instead")
    p.set_defaults(func=cmd_customers)

    p = sub.add_parser("rescore", help="rescore every customer with the current settings")
    p.set_defaults(func=cmd_rescore)


def cmd_demo(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.customers < 1 or args.days < 1:
        ctx.say("--customers and --days must be at least 1.")
        return 2
    n = ctx.services.customers.load_sample(args.customers, args.days, args.seed)
    ctx.emit(
        {"customers": n, "days": args.days},
        f"Loaded {n} sample customers with {args.days} days of history.",
    )
    return 0


def contributions_json(result: ScoreResult) -> list[dict[str, Any]]:
    return [
        {
            "signal": c.signal,
            "value": c.value,
            "points": c.points,
            "weight": c.weight,
            "effective_weight": c.effective_weight,
            "contribution": c.contribution,
        }
        for c in result.contributions
    ]


def cmd_score(ctx: CommandContext, args: argparse.Namespace) -> int:
    raw: dict[str, object] = {"name": args.name}
    raw.update(
        {
            field: getattr(args, flag)
            for flag, field in SCORE_FLAGS.items()
            if getattr(args, flag) is not None
        }
    )
    svc = ctx.services.customers
    dto, created = svc.save_by_name(raw)
    explanation = svc.explain(dto.id)
    data = {
        **dto.to_json(),
        "created": created,
        "contributions": contributions_json(explanation.result),
    }
    ctx.emit(data, _score_text(dto, explanation.result, created))
    return 0


def _score_text(dto: CustomerDTO, result: ScoreResult, created: bool) -> str:
    head = f"{'Created' if created else 'Updated'} {dto.name}: "
    if dto.score is None:
        return head + "unscored (no signal to score yet)."
    lines = [
        head + f"score {dto.shown_score} ({BAND_LABELS[dto.status]}), "
        f"coverage {dto.coverage:.0%}" + (" — manual score" if dto.manual_score else "")
    ]
    for c in result.contributions:
        if c.points is not None and c.weight > 0:
            lines.append(
                f"  {SIGNAL_LABELS[c.signal]:<20} {str(c.value):>8}  "
                f"{c.points:5.1f} pts × {c.effective_weight:5.1%} = {c.contribution:5.1f}"
            )
    return "\n".join(lines)


def cmd_customers(ctx: CommandContext, args: argparse.Namespace) -> int:
    flt = CustomerFilter(
        manager=args.manager, status=args.status, tier=args.tier, tag=args.tag, trash=args.trash
    )
    rows = ctx.services.customers.list_customers(flt)
    lines = [
        f"{c.display_id}  {c.name[:40]:<40} {_shown(c):>5}  {BAND_LABELS[c.status]:<9} "
        f"{c.manager or '—'}"
        for c in rows
    ]
    ctx.emit([c.to_json() for c in rows], "\n".join(lines) or "No customers match.")
    return 0


def _shown(c: CustomerDTO) -> str:
    return "—" if c.shown_score is None else str(c.shown_score)


def cmd_rescore(ctx: CommandContext, args: argparse.Namespace) -> int:
    summary = ctx.services.customers.rescore_all()
    ctx.emit(
        {
            "customers": summary.customers,
            "band_changes": summary.band_changes,
            "lifecycle_changes": summary.lifecycle_changes,
        },
        f"Rescored {summary.customers} customers; {summary.band_changes} changed band.",
    )
    return 0
