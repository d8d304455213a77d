"""Need-to-know, in one place (see docs/security.md and shared domain rules).

Two questions are answered here and nowhere else:

* **may** this person do this kind of thing at all (a permission of their role)? No → 403.
* **which records** can they see? Every query for case data starts from a ``scope_*``
  statement below, so a record outside a person's reach is simply not found → 404, and
  a route cannot forget a check by accident.

Mentors and community psychologists ("visiting roles") see the visits assigned to them
and, for a survivor they visit under an active plan, only the visit card (alias, safe
contact, address, phone, safety flags). Every case or survivor record read by them answers
404, so they cannot even learn that other records exist. Liaisons will see the referrals
sent to their organization.
"""

from __future__ import annotations

import uuid

from flask_login import current_user
from sqlalchemy import or_, select

from caseflow.core.errors import Forbidden, NotFound
from caseflow.extensions import db

#: Casework along the six steps: everyone who carries cases at a centre.
CASEWORK = frozenset({
    "incident.record", "incident.read", "consent.record", "consent.read", "consent.withdraw",
    "risk.assess", "risk.read", "session.record", "session.read", "plan.write", "plan.read",
    "approval.request", "approval.read", "case.close", "case.reopen",
})

#: What each role may do. Administrators run the directory and read no case content.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"directory.read", "directory.write", "audit.read", "notification.read"}),
    "supervisor": frozenset({
        "directory.read", "survivor.register", "survivor.read", "survivor.correct",
        "case.open", "case.read", "case.update", "case.assign", "case.access_log", "audit.read",
        "approval.decide",
        # Erasure takes two supervisors of the centre (see caseflow.rights.erasure).
        "survivor.erase", "survivor.export",
        "visit.plan", "visit.read", "visit.log", "workload.read", "notification.read",
    }) | CASEWORK,
    "caseworker": frozenset({
        "directory.read", "survivor.register", "survivor.read", "survivor.correct",
        "case.open", "case.read", "case.update", "case.assign", "survivor.export",
        "visit.plan", "visit.read", "visit.log", "notification.read",
    }) | CASEWORK,
    "mentor": frozenset({"directory.read", "visit.read", "visit.log", "notification.read"}),
    "psychologist": frozenset({"directory.read", "visit.read", "visit.log", "notification.read"}),
    "liaison": frozenset({"directory.read", "notification.read"}),
}

#: Roles whose people work inside a centre and see its cases.
CENTRE_CASE_ROLES = frozenset({"supervisor", "caseworker"})
#: Roles that visit survivors in the field; the plan kind each may carry.
VISIT_KINDS_BY_ROLE: dict[str, str] = {
    "mentor": "mentor_accompaniment",
    "psychologist": "psychological_followup",
}
VISITING_ROLES = frozenset(VISIT_KINDS_BY_ROLE)
#: Roles that receive a centre's escalations (missed visits, safety concerns, deadlines).
ESCALATION_ROLES = frozenset({"supervisor"})


def may(user, permission: str) -> bool:
    return permission in PERMISSIONS.get(getattr(user, "role", None), frozenset())


def require(permission: str, user=None) -> None:
    if not may(user or current_user, permission):
        raise Forbidden()


def _require_record(permission: str, user=None) -> None:
    """Like :func:`require`, but visiting roles get 404: a record outside their visits
    does not exist for them (not even as a 403 that confirms it)."""
    user = user or current_user
    if not may(user, permission):
        raise NotFound() if user.role in VISITING_ROLES else Forbidden()


# -- scopes ---------------------------------------------------------------------------
def scope_cases(user=None):
    from caseflow.cases.models import Case

    user = user or current_user
    statement = select(Case)
    if user.role in CENTRE_CASE_ROLES:
        return statement.where(Case.organization_id == user.organization_id)
    return statement.where(False)


def scope_survivors(user=None):
    """Survivors registered by the person's centre or with a case there."""
    from caseflow.cases.models import Case
    from caseflow.survivors.models import Survivor

    user = user or current_user
    statement = select(Survivor)
    if user.role in CENTRE_CASE_ROLES:
        with_case_here = select(Case.survivor_id).where(Case.organization_id == user.organization_id)
        return statement.where(
            or_(Survivor.organization_id == user.organization_id, Survivor.id.in_(with_case_here))
        )
    return statement.where(False)


def scope_case_records(model, user=None):
    """Records hanging off a case (incidents, sessions, approvals...) within reach."""
    from caseflow.cases.models import Case

    cases_in_reach = scope_cases(user).with_only_columns(Case.id)
    return select(model).where(model.case_id.in_(cases_in_reach))


def scope_audit(user=None):
    from caseflow.audit.models import AuditEntry

    user = user or current_user
    statement = select(AuditEntry)
    if user.role == "admin":
        return statement
    if user.role == "supervisor":
        return statement.where(AuditEntry.organization_id == user.organization_id)
    return statement.where(False)


