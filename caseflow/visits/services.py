"""Visit plans: creating them, generating visits ahead, re-planning, reassigning, ending.

Casework calls the two hooks when a case changes: :func:`on_risk_level_changed` (the
cadence follows the new level) and :func:`on_case_closed` (future visits are cancelled).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Callable, Iterable

from flask import current_app
from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import bindparam, func, insert, select, update

from caseflow.access.policy import VISITING_ROLES, may_carry_visit_kind
from caseflow.audit.services import record_model_write
from caseflow.cases.models import Case
from caseflow.cases.services import add_event
from caseflow.core.clock import local_date, local_zone_name, utcnow
from caseflow.core.errors import Conflict, Unprocessable, field_error
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.training import services as training
from caseflow.visits import cadence as cadences
from caseflow.visits.models import Visit, VisitPlan


#: Hook for consents: functions returning the ids of further organizations whose
#: mentors or psychologists may visit this survivor (those her consent covers). The
#: case's own centre is always allowed.
def _consent_covered(case: Case) -> Iterable[uuid.UUID]:
    from caseflow.consents.services import covered_organization_ids

    return covered_organization_ids(case)


ASSIGNEE_ORGANIZATION_PROVIDERS: list[Callable[[Case], Iterable[uuid.UUID]]] = [_consent_covered]


def _zone() -> str:
    return local_zone_name()


def today(now: datetime) -> date:
    return local_date(now, _zone())


def horizon(now: datetime) -> date:
    """Visits are generated up to this local date."""
    return today(now) + timedelta(days=current_app.config["CASEFLOW_VISIT_HORIZON_DAYS"])


def assignee_organizations(case: Case) -> set[uuid.UUID]:
    allowed = {case.organization_id}
    for provider in ASSIGNEE_ORGANIZATION_PROVIDERS:
        allowed.update(provider(case))
    return allowed


def _check_assignee(case: Case, assignee_id: uuid.UUID, kind: str) -> User:
    assignee = db.session.get(User, assignee_id)
    if assignee is None or assignee.organization_id not in assignee_organizations(case):
        raise field_error("assignee_id", lazy_gettext("No such mentor or psychologist at this centre."))
    if assignee.role not in VISITING_ROLES:
        raise field_error("assignee_id", lazy_gettext("Only mentors and community psychologists are assigned visits."))
    if not assignee.active:
        raise field_error("assignee_id", lazy_gettext("This account is inactive."))
    if not may_carry_visit_kind(assignee, kind):
        raise field_error("kind", lazy_gettext("This kind of visit does not match the assignee's role."))
    if assignee.role == "mentor":  # Programa Aurora: mentors accompany women once trained
        attended, required = training.sessions_attended(assignee.id), training.sessions_required()
        if attended < required:
            raise field_error("assignee_id", lazy_gettext(
                "A mentor is assigned visits after %(required)s training sessions; she has attended %(attended)s.",
                required=required, attended=attended))
    return assignee


def create_plan(case: Case, *, assignee_id: uuid.UUID, kind: str, starts_on: date,
                cadence_days: int | None = None, count: int | None = None,
                ends_on: date | None = None, now: datetime | None = None) -> VisitPlan:
    now = now or utcnow()
    if case.status != "open":
        raise Conflict(lazy_gettext("The case is closed."))
    _check_assignee(case, assignee_id, kind)
    errors = {}
    if count is not None and ends_on is not None:
        errors["count"] = [lazy_gettext("Give an end date or a number of visits, not both.")]
    if starts_on < today(now):
        errors["starts_on"] = [lazy_gettext("The plan cannot start in the past.")]
    if ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = [lazy_gettext("The end date is before the start date.")]
    if errors:
        raise Unprocessable(errors=errors)
    default = cadences.default_cadence(kind, case.risk_level)
    cadence = cadence_days or default.cadence_days
    if count is None and ends_on is None:
        # Programa Aurora: a mentor's plan is 48 weekly accompaniments; others run a year.
        count = cadences.default_count(kind)
        if count is None:
            ends_on = starts_on + cadences.default_duration()
    plan = VisitPlan(
        case_id=case.id, organization_id=case.organization_id, assignee_id=assignee_id, kind=kind,
        status="active", starts_on=starts_on, ends_on=ends_on, planned_count=count, cadence_days=cadence,
        window_days=cadences.window_for(cadence, default.window_days), cadence_from_risk=cadence_days is None,
        risk_level=case.risk_level, generation=1, next_sequence=1, next_due_on=starts_on, visits_generated=0,
        created_by_id=getattr(current_user, "id", None),
    )
    plan.ensure_id()
    db.session.add(plan)
    db.session.flush()
    extend_plan(plan, horizon(now))
    add_event(case, "visit_plan_created", {"plan_id": str(plan.id), "kind": kind,
                                           "assignee_id": str(assignee_id), "cadence_days": cadence})
    record_model_write("create", plan, fields=["assignee_id", "kind", "starts_on", "ends_on", "planned_count",
                                               "cadence_days"])
    return plan


#: What :func:`extend_plans` reads of a plan (select these columns, or pass plans themselves).
GENERATOR_COLUMNS = (
    VisitPlan.id, VisitPlan.case_id, VisitPlan.organization_id, VisitPlan.assignee_id, VisitPlan.kind,
    VisitPlan.status, VisitPlan.generation, VisitPlan.next_sequence, VisitPlan.next_due_on, VisitPlan.cadence_days,
    VisitPlan.window_days, VisitPlan.ends_on, VisitPlan.planned_count, VisitPlan.visits_generated,
)

_plans = VisitPlan.__table__
#: Compare-and-set of one plan's generator state: it moves only from the state it was read in.
_MOVE_GENERATOR = (
    update(_plans)
    .where(_plans.c.id == bindparam("plan_id"), _plans.c.status == "active",
           _plans.c.generation == bindparam("read_generation"), _plans.c.next_sequence == bindparam("read_sequence"))
    .values(next_sequence=bindparam("new_sequence"), next_due_on=bindparam("new_due_on"),
            visits_generated=bindparam("new_generated"), updated_at=bindparam("at"))
)


def extend_plan(plan: VisitPlan, through: date) -> int:
    """Generate the plan's visits due up to ``through``; return how many were added."""
    added = extend_plans([plan], through)
    db.session.expire(plan)
    return added


