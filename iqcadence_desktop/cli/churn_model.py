"""`churn-model`: evaluate the churn model on any labelled CSV, fit it on this
portfolio's history, and show the version in force."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from iqcadence_desktop.cli.context import CommandContext

if TYPE_CHECKING:
    from iqcadence_desktop.services.model import Evaluation, ModelVersion

#: The churn model's default horizon, named here so building the parser imports no
#: service (tests/cli/test_cli_core.py keeps it equal to services.model's).
DEFAULT_HORIZON = 90


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be at least 1")
    return value


def register(sub: Any) -> None:
    group = sub.add_parser("churn-model", help="evaluate, fit or show the churn model")
    commands = group.add_subparsers(dest="churn_command", metavar="ACTION", required=True)

    p = commands.add_parser(
        "evaluate", help="cross-validate the churn model on a labelled CSV file"
    )
    p.add_argument("file", type=Path)
    p.add_argument("--label", required=True, metavar="COL", help="the column saying who churned")
    p.add_argument("--positive", metavar="VALUE", help="the label value that means churned")
    p.add_argument(
        "--drop", default="", metavar="COLS", help="columns to leave out, comma separated"
    )
    p.add_argument("--folds", type=_positive_int, default=5, help="cross-validation folds (5)")
    p.add_argument("--seed", type=int, default=0, help="random seed for the folds (0)")
    p.add_argument("--json", action="store_true", dest="sub_json", help="JSON on stdout")
    p.set_defaults(func=cmd_evaluate)

    p = commands.add_parser("fit", help="fit the churn model on this portfolio's history")
    p.add_argument(
        "--horizon",
        type=_positive_int,
        default=None,
        metavar="DAYS",
        help=f"churn within this many days (default: the horizon in force, else {DEFAULT_HORIZON})",
    )
    p.add_argument("--json", action="store_true", dest="sub_json", help="JSON on stdout")
    p.set_defaults(func=cmd_fit)

    p = commands.add_parser("show", help="show the churn model in force and how well it does")
    p.add_argument("--json", action="store_true", dest="sub_json", help="JSON on stdout")
    p.set_defaults(func=cmd_show)


def _json(ctx: CommandContext, args: argparse.Namespace) -> None:
    if getattr(args, "sub_json", False):
        ctx.json_output = True


def cmd_evaluate(ctx: CommandContext, args: argparse.Namespace) -> int:
    from iqcadence_desktop.services.csv_io import read_table
    from iqcadence_desktop.services.model import cross_validate, type_table

    _json(ctx, args)
    raw = read_table(args.file)
    drop = [c.strip() for c in args.drop.split(",") if c.strip()]
    table = type_table(raw.headers, raw.columns, args.label, args.positive, drop)
    evaluation = cross_validate(table, args.folds, args.seed)
    ctx.emit(evaluation.to_json(), _evaluation_text(args.file.name, evaluation))
    return 0


def _evaluation_text(name: str, e: Evaluation) -> str:
    c = e.card
    share = c.positives / c.rows if c.rows else 0.0
    lines = [
        f"Churn model, {e.folds}-fold stratified cross-validation (seed {e.seed}) on {name}: "
        f"{c.rows:,} rows, {c.positives:,} churned ({share:.1%}).",
        f"AUC {c.auc:.3f} · Brier {c.brier:.3f} · ECE {c.ece:.3f}"
        + (f" · top-decile lift {c.lift:.1f}×" if c.lift is not None else ""),
    ]
    if e.unlabelled_rows:
        lines.append(f"{e.unlabelled_rows:,} rows without a label were left out.")
    for d in e.dropped:
        lines.append(f"Left out {d.name}: {d.reason}.")
    lines.append("Factors by average effect (absolute log-odds per row):")
    width = max((len(f.name) for f in e.top_factors[:10]), default=10)
    lines += [f"  {f.name:<{width}}  {f.mean_abs_log_odds:5.2f}" for f in e.top_factors[:10]]
    return "\n".join(lines)


def cmd_fit(ctx: CommandContext, args: argparse.Namespace) -> int:
    _json(ctx, args)
    version = ctx.services.churn_model.fit(args.horizon, reason="from the command line")
    ctx.emit(version.to_json(), _version_text(version))
    return 0


def cmd_show(ctx: CommandContext, args: argparse.Namespace) -> int:
    _json(ctx, args)
    version = ctx.services.churn_model.current()
    if version is None:
        ctx.emit(
            {"version": None, "method": "prior", "horizon_days": DEFAULT_HORIZON},
            "No churn model has been fitted yet: churn figures use the documented prior "
            f"(chance of churning within {DEFAULT_HORIZON} days). Run `iqcadence-cli "
            "churn-model fit` to fit one on this portfolio's history.",
        )
        return 0
    ctx.emit(version.to_json(), _version_text(version))
    return 0


def _version_text(v: ModelVersion) -> str:
    from iqcadence_desktop.services.model import CONTENDER_LABELS

    lines = [
        f"Churn model v{v.id} ({v.created_at:%Y-%m-%d %H:%M}): {v.summary}.",
        f"Every figure is the {v.horizon_text}.",
    ]
    if v.reason:
        lines.append(v.reason)
    if v.quality is not None:
        lines.append(
            f"On history ({v.quality.rows:,} account-windows, {v.quality.positives:,} churned):"
        )
        for c in v.quality.contenders:
            auc = "—" if c.card.auc is None else f"{c.card.auc:.3f}"
            lines.append(
                f"  {CONTENDER_LABELS[c.key]:<20} AUC {auc}  Brier {c.card.brier:.3f}  "
                f"ECE {c.card.ece:.3f}"
            )
    pairs = v.details.get("pairs") or []
    if pairs:
        lines.append("Two-factor terms kept: " + ", ".join(str(p) for p in pairs) + ".")  # type: ignore[attr-defined]
    return "\n".join(lines)
