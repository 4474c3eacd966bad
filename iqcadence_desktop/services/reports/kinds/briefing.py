"""The executive summary that opens page 1 of every portfolio report: what changed this
week and what to do about it, in a few lines, from the same headlines as the tiles."""

from __future__ import annotations

from iqcadence_desktop.services.customers import CustomerDTO
from iqcadence_desktop.services.portfolio import at_risk, at_stake, renewal_due
from iqcadence_desktop.services.reports.context import ReportContext
from iqcadence_desktop.services.reports.kinds.common import by_priority, score_text
from iqcadence_desktop.services.reports.model import Text
from iqcadence_desktop.services.reports.render.format import money, signed
from iqcadence_desktop.services.scoring import band_for, is_at_risk

TITLE = "At a glance"
WEEK = 7
NAMED = 3


def executive_summary(ctx: ReportContext) -> Text:
    return Text(TITLE, (_what_changed(ctx),), _this_week(ctx), boxed=True)


def _week_ago_band(c: CustomerDTO, ctx: ReportContext) -> str | None:
    if c.momentum is None or c.score is None:
        return None
    return band_for(c.score - c.momentum, ctx.config.bands)


def _names(customers: list[CustomerDTO]) -> str:
    shown = ", ".join(c.name for c in customers[:NAMED])
    return shown + (f" and {len(customers) - NAMED:,} more" if len(customers) > NAMED else "")


def _what_changed(ctx: ReportContext) -> str:
    h = ctx.headlines
    points = ctx.portfolio_service.daily(WEEK + 1, ctx.request.manager, ctx.as_of)
    base = next((p for p in points if p.day < ctx.as_of and p.average_score is not None), None)
    avg = f"Average score {score_text(h.average_score)}"
    if base is not None and base.average_score is not None and h.average_score is not None:
        days = (ctx.as_of - base.day).days
        avg += f" ({signed(h.average_score - base.average_score, 1)} over {days} days)"
        change = h.mrr_at_risk_cents - base.at_risk_mrr_cents
        risk = f"MRR at risk {money(h.mrr_at_risk_cents)} ({'+' if change >= 0 else '−'}"
        risk += f"{money(abs(change))} since {base.day:%b %d})"
    else:
        risk = f"MRR at risk {money(h.mrr_at_risk_cents)}"
    moved = [
        c
        for c in by_priority(c for c in ctx.customers if at_risk(c))
        if (before := _week_ago_band(c, ctx)) is not None and not is_at_risk(before)
    ]
    fell = f"{len(moved):,} account{'s' * (len(moved) != 1)} fell into At Risk or Critical"
    fell += f" this week ({_names(moved)})" if moved else " this week"
    return f"{avg}; {h.at_risk_accounts:,} of {h.accounts:,} accounts at risk; {risk}. {fell}."


def _this_week(ctx: ReportContext) -> tuple[str, ...]:
    h = ctx.headlines
    stake = [c for c in ctx.customers if at_stake(c)]
    urgent = by_priority(c for c in stake if at_risk(c))[:NAMED] or by_priority(stake)[:1]
    out = []
    if urgent:
        out.append("Start with " + "; ".join(_why(c) for c in urgent) + ".")
    soon = [c for c in stake if renewal_due(c, h.soon_days)]
    if soon:
        risky = sum(1 for c in soon if at_risk(c))
        out.append(
            f"{len(soon):,} renewal{'s' * (len(soon) != 1)} in the next {h.soon_days} days "
            f"({money(sum(c.mrr_cents or 0 for c in soon))} MRR), {risky:,} of them at risk."
        )
    if h.renewals_past_due:
        out.append(
            f"{h.renewals_past_due:,} renewal{'s are' if h.renewals_past_due != 1 else ' is'} "
            "past due: close them or correct the renewal date."
        )
    overdue = h.overdue_contacts
    if overdue:
        out.append(f"{overdue:,} account{'s are' if overdue != 1 else ' is'} overdue for contact.")
    return tuple(out) or ("Nothing urgent: keep the regular contact cadence.",)


def _why(c: CustomerDTO) -> str:
    parts = [f"score {score_text(c.score)}"]
    if c.mrr_cents:
        parts.append(f"{money(c.mrr_cents)} MRR")
    if c.days_until_renewal is not None and 0 <= c.days_until_renewal <= 120:
        parts.append(f"renews in {c.days_until_renewal} days")
    return f"{c.name} ({', '.join(parts)})"
