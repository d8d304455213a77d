"""Deadline arithmetic as pure functions: no database, no clock, no application.

Clocks run in calendar hours (shared domain notes, "Deadlines"): a deadline is its start plus
so many hours of elapsed time, whatever the wall clock does. Every datetime here is
timezone-aware; results are in UTC. America/Lima has had no daylight saving since 1994, so
there elapsed hours and wall-clock hours agree; in a zone with DST they would not, and
elapsed time is what a clinical window measures.

An incident whose hour is unknown is stored as the start of its day in the deployment's
zone (``caseflow.incidents``). A clock started there is the earliest the true clock could
be: the computed deadline is never later than the real one, and at most a day earlier. A
missed window is never reported as met.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import Iterable, Protocol
from zoneinfo import ZoneInfo


class RuleLike(Protocol):
    service_type: str | None
    priority: str | None
    anchor: str
    milestone: str
    hours: int
    effective_from: datetime
    effective_to: datetime | None


def _aware(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(timezone.utc)


def due_after(start: datetime, hours: int) -> datetime:
    """The deadline ``hours`` calendar hours after ``start`` (UTC)."""
    if hours <= 0:
        raise ValueError("hours must be positive")
    return _aware(start, "start") + timedelta(hours=hours)


def day_start(day: date, zone: ZoneInfo) -> datetime:
    """The start of ``day`` in ``zone`` (UTC): where an incident of unknown hour is placed."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(timezone.utc)


def clock_start(anchor: str, *, incident_at: datetime | None, sent_at: datetime,
                accepted_at: datetime | None = None) -> datetime | None:
    """Where a clock with this anchor starts; None while its anchor has not happened."""
    if anchor == "incident":
        return _aware(incident_at, "incident_at") if incident_at is not None else None
    if anchor == "referral_sent":
        return _aware(sent_at, "sent_at")
    if anchor == "referral_accepted":
        return _aware(accepted_at, "accepted_at") if accepted_at is not None else None
    raise ValueError(f"unknown anchor {anchor!r}")


def in_effect(rule: RuleLike, moment: datetime) -> bool:
    moment = _aware(moment, "moment")
    return rule.effective_from <= moment and (rule.effective_to is None or moment < rule.effective_to)


def rules_for(rules: Iterable[RuleLike], *, service_type: str, priority: str, at: datetime) -> list:
    """The rules a referral sent at ``at`` gets: its service type's, and its priority's
    acknowledgement rule, each the version in effect at ``at``."""
    return [
        rule for rule in rules
        if in_effect(rule, at) and (rule.service_type == service_type or rule.priority == priority)
    ]


def governing(clocks: Iterable[tuple[RuleLike, datetime]]) -> tuple[RuleLike, datetime] | None:
    """The referral's headline deadline among ``(rule, due_at)`` pairs: a service-type
    clock before an acknowledgement clock, the earliest first."""
    ranked = sorted(clocks, key=lambda pair: (pair[0].service_type is None, pair[1]))
    return ranked[0] if ranked else None


def met(due_at: datetime | None, reached_at: datetime | None) -> bool | None:
    """Was the milestone reached by the deadline? None when there is no deadline or it
    has not been reached yet (see :func:`state` for "still running" vs "overdue")."""
    if due_at is None or reached_at is None:
        return None
    return _aware(reached_at, "reached_at") <= _aware(due_at, "due_at")


@dataclass(frozen=True)
class ClockState:
    state: str  # running | due_soon | overdue | met | missed | stopped
    met: bool | None


def state(due_at: datetime, *, met_at: datetime | None, stopped_at: datetime | None,
          now: datetime, withdrawn: bool = False, soon: timedelta = timedelta(hours=24)) -> ClockState:
    """Where a clock stands at ``now``.

    A clock stopped because the referral was rejected or failed is missed: the service was
    not delivered through it. One stopped because the centre cancelled (``withdrawn``) is
    no longer measured, neither met nor missed.
    """
    now = _aware(now, "now")
    if met_at is not None:
        on_time = met(due_at, met_at)
        return ClockState("met" if on_time else "missed", on_time)
    if stopped_at is not None:
        return ClockState("stopped", None) if withdrawn else ClockState("missed", False)
    if now > due_at:
        return ClockState("overdue", False)
    if now + soon >= due_at:
        return ClockState("due_soon", None)
    return ClockState("running", None)


def hours_between(start: datetime, end: datetime) -> float:
    return (_aware(end, "end") - _aware(start, "start")).total_seconds() / 3600
