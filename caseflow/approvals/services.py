"""Supervisor approvals of the action plan and of closure."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import approval_deciders, may_decide_approval, require, scope_case_records
from caseflow.approvals.models import Approval
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.services import add_event
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden
from caseflow.extensions import db
from caseflow.scheduling import outbox


def has_approved(case: Case, kind: str) -> bool:
    return db.session.scalar(select(Approval.id).where(
        Approval.case_id == case.id, Approval.kind == kind, Approval.status == "approved",
    ).limit(1)) is not None


def has_approved_plan(case: Case) -> bool:
    return has_approved(case, "action_plan")


def awaiting_approval_filter(statement, awaiting: bool):
    """Cases with (or, given False, without) a pending approval."""
    pending = select(Approval.case_id).where(Approval.status == "pending")
    return statement.where(Case.id.in_(pending) if awaiting else Case.id.not_in(pending))


def usable_closure_approval(case: Case) -> Approval | None:
    """An approved closure request no closing has used yet."""
    return db.session.scalars(select(Approval).where(
        Approval.case_id == case.id, Approval.kind == "closure", Approval.status == "approved",
        Approval.used_at.is_(None),
    ).order_by(Approval.decided_at.desc())).first()


def request(case: Case, kind: str, note: str | None) -> Approval:
    steps.ensure_open(case)
    pending = db.session.scalar(select(Approval.id).where(
        Approval.case_id == case.id, Approval.kind == kind, Approval.status == "pending"))
    if pending is not None:
        raise Conflict(lazy_gettext("A request of this kind is already waiting for a decision."))
    if kind == "action_plan":
        from caseflow.plans.models import PlanItem

        if db.session.scalar(select(PlanItem.id).where(PlanItem.case_id == case.id).limit(1)) is None:
            raise Conflict(lazy_gettext("The action plan has no items yet."))
    approval = Approval(case_id=case.id, survivor_id=case.survivor_id, kind=kind, status="pending",
                        requested_by_id=current_user.id, requested_at=utcnow())
    approval.ensure_id()
    if note:
        approval.request_note = note
    db.session.add(approval)
    db.session.flush()
    add_event(case, "approval_requested", {"approval_id": str(approval.id), "kind": kind})
    record_model_write("create", approval, fields=["kind"] + (["request_note"] if note else []))
    # The supervisors who may decide it hear that it waits (codes only: the kind, the case).
    deciders = [user.id for user in db.session.scalars(approval_deciders(case.organization_id, current_user.id))]
    outbox.notify(deciders, topic="approval_waiting", subject_id=approval.id,
                  subject_at=approval.requested_at, now=approval.requested_at, case=case,
                  detail={"approval_id": str(approval.id), "kind": kind})
    return approval


def decide(approval: Approval, decision: str, note: str) -> Approval:
    require("approval.decide")
    if not may_decide_approval(approval):
        raise Forbidden(lazy_gettext("A supervisor decides, and not on her own request."))
    if approval.status != "pending":
        raise Conflict(lazy_gettext("This request was already decided; a decision cannot change."))
    case = db.session.get(Case, approval.case_id)
    # Lock-free compare-and-set: of two simultaneous decisions only one finds it pending.
    from sqlalchemy import update

    now = utcnow()
    won = db.session.execute(
        update(Approval).where(Approval.id == approval.id, Approval.status == "pending")
        .values(status=decision, decided_by_id=current_user.id, decided_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not won:
        raise Conflict(lazy_gettext("This request was already decided; a decision cannot change."))
    db.session.refresh(approval)
    approval.decision_note = note
    db.session.flush()
    add_event(case, "approval_decided", {"approval_id": str(approval.id), "kind": approval.kind,
                                         "decision": decision})
    record_model_write("update", approval, fields=["decision_note", "status"],
                       detail={"decision": decision, "kind": approval.kind})
    if approval.kind == "action_plan" and decision == "approved":
        steps.advance(case, "implementation", "action_plan_approved")
    return approval


def of_case(case: Case, args: dict):
    statement = scope_case_records(Approval).where(Approval.case_id == case.id)
    for name in ("kind", "status"):
        if name in args:
            statement = statement.where(getattr(Approval, name) == args[name])
    return statement.order_by(Approval.requested_at.desc(), Approval.id)
