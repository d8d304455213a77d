"""The timeline hook: features register a source of entries for a case; the timeline merges
them in time order.

It lives with cases, below every feature that adds entries, so that a feature registers
its source without importing the timeline package above it. A feature adds its records to
``GET /cases/{id}/timeline`` from its ``init_app`` (called by ``create_app``)::

    from caseflow.cases.timeline import TimelineEntry, register_timeline_source

    def visit_entries(case):
        for visit in ...:
            yield TimelineEntry(at=visit.happened_at, kind="visit", sector="cem",
                                deadline_at=visit.due_on_start, met=..., record_id=visit.id)

    def init_app(app):
        register_timeline_source("visits", visit_entries)

Entries carry codes and ids only, never a sensitive value: the timeline is read by
supervisors reviewing deadlines, and nothing on it is decrypted.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from caseflow.cases.models import Case


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str
    #: The sector where it happened (``cem`` for the centre's own work).
    sector: str | None
    #: The deadline this event answered or carries, and whether it was met (None: no
    #: deadline, or not decided yet).
    deadline_at: datetime | None = None
    met: bool | None = None
    record_id: uuid.UUID | None = None
    detail: dict = field(default_factory=dict)


TimelineSource = Callable[[Case], Iterable[TimelineEntry]]
_SOURCES: dict[str, TimelineSource] = {}


def register_timeline_source(name: str, fn: TimelineSource) -> None:
    """Register ``fn(case) -> entries`` under ``name`` (registering a name again replaces it
    and keeps its place)."""
    _SOURCES[name] = fn


def registered_sources() -> tuple[str, ...]:
    return tuple(_SOURCES)


def build_timeline(case: Case) -> list[TimelineEntry]:
    """Every source's entries in time order; at equal times, in the order sources were
    registered and each source gave them (the case is opened before its first consent)."""
    numbered = [
        (entry.at, source_rank, position, entry)
        for source_rank, source in enumerate(_SOURCES.values())
        for position, entry in enumerate(source(case))
    ]
    return [entry for *_, entry in sorted(numbered, key=lambda item: item[:3])]
