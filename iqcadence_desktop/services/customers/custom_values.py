"""Custom field values: the five kinds, how text becomes a value, and back (lossless).

Values are stored as canonical text (numbers in Python's shortest exact form, dates
ISO, yes/no as "yes"/"no", a choice as its listed spelling), so an export and a
re-import give back exactly the same value. Kinds are detected from a column's data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence

from iqcadence_desktop.errors import ValidationError

KINDS: tuple[str, ...] = ("number", "text", "yesno", "date", "choice")
KIND_LABELS: dict[str, str] = {
    "number": "Number",
    "text": "Text",
    "yesno": "Yes/No",
    "date": "Date",
    "choice": "Choice",
}
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
MAX_TEXT = 500
#: A column with at most this many distinct values (each repeated) is a choice.
MAX_CHOICES = 20
CustomValue = float | str | bool | dt.date
_SLUG = re.compile(r"[^0-9a-z]+")


def field_key(label: str) -> str:
    """The machine key of a field: 'Contract Type' → 'contract_type'."""
    key = _SLUG.sub("_", label.casefold()).strip("_")[:60].strip("_")
    if not key or not key[0].isalpha():
        key = ("f_" + key)[:60]
    return key


def _fail(label: str, value: object, allowed: str) -> ValidationError:
    return ValidationError(label, f"{label}: {value!r} is not allowed; {allowed}.")


def parse_custom(
    kind: str, label: str, text: object, choices: Sequence[str] = ()
) -> CustomValue | None:
    """A value typed by the field's kind; blank is None (no value)."""
    raw = "" if text is None else str(text).strip()
    if not raw:
        return None
    if kind == "number":
        try:
            number = float(raw.replace(",", "")) if raw.count(",") and "." in raw else float(raw)
        except ValueError:
            raise _fail(label, raw, "a number such as 12 or 4.5") from None
        if number != number or number in (float("inf"), float("-inf")):
            raise _fail(label, raw, "a finite number")
        return number
    if kind == "yesno":
        word = raw.casefold()
        if word in YES or word in NO:
            return word in YES
        raise _fail(label, raw, "yes or no")
    if kind == "date":
        try:
            return dt.date.fromisoformat(raw[:10])
        except ValueError:
            raise _fail(label, raw, "a date written YYYY-MM-DD") from None
    if kind == "choice":
        for choice in choices:
            if choice.casefold() == raw.casefold():
                return choice
        raise _fail(label, raw, "one of " + ", ".join(choices))
    if len(raw) > MAX_TEXT:
        raise _fail(label, raw[:40] + "…", f"text of at most {MAX_TEXT} characters")
    return raw


def canonical(value: CustomValue) -> str:
    """The stored (and exported) text of a value."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_canonical(kind: str, text: str) -> CustomValue:
    """A stored value back in its type (the stored text is always valid)."""
    if kind == "number":
        return float(text)
    if kind == "yesno":
        return text == "yes"
    if kind == "date":
        return dt.date.fromisoformat(text)
    return text


def shown(value: CustomValue | None) -> str:
    """How a value reads on screen ('—' when there is none)."""
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    return canonical(value)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text[:10])
    except ValueError:
        return False
    return len(text) >= 10


def detect_kind(values: Sequence[str | None]) -> tuple[str, tuple[str, ...]]:
    """The kind a column's (cleaned) values suggest, with choices for a choice field."""
    present = [v.strip() for v in values if v is not None and v.strip()]
    if not present:
        return "text", ()
    words = {v.casefold() for v in present}
    if words <= YES | NO:  # 0/1 columns included: the preview lets the user say otherwise
        return "yesno", ()
    if all(_is_date(v) for v in present):
        return "date", ()
    if all(_is_number(v) for v in present):
        return "number", ()
    counts = Counter(present)
    if len(counts) <= MAX_CHOICES and len(counts) * 2 <= len(present):
        return "choice", tuple(sorted(counts, key=lambda c: (-counts[c], c.casefold())))
    return "text", ()
