"""Field rules for customer input (S1), shared by the form, CLI, import and API.

Input uses the API field names (`logins`, `adoption`, `mrr`, ...). Every value is
coerced and range-checked here; a bad one raises `ValidationError` naming the field,
the value and what is allowed. Money comes in as dollars and leaves as integer cents.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.scoring import GROWTH_VALUES


class Lifecycle(StrEnum):
    """Where an account is in its life (S1). Churned and won never change by themselves."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    ATRISK = "atrisk"
    WON = "won"
    CHURNED = "churned"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


LIFECYCLES: tuple[Lifecycle, ...] = tuple(Lifecycle)
SENTIMENTS: tuple[Sentiment, ...] = tuple(Sentiment)
GROWTHS = GROWTH_VALUES
SIGNAL_FIELDS = frozenset(
    {"logins", "adoption", "tickets", "nps", "csat", "days", "last_contact", "growth"}
)
#: API field name -> Customer column it writes.
CUSTOMER_FIELD_COLUMNS: dict[str, str] = {
    "name": "name",
    "external_id": "external_id",
    "manager": "manager",
    "mrr": "mrr_cents",
    "logins": "logins_30d",
    "adoption": "feature_adoption_pct",
    "tickets": "open_tickets",
    "nps": "nps",
    "csat": "csat",
    "last_contact": "last_contact_date",
    "renewal_date": "renewal_date",
    "growth": "growth_signal",
    "tier": "tier",
    "lifecycle": "lifecycle",
    "since": "customer_since",
    "next_touch": "next_touch",
    "note": "note",
    "sentiment": "sentiment",
    "score": "score_override",
    "score_reason": "score_override_reason",
    "score_until": "score_override_until",
}
CUSTOMER_FIELD_LABELS: dict[str, str] = {
    "name": "Name",
    "external_id": "External id",
    "manager": "Manager",
    "mrr": "MRR",
    "arr": "ARR",
    "logins": "Logins",
    "adoption": "Feature adoption",
    "tickets": "Open tickets",
    "nps": "NPS",
    "csat": "CSAT",
    "days": "Days since contact",
    "last_contact": "Last contact date",
    "renewal_date": "Renewal date",
    "growth": "Growth",
    "tier": "Tier",
    "lifecycle": "Lifecycle",
    "since": "Customer since",
    "next_touch": "Next touch",
    "note": "Note",
    "sentiment": "Sentiment",
    "score": "Score",
    "score_reason": "Override reason",
    "score_until": "Override until",
    "tags": "Tags",
    "profile": "Scoring profile",
}
TIER_ALIASES: dict[str, str] = {
    "enterprise": "enterprise",
    "ent": "enterprise",
    "mid": "mid",
    "midmarket": "mid",
    "mm": "mid",
    "mid-market": "mid",
    "mid market": "mid",
    "smb": "smb",
    "small": "smb",
    "small business": "smb",
}
MAX_MONEY_CENTS = 10**13


#: Control characters (C0, DEL, C1). Tab and line breaks are allowed in notes only.
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_NOTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
MULTILINE_FIELDS = frozenset({"note", "body", "comment"})
_OTHER_LABELS = {"body": "Note", "comment": "Comment", "role": "Role", "phone": "Phone"}


def check_text(field: str, value: object) -> str:
    """`value` as text, refused if it holds a control character (tab/newline: notes only).

    Such characters come from binary junk or copy-paste accidents; they break exports,
    reports and other programs that read our files, so they are refused with the field.
    """
    text = str(value)
    pattern = CONTROL_IN_NOTE if field in MULTILINE_FIELDS else CONTROL_IN_NAME
    found = pattern.search(text.strip())
    if found is not None:
        label = CUSTOMER_FIELD_LABELS.get(field) or _OTHER_LABELS.get(field, field)
        code = f"U+{ord(found.group()):04X}"
        where = "" if field in MULTILINE_FIELDS else " (a tab or line break counts too)"
        raise ValidationError(
            field,
            f"{label}: holds a control character ({code}){where}; remove it and try again.",
        )
    return text


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: str) -> str:
    return str(value).strip()


def _fail(field: str, value: object, allowed: str) -> ValidationError:
    label = CUSTOMER_FIELD_LABELS.get(field, field)
    return ValidationError(field, f"{label}: {value!r} is not allowed; {allowed}.")


