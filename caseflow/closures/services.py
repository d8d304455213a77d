"""Closing and reopening cases (guidelines step 6; GBV closure checklist).

Closing needs: an approved, unused closure approval from a supervisor of the centre; a
reason from the contract list; and the checklist — her needs met, or no contact for over
the no-contact days (CASEFLOW_NO_CONTACT_DAYS, 30 by default); the safety plan reviewed; she was told she may return (unless she cannot be
reached: no contact, moved away). Reopening records a reason and starts again at assessment.
"""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_login import current_user
from sqlalchemy import select

from caseflow.access.policy import scope_case_records
from caseflow.approvals.services import usable_closure_approval
from caseflow.audit.services import record_model_write
from caseflow.cases import steps
from caseflow.cases.models import Case
from caseflow.cases.recording import no_contact_days
from caseflow.cases.services import follow_up_case_change
from caseflow.closures.models import CaseClosure
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Unprocessable
from caseflow.extensions import db

#: No contact for over this many days makes a case a closure candidate (closure checklist).
#: Reasons for which she cannot be told she may return: she cannot be reached.
UNREACHABLE_REASONS = frozenset({"no_contact", "left_area"})


def days_without_contact(case: Case) -> int:
    since = case.last_contact_at or case.opened_at
    return (utcnow() - since).days


def _checklist_errors(case: Case, data: dict) -> dict:
    errors: dict[str, list] = {}
    reason = data["reason"]
    if reason == "needs_met" and not data["needs_met"]:
        errors["needs_met"] = [lazy_gettext("The reason is that her needs are met: confirm needs_met.")]
    if reason == "no_contact" and days_without_contact(case) <= no_contact_days():
        errors["reason"] = [lazy_gettext("There was contact with her in the last %(days)s days.", days=no_contact_days())]
    if not data["safety_plan_reviewed"]:
        errors["safety_plan_reviewed"] = [lazy_gettext("Review the safety plan before closing.")]
    if not data["survivor_informed_may_return"] and reason not in UNREACHABLE_REASONS:
        errors["survivor_informed_may_return"] = [lazy_gettext("Tell her she may come back before closing.")]
    return errors


#: What must end before a case closes, registered by the features that own it (referrals
#: register theirs in their ``init_app``): ``blocker(case)`` returns the refusal, or None.
_CLOSURE_BLOCKERS: list = []


def register_closure_blocker(blocker) -> None:
    if blocker not in _CLOSURE_BLOCKERS:
        _CLOSURE_BLOCKERS.append(blocker)


def close(case: Case, data: dict) -> Case:
    steps.ensure_open(case)
    for blocker in _CLOSURE_BLOCKERS:
        refusal = blocker(case)
        if refusal is not None:
            raise refusal
    approval = usable_closure_approval(case)
    if approval is None:
        raise Conflict(lazy_gettext("Closing needs a supervisor's approved closure request."))
    errors = _checklist_errors(case, data)
    if errors:
        raise Unprocessable(errors=errors)
    now = utcnow()
    closure = CaseClosure(
        case_id=case.id, survivor_id=case.survivor_id, approval_id=approval.id, reason=data["reason"],
        needs_met=data["needs_met"], safety_plan_reviewed=data["safety_plan_reviewed"],
        survivor_informed_may_return=data["survivor_informed_may_return"],
        days_without_contact=days_without_contact(case), closed_at=now, closed_by_id=current_user.id,
    )
    closure.ensure_id()
    if data.get("note"):
        closure.note = data["note"]
    approval.used_at = now
    db.session.add(closure)
    steps.close(case, data["reason"])
    case.closed_at = now
    case.closure_reason = data["reason"]
    db.session.flush()
    record_model_write("create", closure, fields=sorted(data))
    record_model_write("update", case, fields=["status", "step", "closed_at", "closure_reason"],
                       detail={"reason": data["reason"]})
    follow_up_case_change(case, ["status"])
    return case


def reopen(case: Case, data: dict) -> Case:
    if case.status != "closed":
        raise Conflict(lazy_gettext("The case is open."))
    closure = db.session.scalars(select(CaseClosure).where(
        CaseClosure.case_id == case.id, CaseClosure.reopened_at.is_(None),
    ).order_by(CaseClosure.closed_at.desc())).first()
    if closure is not None:
        closure.reopened_at = utcnow()
        closure.reopened_by_id = current_user.id
        closure.reopen_reason = data["reason"]
        if data.get("note"):
            closure.reopen_note = data["note"]
        record_model_write("update", closure, fields=["reopen_reason"] + (["reopen_note"] if data.get("note") else []))
    steps.reopen(case, data["reason"])
    db.session.flush()
    record_model_write("update", case, fields=["status", "step"], detail={"reopen_reason": data["reason"]})
    return case


def of_case(case: Case):
    return scope_case_records(CaseClosure).where(CaseClosure.case_id == case.id).order_by(
        CaseClosure.closed_at.desc(), CaseClosure.id)
