"""Signals computed from deals, opportunities and survey answers, as of any day.

Shared by HubSpot (deals, feedback submissions) and Salesforce (opportunities): MRR from
the deals won in the year before the day (annual amounts ÷ 12, or already monthly), the
next renewal from open deals, and NPS/CSAT as the rounded mean of the answers of the 90
days before the day (or the latest answer when there is none that recent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from iqcadence_desktop.services.integrations.base import cents, dollars

CONTRACT_DAYS = 365
SURVEY_WINDOW_DAYS = 90


@dataclass(frozen=True)
class DealState:
    """A deal as it stood on some day."""

    stage: str | None
    amount: Decimal | None
    close: dt.date | None


def decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def deals_mrr(
    deals: Iterable[DealState], day: dt.date, won: Sequence[str], annual: bool
) -> str | None:
    """MRR (as dollars text) from deals won in the CONTRACT_DAYS before `day`; None when
    the account had never won a deal by then."""
    total, any_won = Decimal(0), False
    for deal in deals:
        if deal.stage not in won or deal.close is None or deal.close > day:
            continue
        any_won = True
        if deal.amount is not None and (day - deal.close).days < CONTRACT_DAYS:
            total += deal.amount
    if not any_won:
        return None
    monthly = total / 12 if annual else total
    return dollars(cents(monthly))


def next_renewal(deals: Iterable[DealState], day: dt.date, closed: Sequence[str]) -> str | None:
    """The earliest close date after `day` among open deals (ISO), if any."""
    dates = [d.close for d in deals if d.stage not in closed and d.close and d.close > day]
    return min(dates).isoformat() if dates else None


@dataclass(frozen=True)
class SurveyAnswer:
    """One NPS or CSAT answer on a day."""

    kind: str  # "nps" or "csat"
    day: dt.date
    value: int


def survey_score(answers: Iterable[SurveyAnswer], kind: str, day: dt.date) -> int | None:
    """Rounded mean of the answers of the window before `day`, else the latest one."""
    past = sorted((a for a in answers if a.kind == kind and a.day <= day), key=lambda a: a.day)
    if not past:
        return None
    recent = [a.value for a in past if (day - a.day).days < SURVEY_WINDOW_DAYS]
    if not recent:
        return past[-1].value
    mean = Decimal(sum(recent)) / len(recent)
    return int(mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))


#: HubSpot's response groups, as a 1–5 CSAT (its CSAT surveys are often 3-point).
CSAT_GROUPS = {"PROMOTER": 5, "PASSIVE": 3, "DETRACTOR": 1}


def survey_answer(
    survey_type: object, value: object, group: object, day: dt.date | None
) -> SurveyAnswer | None:
    """A HubSpot feedback submission as an answer we can score, or None."""
    kind = str(survey_type or "").upper()
    number = decimal(value)
    if day is None:
        return None
    if kind == "NPS" and number is not None and 0 <= number <= 10:
        return SurveyAnswer("nps", day, int(number))
    if kind == "CSAT":
        if str(group or "").upper() in CSAT_GROUPS:
            return SurveyAnswer("csat", day, CSAT_GROUPS[str(group).upper()])
        if number is not None and 1 <= number <= 5:
            return SurveyAnswer("csat", day, int(number))
    return None
