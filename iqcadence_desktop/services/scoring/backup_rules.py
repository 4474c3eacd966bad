"""The rules a restored scoring row must pass: the same ones a save in Settings enforces."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from iqcadence_desktop.errors import ValidationError
from iqcadence_desktop.services.scoring import config as cfg
from iqcadence_desktop.services.scoring.engine import BANDS, UNSCORED
from iqcadence_desktop.services.scoring.profile_rules import RULE_FIELDS

SCORING_KIND = "scoring"


def _profile_row(row: dict[str, Any]) -> None:
    if not " ".join(str(row["name"]).split()):
        raise ValidationError("name", "a scoring profile needs a name")
    weights = row["weights"]
    if not isinstance(weights, dict) or not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in weights.values()
    ):
        raise ValidationError("weights", "weights must be numbers by signal name")
    try:  # saved with CSAT on or off: either way the weights in use total 100 %
        cfg.validate_weights(weights, csat_enabled=True)
    except ValidationError:
        cfg.validate_weights(weights, csat_enabled=False)


def _config_row(row: dict[str, Any]) -> None:
    if row["kind"] != SCORING_KIND:
        return
    payload = row["payload"]
    try:
        config = cfg.from_payload(payload if isinstance(payload, dict) else {})
    except (TypeError, ValueError) as exc:
        raise ValidationError("payload", f"the scoring settings cannot be read ({exc})") from None
    cfg.validate(config)


def _snapshot_row(row: dict[str, Any]) -> None:
    score = row["score"]
    if score is not None and not 0 <= score <= 100:
        raise ValidationError("score", f"a score of {score:g} is outside 0 to 100")
    if row["status"] not in (*BANDS, UNSCORED):
        raise ValidationError("status", f"{row['status']!r} is not a band")


def _rule_row(row: dict[str, Any]) -> None:
    if row["field"] not in RULE_FIELDS:
        raise ValidationError("field", f"{row['field']!r} is not one of " + ", ".join(RULE_FIELDS))
    if not " ".join(str(row["value"]).split()):
        raise ValidationError("value", "a profile rule needs a value")


SCORING_ROW_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "profile_rules": _rule_row,
    "scoring_profiles": _profile_row,
    "config_versions": _config_row,
    "score_snapshots": _snapshot_row,
}
