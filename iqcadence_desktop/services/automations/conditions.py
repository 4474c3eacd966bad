"""Custom-rule conditions: groups of (field, operator, value) joined by AND inside a group
and OR between groups; parsed from text (`tier = enterprise and score_drop_7d >= 15 or
status = critical`) and described in plain language ("Enterprise accounts whose score
fell 15+ points in 7 days, or Critical accounts").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.automations.fields import (
    FIELDS,
    RuleField,
    Value,
    field_named,
    number_text,
    operator_named,
    parse_value,
)

MAX_GROUPS = 10
MAX_CONDITIONS = 12


@dataclass(frozen=True)
class Condition:
    """One test on one field."""

    field: str
    op: str
    value: Value

    def to_json(self) -> dict[str, object]:
        return {"field": self.field, "op": self.op, "value": self.value}


Groups = tuple[tuple[Condition, ...], ...]


def condition(field: str, op: str, value: object) -> Condition:
    """A checked condition from loose input (synonyms, '15', 'Mid-Market')."""
    f = field_named(field)
    return Condition(f.name, operator_named(f, op), parse_value(f, value))


def check_groups(groups: Sequence[Sequence[Condition]]) -> Groups:
    """Drop empty groups; refuse a rule with nothing to test or absurdly many tests."""
    kept = tuple(tuple(g) for g in groups if g)
    if not kept:
        raise ValidationError("conditions", "A custom rule needs at least one condition.")
    if len(kept) > MAX_GROUPS or any(len(g) > MAX_CONDITIONS for g in kept):
        raise ValidationError(
            "conditions",
            f"Keep a rule to {MAX_GROUPS} groups of at most {MAX_CONDITIONS} conditions.",
        )
    return kept


def groups_from_json(raw: object) -> Groups:
    """Stored JSON back to conditions (each re-checked, so old rules stay valid)."""
    if not isinstance(raw, list):
        return ()
    return tuple(
        tuple(condition(str(c["field"]), str(c["op"]), c["value"]) for c in group)
        for group in raw
        if isinstance(group, list)
    )


def groups_to_json(groups: Groups) -> list[list[dict[str, object]]]:
    return [[c.to_json() for c in group] for group in groups]


# -- parsing `--when` text ---------------------------------------------------------------
_TOKEN = re.compile(
    r"""\s*(?:(?P<op>>=|<=|!=|==|<>|=|<|>)|"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<word>[^\s<>=!"']+))"""
)


def _tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise ValidationError("when", f'Cannot read the rule near "{text[pos : pos + 20]}".')
        pos = m.end()
        if m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("word") is not None:
            out.append(("word", m.group("word")))
        else:
            out.append(("quoted", m.group("dq") if m.group("dq") is not None else m.group("sq")))
    return out


def parse_when(text: str) -> Groups:
    """`a = 1 and b > 2 or c = x` -> ((a, b), (c,)): AND binds tighter than OR."""
    groups: list[list[Condition]] = [[]]
    tokens = _tokens(text)
    i = 0
    while i < len(tokens):
        cond, i = _condition_at(tokens, i)
        groups[-1].append(cond)
        if i < len(tokens):
            joiner = tokens[i][1].lower()
            if tokens[i][0] != "word" or joiner not in ("and", "or"):
                raise ValidationError(
                    "when", f'Expected "and" or "or" before "{tokens[i][1]}" in the rule.'
                )
            if joiner == "or":
                groups.append([])
            i += 1
            if i == len(tokens):
                raise ValidationError("when", f'The rule ends with "{joiner}": add a condition.')
    return check_groups(groups)


def _condition_at(tokens: list[tuple[str, str]], i: int) -> tuple[Condition, int]:
    if tokens[i][0] != "word":
        raise ValidationError("when", f'Expected a field name, not "{tokens[i][1]}".')
    field = field_named(tokens[i][1])
    i += 1
    if i >= len(tokens):
        raise ValidationError("when", f"{field.label}: add an operator and a value.")
    kind, op = tokens[i]
    if kind == "word" and op.lower() == "not" and i + 1 < len(tokens):
        i += 1
        op = {"has": "lacks", "is": "!="}.get(tokens[i][1].lower(), "not " + tokens[i][1])
    i += 1
    words: list[str] = []
    while i < len(tokens) and not (
        tokens[i][0] == "word" and tokens[i][1].lower() in ("and", "or")
    ):
        if tokens[i][0] == "op" or (words and field.kind == "number"):
            before = words[-1] if tokens[i][0] == "op" and words else tokens[i][1]
            raise ValidationError("when", f'Expected "and" or "or" before "{before}".')
        words.append(tokens[i][1])
        i += 1
    if not words:
        raise ValidationError("when", f"{field.label} {op}: give a value to compare with.")
    return Condition(field.name, operator_named(field, op), parse_value(field, " ".join(words))), i


