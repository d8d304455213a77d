"""Date arithmetic of visit plans: pure functions (no database, no clock).

Per-level defaults are data (``cadence_defaults.json``) so the programme can change them
without touching code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

DEFAULTS_FILE = Path(__file__).with_name("cadence_defaults.json")


@dataclass(frozen=True)
class Cadence:
    cadence_days: int
    window_days: int


@lru_cache(maxsize=1)
def _defaults() -> dict:
    return json.loads(DEFAULTS_FILE.read_text(encoding="utf-8"))


def default_cadence(kind: str, risk_level: str | None) -> Cadence:
    """The programme's cadence for a kind of plan at a risk level (``None``: not assessed)."""
    entry = _defaults()[kind].get(risk_level or "none") or _defaults()[kind]["none"]
    return Cadence(entry["cadence_days"], entry["window_days"])


def default_count(kind: str) -> int | None:
    """How many visits a plan of this kind has when neither a count nor an end date is given
    (mentors: 48, Programa Aurora), or None (the plan runs ``duration_days``)."""
    return _defaults().get("default_counts", {}).get(kind)


def default_duration() -> timedelta:
    return timedelta(days=_defaults()["duration_days"])


def window_for(cadence_days: int, default_window_days: int) -> int:
    """A window never overlaps the next visit."""
    return max(1, min(default_window_days, cadence_days))


@dataclass(frozen=True)
class PlannedVisit:
    sequence: int
    due_on: date


def visits_through(*, next_sequence: int, next_due_on: date | None, cadence_days: int,
                   through: date, ends_on: date | None, remaining: int | None,
                   ) -> tuple[list[PlannedVisit], date | None]:
    """Visits due up to ``through`` (inclusive), and the next due date left to generate.

    ``remaining`` is how many visits the plan may still produce (``None``: no count limit).
    The returned next date is ``None`` once the plan has no more visits.
    """
    planned: list[PlannedVisit] = []
    due, sequence = next_due_on, next_sequence
    while due is not None and due <= through:
        if ends_on is not None and due > ends_on:
            due = None
            break
        if remaining is not None and len(planned) >= remaining:
            due = None
            break
        planned.append(PlannedVisit(sequence, due))
        sequence += 1
        due = due + timedelta(days=cadence_days)
    if due is not None and ((ends_on is not None and due > ends_on)
                            or (remaining is not None and len(planned) >= remaining)):
        due = None
    return planned, due


def local_day_bounds(day: date, days: int, zone: str) -> tuple[datetime, datetime]:
    """Start of ``day`` and end of ``day + days - 1`` in the centre's time zone, as aware times."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=days), time.min, tzinfo=tz)
    return start, end


