"""Opening, updating and assigning cases. Every change is a case event and an audit entry."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from caseflow.access.policy import scope_cases, survivor_or_404
from caseflow.audit.services import record_model_write
from caseflow.cases import ficha, signals
from caseflow.cases.models import Case, CaseAssignment, CaseCodeCounter, CaseEvent
from caseflow.cases.recording import no_contact_days
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, field_error
from caseflow.directory.models import Organization, User
from caseflow.extensions import db
from caseflow.survivors.services import readable

#: Roles that can carry a case at a centre.
ASSIGNABLE_ROLES = ("caseworker", "supervisor")


def add_event(case: Case, kind: str, detail: dict | None = None) -> CaseEvent:
    event = CaseEvent(case_id=case.id, at=utcnow(), kind=kind, detail=detail,
                      actor_id=getattr(current_user, "id", None))
    db.session.add(event)
    return event


def next_case_code(organization: Organization, year: int) -> str:
    """``CEM-LIMA-2026-00042``: the counter row is incremented under its row lock."""
    for _ in range(3):
        bumped = db.session.execute(
            update(CaseCodeCounter)
            .where(CaseCodeCounter.organization_id == organization.id, CaseCodeCounter.year == year)
            .values(last_value=CaseCodeCounter.last_value + 1)
            .returning(CaseCodeCounter.last_value)
        ).scalar()
        if bumped is not None:
            return f"{organization.code}-{year}-{bumped:05d}"
        try:
            with db.session.begin_nested():
                db.session.add(CaseCodeCounter(organization_id=organization.id, year=year, last_value=0))
        except IntegrityError:
            continue  # another request created the row first; bump it
    raise Conflict()


def open_case(*, survivor_id: uuid.UUID, intake_channel: str, priority: str, condition: str | None = None,
              informant: str | None = None, complaint_filed: str = "unknown") -> Case:
    survivor = readable(survivor_or_404(survivor_id, "case.open"))
    organization = db.session.get(Organization, current_user.organization_id)
    if condition is None:
        condition = ficha.derive_condition(survivor.id, organization.id, intake_channel)
    else:
        ficha.check_condition(condition, survivor.id, organization.id)
    now = utcnow()
    case = Case(
        code=next_case_code(organization, now.year), survivor_id=survivor.id,
        organization_id=organization.id, priority=priority, intake_channel=intake_channel,
        opened_at=now, opened_by_id=current_user.id, status="open", step="engagement",
        condition=condition, informant=informant, complaint_filed=complaint_filed,
    )
    case.ensure_id()
    db.session.add(case)
    db.session.flush()
    add_event(case, "case_opened", {"intake_channel": intake_channel, "priority": priority, "condition": condition})
    signals.case_opened.send(case)
    if current_user.role in ASSIGNABLE_ROLES:
        _assign(case, current_user)
    fields = ["survivor_id", "intake_channel", "priority", "condition", "complaint_filed"]
    record_model_write("create", case, fields=fields + (["informant"] if informant else []))
    return case


def update_case(case: Case, changes: dict) -> Case:
    changes = dict(changes)
    if "step" in changes:
        from caseflow.cases import steps

        steps.move(case, changes.pop("step"))
    if "condition" in changes and changes["condition"] != case.condition:
        ficha.check_condition(changes["condition"], case.survivor_id, case.organization_id, exclude=case.id)
    if "complaint_filed" in changes:
        ficha.check_complaint_filed(case, changes["complaint_filed"])
    before = {name: getattr(case, name) for name in changes}
    for name, value in changes.items():
        setattr(case, name, value)
    changed = [name for name in changes if before[name] != changes[name]]
    if changed:
        add_event(case, "case_updated", {name: changes[name] for name in changed})
        record_model_write("update", case, fields=changed)
    db.session.flush()
    follow_up_case_change(case, changed)
    return case


def set_condition(case: Case, condition: str, cause: str) -> None:
    """A condition derived from a new record (an incident: ``reingreso`` → ``reincidente``)."""
    if case.condition == condition:
        return
    previous, case.condition = case.condition, condition
    add_event(case, "case_updated", {"condition": condition, "from": previous, "cause": cause})
    record_model_write("update", case, fields=["condition"], detail={"from": previous, "to": condition, "cause": cause})


def record_complaint_filed(case: Case, cause: str) -> None:
    """She filed a police complaint (a police complaint referral of the case completed):
    ``complaint_filed`` becomes ``yes`` whatever it was."""
    if case.complaint_filed == "yes":
        return
    previous, case.complaint_filed = case.complaint_filed, "yes"
    add_event(case, "case_updated", {"complaint_filed": "yes", "from": previous, "cause": cause})
    record_model_write("update", case, fields=["complaint_filed"], detail={"from": previous, "to": "yes", "cause": cause})


def follow_up_case_change(case: Case, changed) -> None:
    """Announce what changed: a new risk level, a closed case (visits subscribe).

    Whatever changes ``risk_level`` or closes a case (risk assessments, closure) calls this
    with the names of the fields it changed.
    """
    if "risk_level" in changed:
        signals.risk_level_changed.send(case)
    if "status" in changed and case.status == "closed":
        signals.case_closed.send(case)


def _assign(case: Case, user: User) -> CaseAssignment:
    assignment = CaseAssignment(case_id=case.id, user_id=user.id, assigned_at=utcnow(),
                                assigned_by_id=getattr(current_user, "id", None))
    db.session.add(assignment)
    add_event(case, "assigned", {"user_id": str(user.id)})
    return assignment


def assign(case: Case, user_id: uuid.UUID) -> Case:
    user = db.session.get(User, user_id)
    if user is None or user.organization_id != case.organization_id:
        raise field_error("user_id", lazy_gettext("No such person at this centre."))
    if not user.active:
        raise field_error("user_id", lazy_gettext("This account is inactive."))
    if user.role not in ASSIGNABLE_ROLES:
        raise field_error("user_id", lazy_gettext("Only caseworkers and supervisors carry cases."))
    if case.status != "open":
        raise Conflict(lazy_gettext("The case is closed."))
    if any(a.user_id == user.id for a in case.assignments):
        raise Conflict(lazy_gettext("This person is already assigned to the case."))
    _assign(case, user)
    db.session.flush()
    db.session.expire(case, ["assignments"])
    record_model_write("update", case, fields=["assigned_to"], detail={"user_id": str(user.id)})
    return case


def filtered(args: dict):
    statement = scope_cases().order_by(Case.opened_at.desc(), Case.id.desc())
    for name in ("status", "step", "risk_level", "priority"):
        if name in args:
            statement = statement.where(getattr(Case, name) == args[name])
    if "assigned_to" in args:
        who = current_user.id if args["assigned_to"] == "me" else uuid.UUID(args["assigned_to"])
        statement = statement.where(Case.id.in_(
            select(CaseAssignment.case_id).where(CaseAssignment.user_id == who, CaseAssignment.ended_at.is_(None))
        ))
    return _casework_filters(statement, args)


#: Filters on records other features hold: ``name -> fn(statement, value)``, registered by
#: those features in their ``init_app`` (approvals: awaiting_approval; referrals: overdue).
CASE_FILTERS: dict = {}


def register_case_filter(name: str, fn) -> None:
    CASE_FILTERS[name] = fn


def _casework_filters(statement, args: dict):
    """The filters caseworkers use daily: awaiting approval, an overdue referral, no
    contact for too long."""
    from datetime import timedelta

    from sqlalchemy import func

    for name, apply in CASE_FILTERS.items():
        if name in args:
            statement = apply(statement, args[name])
    days = args.get("no_contact_days")
    if days is None and args.get("no_contact"):
        days = no_contact_days()  # the closure checklist's rule
    if days is not None:
        cutoff = utcnow() - timedelta(days=days)
        statement = statement.where(
            Case.status == "open", func.coalesce(Case.last_contact_at, Case.opened_at) < cutoff)
    return statement