def extend_plans(plans, through: date) -> int:
    """Generate each plan's visits due up to ``through``; return how many were added.

    ``plans`` are rows of :data:`GENERATOR_COLUMNS` (or plans). Each plan's generator state
    moves by compare-and-set (same generation and sequence as read) and only the plans that
    moved get visits, so a request and the scheduler, or two schedulers, never add the same
    visits. A batch costs one executemany of the move and one of the visits, whatever its
    size: no per-plan statements, no ORM objects.
    """
    db.session.flush()  # a plan changed in this session is compared as it now stands
    zone, at = _zone(), utcnow()
    moves, visits = [], {}
    for plan in plans:
        if plan.status != "active" or plan.next_due_on is None or plan.next_due_on > through:
            continue
        remaining = None if plan.planned_count is None else plan.planned_count - plan.visits_generated
        planned, next_due = cadences.visits_through(
            next_sequence=plan.next_sequence, next_due_on=plan.next_due_on, cadence_days=plan.cadence_days,
            through=through, ends_on=plan.ends_on, remaining=remaining,
        )
        moves.append({"plan_id": plan.id, "read_generation": plan.generation, "read_sequence": plan.next_sequence,
                      "new_sequence": plan.next_sequence + len(planned), "new_due_on": next_due,
                      "new_generated": plan.visits_generated + len(planned), "at": at})
        visits[plan.id] = []
        for item in planned:
            start, end = cadences.local_day_bounds(item.due_on, plan.window_days, zone)
            visits[plan.id].append({
                "id": uuid.uuid4(), "plan_id": plan.id, "case_id": plan.case_id,
                "organization_id": plan.organization_id, "assignee_id": plan.assignee_id, "kind": plan.kind,
                "generation": plan.generation, "sequence": item.sequence, "rescheduled_from_id": None,
                "due_on": item.due_on, "window_start": start, "window_end": end, "status": "planned",
                "reminded_at": None, "escalated_at": None, "created_at": at, "updated_at": at,
            })
    if not moves:
        return 0
    rows = [visit for plan_id in _move_generators(moves) for visit in visits[plan_id]]
    if rows:
        db.session.execute(insert(Visit.__table__), rows)
    return len(rows)


def _move_generators(moves: list[dict]) -> list:
    """Apply the compare-and-set moves; return the ids of the plans that moved.

    All at once as an executemany inside a savepoint: each statement matches at most one
    row (by primary key), so a row count equal to the number of moves means every plan
    moved. Anything less (a plan changed since it was read) undoes the savepoint and moves
    the plans one at a time, keeping those whose move returns their id.
    """
    if len(moves) > 1:
        savepoint = db.session.begin_nested()
        if db.session.execute(_MOVE_GENERATOR, moves).rowcount == len(moves):
            savepoint.commit()
            return [move["plan_id"] for move in moves]
        savepoint.rollback()
    one = _MOVE_GENERATOR.returning(_plans.c.id)
    return [move["plan_id"] for move in moves if db.session.execute(one, move).first() is not None]