def _one(statement, model, record_id: uuid.UUID):
    found = db.session.scalars(statement.where(model.id == record_id)).first()
    if found is None:
        raise NotFound()
    return found


def case_or_404(case_id: uuid.UUID, permission: str = "case.read", user=None):
    from caseflow.cases.models import Case

    _require_record(permission, user)
    return _one(scope_cases(user), Case, case_id)


def survivor_or_404(survivor_id: uuid.UUID, permission: str = "survivor.read", user=None):
    from caseflow.survivors.models import Survivor

    _require_record(permission, user)
    return _one(scope_survivors(user), Survivor, survivor_id)


def case_record_or_404(model, record_id: uuid.UUID, permission: str, user=None):
    require(permission, user)
    return _one(scope_case_records(model, user), model, record_id)


# -- field-level rules ----------------------------------------------------------------
#: Sessions whose notes only the same discipline (and the centre's supervisors) may read.
#: Psychology notes are clinical: the legal or social caseworker sees that a session
#: happened, not what was said (issue 3; shared domain notes, "Need-to-know").
RESTRICTED_NOTES = frozenset({"psychology"})


def may_read_session_notes(session, user=None) -> bool:
    """Whether ``user`` may read this attention session's summary and next steps.

    Callers have already found the session through :func:`scope_case_records`, so it is a
    session of the person's centre.
    """
    user = user or current_user
    if not may(user, "session.read"):
        return False
    if session.discipline not in RESTRICTED_NOTES:
        return True
    if user.role == "supervisor":
        return True
    return user.role == "caseworker" and user.discipline == session.discipline


def may_hold_session(discipline: str, user=None) -> bool:
    """A caseworker records sessions of her own discipline; a supervisor of any."""
    user = user or current_user
    if not may(user, "session.record"):
        return False
    return user.role == "supervisor" or user.discipline == discipline


def may_decide_approval(approval, user=None) -> bool:
    """Only a supervisor decides, and never her own request (four eyes)."""
    user = user or current_user
    return may(user, "approval.decide") and approval.requested_by_id != user.id


# -- visits ---------------------------------------------------------------------------
def scope_visit_plans(user=None):
    from caseflow.visits.models import VisitPlan

    user = user or current_user
    statement = select(VisitPlan)
    if user.role in CENTRE_CASE_ROLES:
        return statement.where(VisitPlan.organization_id == user.organization_id)
    if user.role in VISITING_ROLES:
        return statement.where(VisitPlan.assignee_id == user.id)
    return statement.where(False)


def scope_visits(user=None):
    """Centre staff: their centre's visits. Visiting roles: the visits assigned to them."""
    from caseflow.visits.models import Visit

    user = user or current_user
    statement = select(Visit)
    if user.role in CENTRE_CASE_ROLES:
        return statement.where(Visit.organization_id == user.organization_id)
    if user.role in VISITING_ROLES:
        return statement.where(Visit.assignee_id == user.id)
    return statement.where(False)


def visit_or_404(visit_id: uuid.UUID, permission: str = "visit.read", user=None):
    from caseflow.visits.models import Visit

    _require_record(permission, user)
    return _one(scope_visits(user), Visit, visit_id)


def visit_plan_or_404(plan_id: uuid.UUID, permission: str = "visit.read", user=None):
    from caseflow.visits.models import VisitPlan

    _require_record(permission, user)
    return _one(scope_visit_plans(user), VisitPlan, plan_id)


def may_read_visit_card(visit, user=None) -> bool:
    """What a visit needs (alias, safe contact, address, phone, safety flags): centre staff
    of the case's centre, or the person visiting her under an active plan."""
    from caseflow.visits.models import VisitPlan

    user = user or current_user
    if user.role in CENTRE_CASE_ROLES:
        return may(user, "survivor.read") and visit.organization_id == user.organization_id
    if user.role in VISITING_ROLES:
        return db.session.scalar(
            select(VisitPlan.id).where(VisitPlan.case_id == visit.case_id, VisitPlan.assignee_id == user.id,
                                       VisitPlan.status == "active").limit(1)
        ) is not None
    return False


def may_carry_visit_kind(user, kind: str) -> bool:
    return VISIT_KINDS_BY_ROLE.get(user.role) == kind


def visiting_staff(organization_id):
    """Mentors and community psychologists of a centre (workload, assignment)."""
    from caseflow.directory.models import User

    return select(User).where(User.organization_id == organization_id, User.role.in_(VISITING_ROLES))


def escalation_recipients(organization_id):
    """Who hears about a centre's missed visits, safety concerns and breached deadlines."""
    from caseflow.directory.models import User

    return select(User).where(User.organization_id == organization_id, User.role.in_(ESCALATION_ROLES),
                              User.active.is_(True)).order_by(User.id)