def to_text(groups: Groups) -> str:
    """The `--when` text for these groups (round-trips through `parse_when`)."""
    return " or ".join(" and ".join(_cond_text(c) for c in g) for g in groups)


def _cond_text(c: Condition) -> str:
    value = number_text(float(c.value)).replace(",", "") if isinstance(c.value, float) else c.value
    if isinstance(value, str) and (" " in value or not value):
        value = f'"{value}"'
    return f"{c.field} {c.op} {value}"


# -- plain language ------------------------------------------------------------------------
_ADJECTIVE_FIELDS = ("tier", "status", "lifecycle")


def describe(groups: Groups) -> str:
    """'Enterprise accounts whose score fell 15+ points in 7 days, or Critical accounts'."""
    return ", or ".join(_describe_group(g, i == 0) for i, g in enumerate(groups)) or (
        "No conditions yet"
    )


def _describe_group(group: tuple[Condition, ...], first: bool) -> str:
    adjectives = [
        FIELDS[c.field].choice_label(str(c.value))
        for c in group
        if c.field in _ADJECTIVE_FIELDS and c.op == "="
    ]
    rest = [c for c in group if not (c.field in _ADJECTIVE_FIELDS and c.op == "=")]
    clauses = [_clause(FIELDS[c.field], c) for c in rest]
    noun = " ".join([*adjectives, "accounts"])
    if first:
        noun = noun[0].upper() + noun[1:]
    return noun + (" " + " and ".join(clauses) if clauses else "")


def _clause(f: RuleField, c: Condition) -> str:
    if isinstance(c.value, float):
        return _number_clause(f, c.op, c.value)
    if f.kind == "tags":
        return f'tagged "{c.value}"' if c.op == "has" else f'not tagged "{c.value}"'
    if f.name == "manager":
        return f"managed by {c.value}" if c.op == "=" else f"not managed by {c.value}"
    shown = f.choice_label(str(c.value))
    if f.name in _ADJECTIVE_FIELDS:
        return f"not {shown}" if f.name != "tier" else f"outside the {shown} tier"
    return f"whose {f.label.lower()} is {'not ' if c.op == '!=' else ''}{shown}"


#: Natural phrasings for the common number tests; anything else uses the generic form.
_PHRASES: dict[tuple[str, str], str] = {
    ("score_drop_7d", ">="): "whose score fell {v}+ points in 7 days",
    ("score_drop_7d", ">"): "whose score fell more than {v} points in 7 days",
    ("momentum", "<="): "whose score moved {v} or less in 7 days",
    ("score", "<"): "with a health score below {v}",
    ("score", "<="): "with a health score of {v} or less",
    ("score", ">="): "with a health score of {v} or more",
    ("score", ">"): "with a health score above {v}",
    ("days_since_contact", ">="): "not contacted for {v}+ days",
    ("days_since_contact", ">"): "not contacted for more than {v} days",
    ("renewal_days", "<="): "renewing within {v} days",
    ("renewal_days", "<"): "renewing in under {v} days",
    ("logins", "<"): "with fewer than {v} logins in 30 days",
    ("tickets", ">="): "with {v}+ open tickets",
    ("nps", "<="): "with NPS {v} or lower",
    ("mrr", ">="): "with MRR of ${v} or more",
    ("mrr", "<"): "with MRR under ${v}",
}


def _number_clause(f: RuleField, op: str, value: float) -> str:
    phrase = _PHRASES.get((f.name, op))
    if phrase is not None:
        return phrase.format(v=number_text(value))
    words = {
        "=": "of",
        "!=": "other than",
        "<": "below",
        "<=": "of at most",
        ">": "above",
        ">=": "of at least",
    }[op]
    return f"with {f.label.lower()} {words} {number_text(value)}"