def _lock(plan: VisitPlan) -> VisitPlan:
    """Row lock on PostgreSQL (SQLite transactions already hold the write lock)."""
    return db.session.scalars(
        select(VisitPlan).where(VisitPlan.id == plan.id).with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def replan(plan: VisitPlan, cadence_days: int, window_days: int, now: datetime) -> int:
    """Cancel the plan's future visits and continue at the new cadence; return cancelled count."""
    plan = _lock(plan)
    day = today(now)
    cancelled = db.session.execute(
        update(Visit)
        .where(Visit.plan_id == plan.id, Visit.status == "planned", Visit.sequence.is_not(None), Visit.due_on > day)
        .values(status="cancelled", updated_at=utcnow())
        .returning(Visit.id)
        .execution_options(synchronize_session=False)
    ).all()
    last_kept = db.session.scalar(
        select(func.max(Visit.due_on)).where(Visit.plan_id == plan.id, Visit.sequence.is_not(None),
                                             Visit.status != "cancelled")
    )
    if last_kept is not None:
        next_due = max(last_kept + timedelta(days=cadence_days), day + timedelta(days=1))
    else:
        next_due = max(plan.starts_on, day)
    plan.visits_generated -= len(cancelled)
    if (plan.ends_on is not None and next_due > plan.ends_on) or (
            plan.planned_count is not None and plan.visits_generated >= plan.planned_count):
        next_due = None
    plan.cadence_days = cadence_days
    plan.window_days = window_days
    plan.generation += 1
    plan.next_sequence = 1
    plan.next_due_on = next_due
    db.session.flush()
    extend_plan(plan, horizon(now))
    return len(cancelled)


def change_cadence(plan: VisitPlan, cadence_days: int, now: datetime | None = None) -> VisitPlan:
    now = now or utcnow()
    if plan.status != "active":
        raise Conflict(lazy_gettext("The visit plan has ended."))
    default = cadences.default_cadence(plan.kind, plan.risk_level)
    cancelled = replan(plan, cadence_days, cadences.window_for(cadence_days, default.window_days), now)
    plan.cadence_from_risk = False
    add_event(plan.case, "visit_plan_replanned", {"plan_id": str(plan.id), "cadence_days": cadence_days,
                                                  "cancelled": cancelled})
    record_model_write("update", plan, fields=["cadence_days"])
    return plan


def reassign(plan: VisitPlan, assignee_id: uuid.UUID, now: datetime | None = None) -> VisitPlan:
    """The new assignee takes the plan and every visit whose window has not ended."""
    now = now or utcnow()
    if plan.status != "active":
        raise Conflict(lazy_gettext("The visit plan has ended."))
    _check_assignee(plan.case, assignee_id, plan.kind)
    plan = _lock(plan)
    previous = plan.assignee_id
    if previous == assignee_id:
        return plan
    moved = db.session.execute(
        update(Visit)
        .where(Visit.plan_id == plan.id, Visit.status == "planned", Visit.window_end > now)
        .values(assignee_id=assignee_id, reminded_at=None, updated_at=utcnow())
        .returning(Visit.id)
        .execution_options(synchronize_session=False)
    ).all()
    plan.assignee_id = assignee_id
    db.session.flush()
    add_event(plan.case, "visit_plan_reassigned", {"plan_id": str(plan.id), "from": str(previous),
                                                   "to": str(assignee_id), "visits_moved": len(moved)})
    record_model_write("update", plan, fields=["assignee_id"], detail={"visits_moved": len(moved)})
    return plan


# -- hooks for casework -----------------------------------------------------------------
def on_risk_level_changed(case: Case, now: datetime | None = None) -> int:
    """Re-plan the case's risk-driven plans at the new level's cadence; return plans changed.

    Plans whose cadence was set by hand keep it (a person chose it; they can change it).
    """
    now = now or utcnow()
    changed = 0
    plans = db.session.scalars(select(VisitPlan).where(VisitPlan.case_id == case.id, VisitPlan.status == "active",
                                                       VisitPlan.cadence_from_risk.is_(True))).all()
    for plan in plans:
        default = cadences.default_cadence(plan.kind, case.risk_level)
        if plan.risk_level == case.risk_level and plan.cadence_days == default.cadence_days:
            continue
        cancelled = replan(plan, default.cadence_days, default.window_days, now)
        plan.risk_level = case.risk_level
        add_event(case, "visit_plan_replanned", {"plan_id": str(plan.id), "risk_level": case.risk_level,
                                                 "cadence_days": default.cadence_days, "cancelled": cancelled})
        record_model_write("update", plan, fields=["cadence_days", "risk_level"])
        changed += 1
    db.session.flush()
    return changed


def on_case_closed(case: Case, now: datetime | None = None) -> int:
    """End the case's plans and cancel every visit not yet logged; return visits cancelled."""
    now = now or utcnow()
    plans = db.session.scalars(select(VisitPlan).where(VisitPlan.case_id == case.id,
                                                       VisitPlan.status == "active")).all()
    for plan in plans:
        plan.status, plan.ended_at, plan.end_reason, plan.next_due_on = "ended", now, "case_closed", None
        record_model_write("update", plan, fields=["status"], detail={"reason": "case_closed"})
    cancelled = db.session.execute(
        update(Visit).where(Visit.case_id == case.id, Visit.status == "planned")
        .values(status="cancelled", updated_at=utcnow())
        .returning(Visit.id)
        .execution_options(synchronize_session=False)
    ).all()
    if plans or cancelled:
        add_event(case, "visits_cancelled", {"reason": "case_closed", "plans": len(plans), "visits": len(cancelled)})
    db.session.flush()
    return len(cancelled)


# -- queries --------------------------------------------------------------------------------
#: Without ``to``, the projection of plans' later visits reaches this far ahead.
PROJECTION_DAYS = 400


@dataclass
class ProjectedVisit:
    """A visit of a plan not generated yet (beyond the scheduler's horizon): where the plan
    will put it if nothing changes. It has no id; it becomes a visit when the scheduler's
    horizon reaches it (and moves if the plan is re-planned)."""

    plan_id: uuid.UUID
    case_id: uuid.UUID
    case: Case
    assignee_id: uuid.UUID
    kind: str
    sequence: int
    due_on: date
    window_start: datetime
    window_end: datetime
    id: None = None
    status: str = "planned"
    rescheduled_from_id: None = None
    projected: bool = True


def projected_visits(plans_statement, *, assignee: str | None, from_day: date | None, to_day: date | None,
                     status: str | None, case_id: uuid.UUID | None, now: datetime | None = None) -> list:
    """The visits the plans within reach will still produce in the period, in time order:
    ``GET /visits?from=&to=`` lists a whole plan, not only what the horizon has made."""
    if status not in (None, "planned"):
        return []
    now = now or utcnow()
    zone = _zone()
    through = to_day or today(now) + timedelta(days=PROJECTION_DAYS)
    statement = plans_statement.where(VisitPlan.status == "active", VisitPlan.next_due_on.is_not(None),
                                      VisitPlan.next_due_on <= through)
    if assignee is not None:
        statement = statement.where(VisitPlan.assignee_id == (current_user.id if assignee == "me"
                                                              else uuid.UUID(assignee)))
    if case_id is not None:
        statement = statement.where(VisitPlan.case_id == case_id)
    lower = cadences.local_day_bounds(from_day, 1, zone)[0] if from_day is not None else None
    projected = []
    for plan in db.session.scalars(statement.order_by(VisitPlan.id)):
        remaining = None if plan.planned_count is None else plan.planned_count - plan.visits_generated
        planned, _next = cadences.visits_through(
            next_sequence=plan.next_sequence, next_due_on=plan.next_due_on, cadence_days=plan.cadence_days,
            through=through, ends_on=plan.ends_on, remaining=remaining)
        for item in planned:
            start, end = cadences.local_day_bounds(item.due_on, plan.window_days, zone)
            if lower is not None and end <= lower:
                continue
            projected.append(ProjectedVisit(plan_id=plan.id, case_id=plan.case_id, case=plan.case,
                                            assignee_id=plan.assignee_id, kind=plan.kind, sequence=item.sequence,
                                            due_on=item.due_on, window_start=start, window_end=end))
    return sorted(projected, key=lambda v: (v.window_start, str(v.plan_id)))

def visits_query(statement, *, assignee: str | None, from_day: date | None, to_day: date | None,
                 status: str | None, case_id: uuid.UUID | None):
    if assignee is not None:
        who = current_user.id if assignee == "me" else uuid.UUID(assignee)
        statement = statement.where(Visit.assignee_id == who)
    if from_day is not None:
        statement = statement.where(Visit.window_end > cadences.local_day_bounds(from_day, 1, _zone())[0])
    if to_day is not None:
        statement = statement.where(Visit.window_start < cadences.local_day_bounds(to_day, 1, _zone())[1])
    if status is not None:
        statement = statement.where(Visit.status == status)
    if case_id is not None:
        statement = statement.where(Visit.case_id == case_id)
    return statement.order_by(Visit.window_start, Visit.id)
