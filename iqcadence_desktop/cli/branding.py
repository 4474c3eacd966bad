"""`branding`: show or set what reports print (company, logo, colours, Confidential)."""

from __future__ import annotations

import argparse
from typing import Any

from iqcadence_desktop.cli.context import CommandContext


def register(sub: Any) -> None:
    p = sub.add_parser(
        "branding",
        help="show or set report branding (company, logo, colours, confidential footer)",
        description="Without options: show the branding reports use. Each option given "
        "is saved (audited); the others keep their value.",
    )
    p.add_argument("--company", help="company name printed on every report")
    p.add_argument("--logo", metavar="FILE", help='PNG or JPEG logo ("" for the default)')
    p.add_argument("--primary", metavar="#RRGGBB", help="primary colour (bands, headers)")
    p.add_argument("--accent", metavar="#RRGGBB", help="accent colour (rules, highlights)")
    p.add_argument(
        "--confidential",
        action=argparse.BooleanOptionalAction,
        default=None,
        help='print "Confidential" in every report footer (--no-confidential: do not)',
    )
    p.set_defaults(func=cmd_branding)


def cmd_branding(ctx: CommandContext, args: argparse.Namespace) -> int:
    brand = ctx.services.reports.set_branding(
        company=args.company,
        logo=args.logo,
        primary=args.primary,
        accent=args.accent,
        confidential=args.confidential,
    )
    changed = (
        any(v is not None for v in (args.company, args.logo, args.primary, args.accent))
        or args.confidential is not None
    )
    data = {
        "company": brand.company,
        "logo": brand.logo_path,
        "primary_color": brand.primary_color,
        "accent_color": brand.accent_color,
        "confidential": brand.confidential,
        "changed": changed,
    }
    text = "\n".join(
        [
            ("Saved. " if changed else "") + f"Reports print: {brand.company}",
            f"  logo          {brand.logo_path}",
            f"  colours       primary {brand.primary_color}, accent {brand.accent_color}",
            f"  confidential  {'yes' if brand.confidential else 'no'}",
        ]
    )
    ctx.emit(data, text)
    return 0
