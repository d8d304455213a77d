"""Risk instruments are data, never code: versioned JSON files in ``caseflow/risk/instruments/``.

Shared domain notes ("Risk"): the official FVR cut-offs were not found publicly, so each
instrument carries its items, weights and cut-offs, and the shipped one marks its cut-offs as
placeholders for the deployment to set. Scoring here is pure: answers in, score and level out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from flask_babel import lazy_gettext

LEVELS = ("leve", "moderado", "severo")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}


class AnswersInvalid(Exception):
    def __init__(self, errors: dict):
        super().__init__("invalid answers")
        self.errors = errors


@dataclass(frozen=True)
class Instrument:
    definition: dict

    @property
    def id(self) -> str:
        return self.definition["id"]

    @property
    def version(self) -> int:
        return self.definition["version"]

    @property
    def items(self) -> list[dict]:
        return self.definition["items"]

    def validate(self, answers: dict) -> None:
        """Every item answered, nothing else, each within its range. Errors name items only."""
        errors: dict[str, list] = {}
        known = {item["code"]: item for item in self.items}
        for code in answers:
            if code not in known:
                errors[str(code)[:60]] = [lazy_gettext("Not an item of this instrument.")]
        for code, item in known.items():
            if code not in answers:
                errors[code] = [lazy_gettext("Missing answer.")]
            elif not _in_range(item, answers[code]):
                errors[code] = [_range_message(item)]
        if errors:
            raise AnswersInvalid(errors)

    def score(self, answers: dict) -> tuple[int, str]:
        self.validate(answers)
        total = sum(item["weight"] * int(answers[item["code"]]) for item in self.items)
        cutoffs = self.definition["cutoffs"]
        level = "leve"
        if total >= cutoffs["severo"]:
            level = "severo"
        elif total >= cutoffs["moderado"]:
            level = "moderado"
        critical = cutoffs.get("critical_items") or []
        if any(answers.get(code) is True for code in critical):
            raised = cutoffs.get("critical_level", "severo")
            level = max(level, raised, key=LEVEL_RANK.__getitem__)
        return total, level


def _in_range(item: dict, value) -> bool:
    if item["type"] == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return item["min"] <= value <= item["max"]


def _range_message(item: dict):
    if item["type"] == "boolean":
        return lazy_gettext("Answer true or false.")
    return lazy_gettext("Answer a whole number from %(min)s to %(max)s.", min=item["min"], max=item["max"])


@lru_cache(maxsize=1)
def _load_all() -> dict[str, Instrument]:
    found = {}
    folder = resources.files("caseflow.risk").joinpath("instruments")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".json"):
            definition = json.loads(entry.read_text(encoding="utf-8"))
            found[definition["id"]] = Instrument(definition)
    return found


def all_instruments() -> list[Instrument]:
    return list(_load_all().values())


def get(instrument_id: str) -> Instrument | None:
    return _load_all().get(instrument_id)