def parse_int(field: str, value: object, low: int, high: int | None) -> int:
    try:
        number = Decimal(str(value).strip())
        if number != number.to_integral_value():
            raise InvalidOperation
        result = int(number)
    except (InvalidOperation, ValueError, OverflowError):
        raise _fail(field, value, _range_text("a whole number", low, high)) from None
    if result < low or (high is not None and result > high):
        raise _fail(field, value, _range_text("a whole number", low, high))
    return result


def parse_float(field: str, value: object, low: float, high: float) -> float:
    try:
        result = float(str(value).strip().rstrip("%"))
    except ValueError:
        raise _fail(field, value, f"a number from {low:g} to {high:g}") from None
    if not low <= result <= high or result != result:
        raise _fail(field, value, f"a number from {low:g} to {high:g}")
    return result


def _range_text(kind: str, low: int, high: int | None) -> str:
    return f"{kind} from {low} to {high}" if high is not None else f"{kind}, {low} or more"


def parse_money_cents(field: str, value: object) -> int:
    """Dollars (number or text like '$5,000.50') to integer cents, rounded half up."""
    text = str(value).strip().removeprefix("$").replace(",", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _fail(field, value, "an amount of money such as 5000 or 5000.50") from None
    if not amount.is_finite() or amount < 0:
        raise _fail(field, value, "an amount of money, 0 or more")
    # Compare before any arithmetic: a huge exponent would overflow the Decimal context.
    if amount > MAX_MONEY_CENTS // 100:
        raise _fail(field, value, "an amount below 100 billion")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_date(field: str, value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise _fail(field, value, "a real calendar date written YYYY-MM-DD") from None


def _choice(field: str, value: object, choices: tuple[str, ...]) -> str:
    text = str(value).strip().lower()
    if text not in choices:
        raise _fail(field, value, "one of " + ", ".join(choices))
    return text


def parse_tier(value: object) -> str:
    text = " ".join(str(value).strip().lower().replace("_", " ").split())
    if text in TIER_ALIASES:
        return TIER_ALIASES[text]
    raise _fail("tier", value, "one of enterprise, mid (Mid-Market), smb")


def parse_growth(value: object) -> str:
    text = str(value).strip().lower().replace("/", "")
    return _choice("growth", "na" if text in ("na", "n a", "notapplicable") else text, GROWTHS)


def parse_tags(value: object) -> list[str]:
    """Tags from a list or a '|' / ',' separated string; trimmed, de-duplicated.

    '|' separates tags everywhere (it is the CSV's separator), so a listed "a|b" is two
    tags: a tag holding '|' could never come back from an export.
    """
    if isinstance(value, list | tuple):
        items = [part for item in value for part in str(item).split("|")]
    else:
        items = str(value).replace(",", "|").split("|")
    seen: dict[str, None] = {}
    for item in items:
        tag = " ".join(check_text("tags", item).split())
        if len(tag) > 60:
            raise _fail("tags", tag, "tags of at most 60 characters")
        if tag and tag.lower() not in {t.lower() for t in seen}:
            seen[tag] = None
    return list(seen)


def parse_name(value: object) -> str:
    name = " ".join(check_text("name", value).split())
    if not name:
        raise ValidationError("name", "Name: a customer needs a name.")
    if len(name) > 200:
        raise _fail("name", name[:40] + "…", "a name of at most 200 characters")
    return name


def parse_external_id(value: object) -> str | None:
    """Another system's id for the account: text kept as written (spaces trimmed)."""
    text = check_text("external_id", value).strip()
    if len(text) > 200:
        raise _fail("external_id", text[:40] + "…", "an id of at most 200 characters")
    return text or None


def _reason(value: object) -> str:
    text = " ".join(check_text("score_reason", value).split())
    if len(text) > 500:
        raise _fail("score_reason", text[:40] + "…", "a reason of at most 500 characters")
    return text


_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[str | int, ...]:
    """Sort key that reads numbers as numbers: "Account 9" before "Account 10".

    Text parts are case-folded; a key alternates text and whole numbers, so any two keys
    compare part by part.
    """
    folded = text.casefold()
    if not any(ch.isdigit() for ch in folded):
        return (folded,)
    parts = _DIGITS.split(folded)
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def name_key(name: str) -> str:
    """The form two names are compared in: case and spacing folded."""
    return " ".join(name.split()).casefold()


_PARSERS: dict[str, Callable[[object], Any]] = {
    "name": parse_name,
    "external_id": parse_external_id,
    "manager": lambda v: " ".join(check_text("manager", v).split())[:120] or None,
    "mrr": lambda v: parse_money_cents("mrr", v),
    "arr": lambda v: parse_money_cents("arr", v),
    "logins": lambda v: parse_int("logins", v, 0, 100_000),
    "adoption": lambda v: parse_float("adoption", v, 0, 100),
    "tickets": lambda v: parse_int("tickets", v, 0, 100_000),
    "nps": lambda v: parse_int("nps", v, 0, 10),
    "csat": lambda v: parse_int("csat", v, 1, 5),
    "days": lambda v: parse_int("days", v, 0, 36_500),
    "last_contact": lambda v: parse_date("last_contact", v),
    "renewal_date": lambda v: parse_date("renewal_date", v),
    "next_touch": lambda v: parse_date("next_touch", v),
    "since": lambda v: parse_date("since", v),
    "growth": parse_growth,
    "tier": parse_tier,
    "lifecycle": lambda v: _choice("lifecycle", v, LIFECYCLES),
    "sentiment": lambda v: _choice("sentiment", v, SENTIMENTS),
    "note": lambda v: check_text("note", v).strip(),
    "score": lambda v: parse_float("score", v, 0, 100),
    "tags": parse_tags,
    "profile": lambda v: check_text("profile", v).strip(),
    "score_reason": lambda v: _reason(v),
    "score_until": lambda v: parse_date("score_until", v),
}
KNOWN_FIELDS = frozenset(_PARSERS)


def parse_fields(raw: Mapping[str, object], today: dt.date) -> dict[str, Any]:
    """Coerce and check every given field. Blank means 'clear' (None).

    `days` becomes `last_contact` (today − days) so contact decays by itself; `arr`
    becomes `mrr` (ARR ÷ 12, in cents, rounded half up). Giving both MRR and ARR that
    disagree is refused.
    """
    unknown = sorted(set(raw) - KNOWN_FIELDS)
    if unknown:
        raise ValidationError(
            unknown[0],
            f'"{unknown[0]}" is not a customer field. Known '
            "fields: " + ", ".join(sorted(KNOWN_FIELDS)) + ".",
        )
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "name" or not is_blank(value):
            out[key] = _PARSERS[key](value)
        else:
            out[key] = [] if key == "tags" else None
    _merge_days(out, today)
    _merge_arr(out)
    return out


def _merge_days(out: dict[str, Any], today: dt.date) -> None:
    """Store contact as a date; a blank `days` beside a real date keeps the date."""
    if "days" not in out:
        return
    days = out.pop("days")
    contact = out.get("last_contact")
    if contact is not None and days is not None and (today - contact).days != days:
        raise ValidationError(
            "days",
            f"Days since contact ({days}) and last contact date "
            f"({contact.isoformat()}) disagree as of {today.isoformat()}; "
            "give only one of them.",
        )
    if days is not None:
        out["last_contact"] = today - dt.timedelta(days=days)
    else:
        out.setdefault("last_contact", None)


def _merge_arr(out: dict[str, Any]) -> None:
    if "arr" not in out:
        return
    arr = out.pop("arr")
    mrr = out.get("mrr")
    # ARR ÷ 12 rounds to the cent, so 12 × MRR may differ from ARR by up to 6 cents.
    if mrr is not None and arr is not None and abs(mrr * 12 - arr) > 6:
        raise ValidationError(
            "arr",
            f"MRR ({money_text(mrr)}) and ARR ({money_text(arr)}) "
            "disagree (ARR must be 12 × MRR); give only one of them.",
        )
    if mrr is None:  # derived only when needed: Decimal per imported row is costly
        out["mrr"] = (
            None
            if arr is None
            else int((Decimal(arr) / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        )


def money_text(cents: int | None) -> str:
    """Cents as dollars for messages and audit summaries: 123456 → '$1,234.56'."""
    if cents is None:
        return "—"
    whole, part = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    return f"{sign}${whole:,}" + (f".{part:02d}" if part else "")


def parse_value(field: str, value: object) -> Any:
    """One field's value by the same rules as `parse_fields` (blank → None, or [] for tags).

    Used by bulk import, which parses column by column and caches repeated values.
    """
    if field not in _PARSERS:
        raise ValidationError(field, f'"{field}" is not a customer field.')
    if field != "name" and is_blank(value):
        return [] if field == "tags" else None
    return _PARSERS[field](value)


def merge_derived(parsed: dict[str, Any], today: dt.date) -> None:
    """Turn `days` into `last_contact` and `arr` into `mrr` in place, as `parse_fields` does."""
    _merge_days(parsed, today)
    _merge_arr(parsed)
