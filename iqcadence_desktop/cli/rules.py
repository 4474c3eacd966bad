"""`rule add|add-custom|list|enable|disable|remove`: alert rules (S9).

rule add "Low health" --event health_below --threshold 40 --channel Team --timing daily
rule add-custom "Big drops" --when "tier = enterprise and score_drop_7d >= 15" --channel Team
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext, json_flag

if TYPE_CHECKING:
    from iqcadence_desktop.services.automations import RuleDraft, RuleDTO

#: The rules' vocabulary, named here so building the parser imports no service
#: (tests/cli/test_cli_core.py keeps it equal to services.automations').
EVENT_LABELS: dict[str, str] = {
    "health_below": "Health score below a threshold",
    "became_at_risk": "Became At Risk or Critical",
    "renewal_within": "Renewal approaching",
    "no_contact": "No contact",
    "nps_detractor": "NPS became detractor",
    "lifecycle_change": "Lifecycle became at-risk or churned",
    "score_drop": "Rapid score drop",
}
FIELDS = (
    "score", "status", "tier", "lifecycle", "logins", "adoption", "tickets", "nps", "csat",
    "mrr", "days_since_contact", "growth", "momentum", "score_drop_7d", "cadence",
    "renewal_days", "tags", "manager",
)  # fmt: skip
TIMINGS = ("realtime", "daily", "weekly")


def register(sub: Any) -> None:
    p = sub.add_parser("rule", help="add, list, switch or remove alert rules")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="a rule for one of the S9 events",
        description="Events: " + ", ".join(f"{k} ({v})" for k, v in EVENT_LABELS.items()),
    )
    add.add_argument("name")
    add.add_argument("--event", required=True, choices=tuple(EVENT_LABELS), metavar="EVENT")
    add.add_argument("--threshold", help="points or days (each event has a default)")
    _delivery_options(add)
    add.set_defaults(func=cmd_add)
    custom = actions.add_parser(
        "add-custom",
        help="a rule from conditions: AND inside a group, OR between groups",
        description="Fields: " + ", ".join(FIELDS) + ". Example: "
        '--when "tier = enterprise and score_drop_7d >= 15 or status = critical"',
    )
    custom.add_argument("name")
    custom.add_argument("--when", required=True, metavar="CONDITIONS")
    _delivery_options(custom)
    custom.set_defaults(func=cmd_add_custom)
    for name, func, text in (
        ("list", cmd_list, "list rules"),
        ("enable", cmd_enable, "turn a rule on (it starts from today's matches)"),
        ("disable", cmd_disable, "turn a rule off"),
        ("remove", cmd_remove, "delete a rule"),
    ):
        q = actions.add_parser(name, help=text)
        if name != "list":
            q.add_argument("name")
        json_flag(q)
        q.set_defaults(func=func)


def _delivery_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--channel",
        action="append",
        required=True,
        metavar="NAME",
        help="connection to send to (repeat, or separate with commas)",
    )
    p.add_argument("--timing", choices=tuple(TIMINGS), default="realtime")
    p.add_argument("--manager", metavar="M", help="only this manager's accounts")
    p.add_argument("--disabled", action="store_true", help="save it switched off")
    json_flag(p)


def _channel_ids(ctx: CommandContext, names: list[str]) -> tuple[int, ...]:
    connections = ctx.services.automations.connections
    wanted = [n.strip() for raw in names for n in raw.split(",") if n.strip()]
    return tuple(connections.find(n).id for n in wanted)


def _draft(ctx: CommandContext, args: argparse.Namespace, **what: Any) -> RuleDraft:
    from iqcadence_desktop.services.automations import RuleDraft

    return RuleDraft(
        name=args.name,
        manager=args.manager,
        timing=args.timing,
        channel_ids=_channel_ids(ctx, args.channel),
        enabled=not args.disabled,
        **what,
    )


def cmd_add(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.automations import trigger

    draft = _draft(ctx, args, triggers=(trigger(args.event, args.threshold),))
    return _created(ctx, ctx.services.automations.rules.create(draft))


def cmd_add_custom(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.automations import parse_when

    draft = _draft(ctx, args, groups=parse_when(args.when))
    return _created(ctx, ctx.services.automations.rules.create(draft))


def _created(ctx: CommandContext, rule: RuleDTO) -> int:
    automations = ctx.services.automations
    from iqcadence_desktop.services.automations import RuleSpec

    matches = automations.live_matcher().count(RuleSpec(rule.triggers, rule.groups, rule.manager))
    ctx.emit(
        {**rule.to_json(), "matches_today": matches},
        f'Saved rule "{rule.name}": {rule.describe()} → '
        f"{', '.join(c.name for c in rule.channels)} ({rule.timing_label.lower()}). "
        f"{matches:,} account{'s' * (matches != 1)} match today; it fires when others start "
        "to match.",
    )
    return 0


def cmd_list(ctx: CommandContext, args: argparse.Namespace) -> int:
    rules = ctx.services.automations.rules.all()
    ctx.emit(
        [r.to_json() for r in rules],
        "\n".join(_line(r) for r in rules)
        or "No rules yet. Add one with: iqcadence-cli rule add NAME --event EVENT --channel NAME",
    )
    return 0


def _line(r: RuleDTO) -> str:
    state = "on " if r.enabled else "off"
    scope = f" [{r.manager}]" if r.manager else ""
    channels = ", ".join(c.name for c in r.channels)
    return f"{state} {r.name:<24} {r.describe()}{scope} → {channels} ({r.timing_label.lower()})"


def _switch(ctx: CommandContext, args: argparse.Namespace, enabled: bool) -> int:
    rules = ctx.services.automations.rules
    rule = rules.set_enabled(rules.find(args.name).id, enabled)
    ctx.emit(rule.to_json(), f'Rule "{rule.name}" is {"on" if enabled else "off"}.')
    return 0


def cmd_enable(ctx: CommandContext, args: argparse.Namespace) -> int:
    return _switch(ctx, args, True)


def cmd_disable(ctx: CommandContext, args: argparse.Namespace) -> int:
    return _switch(ctx, args, False)


def cmd_remove(ctx: CommandContext, args: argparse.Namespace) -> int:
    rules = ctx.services.automations.rules
    name = rules.delete(rules.find(args.name).id)
    ctx.emit({"removed": name}, f'Removed rule "{name}".')
    return 0
