"""Visits on the case timeline: each logged visit against its window, and each visit whose
window closed with nothing logged. Codes and times only (notes stay encrypted, unread)."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.cases.models import Case
from caseflow.cases.timeline import TimelineEntry, register_timeline_source
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.visits.models import Visit, VisitLog


def visit_entries(case: Case):
    sector = case.organization.sector
    logged = db.session.execute(
        select(VisitLog.happened_at, VisitLog.outcome, VisitLog.modality, VisitLog.safety_concern, Visit.id,
               Visit.kind, Visit.window_end)
        .join(Visit, Visit.id == VisitLog.visit_id).where(VisitLog.case_id == case.id)
    ).all()
    for happened_at, outcome, modality, safety_concern, visit_id, kind, window_end in logged:
        yield TimelineEntry(
            happened_at, f"visit_{outcome}", sector, deadline_at=window_end,
            met=(outcome == "done" and happened_at <= window_end) if outcome != "rescheduled" else None,
            record_id=visit_id,
            detail={"visit_kind": kind, "modality": modality, "safety_concern": safety_concern})
    now = utcnow()
    unlogged = db.session.execute(
        select(Visit.id, Visit.kind, Visit.window_end)
        .where(Visit.case_id == case.id, Visit.status == "planned", Visit.window_end < now)
    ).all()
    for visit_id, kind, window_end in unlogged:
        yield TimelineEntry(window_end, "visit_overdue", sector, deadline_at=window_end, met=False,
                            record_id=visit_id, detail={"visit_kind": kind})


def register_sources() -> None:
    """Called from the feature's ``init_app``; the order is the order at equal times."""
    register_timeline_source("visits", visit_entries)
