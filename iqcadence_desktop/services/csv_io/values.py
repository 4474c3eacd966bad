"""Spreadsheet spellings of values, turned into what the field rules accept.

"$5,000" and "5.000,00 €" become "5000" and "5000.00"; "75%" stays a percentage;
"Promoter" becomes an NPS number; US and European dates become ISO dates (ambiguous ones
follow the date order); `#N/A`, `NULL`, `n/a` and blanks are missing. The result is then
checked by services/fields.py, so an import accepts exactly what the form accepts.
Formula neutralisation (a leading `'` added on export) is undone here too.
"""

from __future__ import annotations

import datetime as dt
import re

#: What spreadsheets and other systems write for "no value". A token is only missing for
#: a field where it is not also a legal value of that field (see MISSING_BY_FIELD).
MISSING = frozenset(
    {"", "#n/a", "n/a", "na", "null", "none", "nil", "-", "--", "#value!", "#ref!", "nan"}
)
#: Legal values (S1/S2) that a generic missing token would swallow: growth "none" is a
#: real answer (20 points) and "n/a" is the excluded one; names and notes are free text
#: ("None" may be a real note), so only the spreadsheet error and NULL markers are missing.
MISSING_BY_FIELD: dict[str, frozenset[str]] = {
    "growth": MISSING - {"none", "n/a", "na"},
    "name": frozenset({"", "#n/a", "null"}),
    "note": frozenset({"", "#n/a", "null"}),
}
#: Characters a spreadsheet reads as the start of a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
#: A category stands for the lowest score inside it, so the band never flatters.
NPS_CATEGORIES = {
    "promoter": "9",
    "promoters": "9",
    "passive": "7",
    "passives": "7",
    "neutral": "7",
    "detractor": "0",
    "detractors": "0",
}
YES = frozenset({"yes", "y", "true", "1"})
NO = frozenset({"no", "n", "false", "0"})
MONEY_FIELDS = frozenset({"mrr", "arr"})
INT_FIELDS = frozenset({"logins", "tickets", "csat", "days"})
DATE_FIELDS = frozenset({"last_contact", "renewal_date", "next_touch", "since"})
TEXT_FIELDS = frozenset({"name", "manager", "note", "tags", "profile", "id", "external_id"})
#: Our own customer id as exported (CUS-000042); nothing else ever matches `id`.
OWN_ID = re.compile(r"^CUS-?(\d{1,12})$", re.IGNORECASE)
_CURRENCY = re.compile(r"[$€£¥]|\b(?:usd|eur|gbp|chf)\b", re.IGNORECASE)
_THOUSANDS_COMMA = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_THOUSANDS_DOT = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})$")
_TEXT_DATE_FORMATS = (
    "%d %b %Y",
    "%d %B %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
)


def looks_like_own_id(text: str) -> bool:
    """'CUS-000042' (a guarded "'CUS-000042" too): an id of ours, not another system's."""
    return OWN_ID.match(text.strip().lstrip("'").strip()) is not None


def _needs_guard(body: str) -> bool:
    # A formula trigger, or text our own import would read as "missing" (a manager
    # literally called "NULL" must survive the round trip).
    return bool(body) and (body[:1] in FORMULA_TRIGGERS or body.strip().casefold() in MISSING)


def neutralise(text: str) -> str:
    """Prefix `'` to text a spreadsheet would run as a formula or we would read as missing."""
    return "'" + text if _needs_guard(text.lstrip("'")) else text


def restore(text: str) -> str:
    """Undo `neutralise` exactly."""
    if text.startswith("'") and _needs_guard(text.lstrip("'")):
        return text[1:]
    return text


def is_missing(value: str, field: str) -> bool:
    """Whether a cell means "no value" for this field (never a legal value of it)."""
    return value.strip().casefold() in MISSING_BY_FIELD.get(field, MISSING)


def money(value: str) -> str:
    """'$5,000' → '5000'; '5.000,00 €' → '5000.00'; '1,5' → '1.5'."""
    text = _CURRENCY.sub("", value).replace(" ", "").replace("\u00a0", "").replace("'", "")
    if _THOUSANDS_COMMA.match(text):
        return text.replace(",", "")
    if _THOUSANDS_DOT.match(text) and "," in text:
        return text.replace(".", "").replace(",", ".")
    if "," in text and "." in text:  # the later one is the decimal mark
        if text.rfind(",") > text.rfind("."):
            return text.replace(".", "").replace(",", ".")
        return text.replace(",", "")
    return text.replace(",", ".") if text.count(",") == 1 else text


def number(value: str) -> str:
    """'1,234' → '1234'; '4,5' → '4.5'; '75 %' → '75'."""
    text = value.strip().rstrip("%").strip()
    return money(text)


def date(value: str, day_first: bool) -> str:
    """A date in any common spelling → ISO 'YYYY-MM-DD' (unchanged if not understood)."""
    text = value.strip()
    if "T" in text[8:] or " " in text[8:]:
        head = re.split(r"[T ]", text, maxsplit=1)[0]
        if _NUMERIC_DATE.match(head):
            text = head
    m = _NUMERIC_DATE.match(text)
    if m:
        return _numeric_date(m.group(1), m.group(2), m.group(3), day_first) or text
    for fmt in _TEXT_DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text


def _numeric_date(a: str, b: str, c: str, day_first: bool) -> str | None:
    if len(a) == 4:
        year, month, day = int(a), int(b), int(c)
    elif len(c) in (2, 4):
        year = int(c) + (2000 if len(c) == 2 else 0)
        first, second = int(a), int(b)
        if first > 12 or (day_first and second <= 12):
            day, month = first, second
        else:
            month, day = first, second
    else:
        return None
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def clean(field: str, value: str, day_first: bool) -> str | None:
    """A raw cell → the text the field rules parse, or None when it is missing."""
    if is_missing(value, field):
        return None
    if field in TEXT_FIELDS:
        return restore(value)
    text = value.strip()
    if field in MONEY_FIELDS:
        return money(text)
    if field in INT_FIELDS or field == "adoption" or field == "score":
        return number(text)
    if field == "nps":
        return NPS_CATEGORIES.get(text.casefold(), number(text))
    if field in DATE_FIELDS:
        return date(text, day_first)
    if field == "growth":
        return {"yes": "mild", "no": "none"}.get(text.casefold(), text)
    return text
