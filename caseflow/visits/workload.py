"""Supervision: each mentor's and psychologist's caseload and visit outcomes in a period."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from caseflow.access.policy import visiting_staff
from caseflow.core.clock import local_date, local_zone_name, utcnow
from caseflow.extensions import db
from caseflow.visits.cadence import local_day_bounds
from caseflow.visits.models import Visit, VisitLog, VisitPlan

DEFAULT_PERIOD = timedelta(days=30)


def _counts(statement) -> dict:
    return {row[0]: row[1] for row in db.session.execute(statement)}


def workload(organization_id, from_day: date | None, to_day: date | None) -> dict:
    zone = local_zone_name()
    now = utcnow()
    to_day = to_day or local_date(now, zone)
    from_day = from_day or to_day - DEFAULT_PERIOD
    start = local_day_bounds(from_day, 1, zone)[0]
    end = local_day_bounds(to_day, 1, zone)[1]
    people = db.session.scalars(visiting_staff(organization_id).order_by("username")).all()
    ids = [p.id for p in people]
    active = (VisitPlan.status == "active", VisitPlan.assignee_id.in_(ids))
    plans = _counts(select(VisitPlan.assignee_id, func.count()).where(*active).group_by(VisitPlan.assignee_id))
    cases = _counts(select(VisitPlan.assignee_id, func.count(func.distinct(VisitPlan.case_id)))
                    .where(*active).group_by(VisitPlan.assignee_id))
    due = _counts(select(Visit.assignee_id, func.count())
                  .where(Visit.assignee_id.in_(ids), Visit.status != "cancelled", Visit.window_start >= start,
                         Visit.window_start < end).group_by(Visit.assignee_id))
    overdue = _counts(select(Visit.assignee_id, func.count())
                      .where(Visit.assignee_id.in_(ids), Visit.status == "planned", Visit.window_end <= now)
                      .group_by(Visit.assignee_id))
    outcomes: dict = {}
    for who, outcome, n in db.session.execute(
        select(Visit.assignee_id, VisitLog.outcome, func.count())
        .join(Visit, Visit.id == VisitLog.visit_id)
        .where(Visit.assignee_id.in_(ids), VisitLog.happened_at >= start, VisitLog.happened_at < end)
        .group_by(Visit.assignee_id, VisitLog.outcome)
    ):
        outcomes[(who, outcome)] = n
    items = [{
        "user_id": p.id, "username": p.username, "full_name": p.full_name, "role": p.role, "active": p.active,
        "active_plans": plans.get(p.id, 0), "active_cases": cases.get(p.id, 0), "visits_due": due.get(p.id, 0),
        "visits_done": outcomes.get((p.id, "done"), 0), "visits_missed": outcomes.get((p.id, "missed"), 0),
        "visits_overdue": overdue.get(p.id, 0),
    } for p in people]
    return {"from_day": from_day, "to_day": to_day, "items": items}
