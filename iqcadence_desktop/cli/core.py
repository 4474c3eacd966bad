"""Core commands: demo, score, customers, rescore."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, add_client_option

if TYPE_CHECKING:  # the services are imported by the command that runs, not by --help
    from iqcadence_desktop.services.customers import CustomerDTO
    from iqcadence_desktop.services.scoring import ScoreResult

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
    "score_reason": "score_reason",
    "score_until": "score_until",
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

    p = sub.add_parser(
        "summary",
        help="the portfolio's headline numbers as of --today, with their definitions",
        description="The same figures every report, the Home page and the CSVs show.",
    )
    p.add_argument("--manager", help="only this manager's accounts")
    p.set_defaults(func=cmd_summary)


def cmd_demo(ctx: CommandContext, args: argparse.Namespace) -> int:
    if args.customers < 1 or args.days < 1:
        ctx.say("--customers and --days must be at least 1.")
        return 2
    n = ctx.services.customers.load_sample(args.customers, args.days, args.seed)
    ctx.emit(
        {"customers": n, "days": args.days},
        f"Loaded {n:,} sample customers with {args.days:,} days of history.",
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
        "factors": [
            {"factor": f.factor, "label": f.label, "points": f.points, "detail": f.detail}
            for f in explanation.result.factors
        ],
    }
    ctx.emit(data, _score_text(dto, explanation.result, created))
    return 0


def _score_text(dto: CustomerDTO, result: ScoreResult, created: bool) -> str:
    from iqcadence_desktop.services.scoring import BAND_LABELS, SIGNAL_LABELS

    head = f"{'Created' if created else 'Updated'} {dto.name}: "
    if dto.score is None:
        return head + "unscored (no signal to score yet)."
    lines = [
        head + f"score {dto.shown_score} ({BAND_LABELS[dto.status]}), "
        f"coverage {dto.coverage:.0%}" + (" — manual score" if dto.manual_score else "")
    ]
    if dto.manual_score and dto.override_reason:
        until = f" until {dto.override_until.isoformat()}" if dto.override_until else ""
        lines.append(f"  set by hand{until}: {dto.override_reason}")
    for c in result.contributions:
        if c.points is not None and c.weight > 0:
            lines.append(
                f"  {SIGNAL_LABELS[c.signal]:<20} {str(c.value):>8}  "
                f"{c.points:5.1f} pts × {c.effective_weight:5.1%} = {c.contribution:5.1f}"
            )
    if result.factors and not result.manual:
        lines.append(f"  {'Weighted average':<20} {result.weighted_average or 0:37.1f}")
        lines += [f"  {f.text()}" for f in result.factors]
    return "\n".join(lines)


def cmd_customers(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.customers import CustomerFilter
    from iqcadence_desktop.services.scoring import BAND_LABELS

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
        f"Rescored {summary.customers:,} customers; {summary.band_changes:,} changed band.",
    )
    return 0


def cmd_summary(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.portfolio import HEADLINE_KEYS

    h = ctx.services.portfolio.headlines(args.manager or None)
    figures: dict[str, Any] = {}
    lines = [f"As of {h.as_of.isoformat()}" + (f", {h.manager}'s accounts" if h.manager else "")]
    for key in HEADLINE_KEYS:
        line = h.get(key)
        if line.fmt == "money":
            figures[key.removesuffix("_cents")] = round((line.value or 0) / 100, 2)
            shown = f"${(line.value or 0) / 100:,.2f}"
        elif line.fmt == "score":
            figures[key] = line.value
            shown = "—" if h.shown_average is None else str(h.shown_average)
        else:
            figures[key] = line.value
            shown = f"{line.value:,}"
        lines.append(f"  {line.label:<28} {shown:>16}")
    lines += ["", "Definitions:"] + [f"  {name}: {text}" for name, text in h.definitions()]
    data = {
        "as_of": h.as_of,
        "manager": h.manager,
        "headlines": figures,
        "definitions": dict(h.definitions()),
    }
    ctx.emit(data, "\n".join(lines))
    return 0
