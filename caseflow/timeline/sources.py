"""Timeline sources for the casework records (issue "Casework")."""

from __future__ import annotations

from sqlalchemy import select

from caseflow.approvals.models import Approval
from caseflow.cases.models import Case
from caseflow.cases.timeline import TimelineEntry, register_timeline_source
from caseflow.closures.models import CaseClosure
from caseflow.consents.models import Consent
from caseflow.extensions import db
from caseflow.incidents.models import Incident
from caseflow.plans.models import PlanItem
from caseflow.risk.models import RiskAssessment
from caseflow.sessions.models import AttentionSession


def _of_case(model, case: Case):
    return db.session.scalars(select(model).where(model.case_id == case.id)).all()


def _centre(case: Case) -> str:
    return case.organization.sector


def incident_entries(case: Case):
    for incident in _of_case(Incident, case):
        yield TimelineEntry(incident.occurred_at, "incident", _centre(case), record_id=incident.id,
                            detail={"gbv_type": incident.gbv_type,
                                    "occurred_time_known": incident.occurred_time_known})


def intake_entries(case: Case):
    yield TimelineEntry(case.opened_at, "intake", _centre(case), record_id=case.id,
                        detail={"intake_channel": case.intake_channel, "priority": case.priority})


def consent_entries(case: Case):
    for consent in _of_case(Consent, case):
        detail = {"recipient_sector": consent.recipient_sector,
                  "recipient_organization_id": str(consent.recipient_organization_id)
                  if consent.recipient_organization_id else None}
        yield TimelineEntry(consent.given_at, "consent_given", _centre(case), record_id=consent.id, detail=detail)
        if consent.withdrawn_at is not None:
            yield TimelineEntry(consent.withdrawn_at, "consent_withdrawn", _centre(case),
                                record_id=consent.id, detail=detail)


def session_entries(case: Case):
    for session in _of_case(AttentionSession, case):
        yield TimelineEntry(session.started_at, "session", _centre(case), record_id=session.id,
                            detail={"discipline": session.discipline, "duration_minutes": session.duration_minutes})


def risk_entries(case: Case):
    for assessment in _of_case(RiskAssessment, case):
        yield TimelineEntry(assessment.assessed_at, "risk_assessment", _centre(case), record_id=assessment.id,
                            detail={"instrument": assessment.instrument, "level": assessment.level})


def plan_entries(case: Case):
    for item in _of_case(PlanItem, case):
        yield TimelineEntry(item.created_at, "plan_item", _centre(case), record_id=item.id,
                            detail={"need": item.need, "service_type": item.service_type, "decision": item.decision})


def approval_entries(case: Case):
    for approval in _of_case(Approval, case):
        yield TimelineEntry(approval.requested_at, "approval_requested", _centre(case), record_id=approval.id,
                            detail={"kind": approval.kind})
        if approval.decided_at is not None:
            yield TimelineEntry(approval.decided_at, "approval_decided", _centre(case), record_id=approval.id,
                                detail={"kind": approval.kind, "decision": approval.status})


def closure_entries(case: Case):
    for closure in _of_case(CaseClosure, case):
        yield TimelineEntry(closure.closed_at, "case_closed", _centre(case), record_id=closure.id,
                            detail={"reason": closure.reason})
        if closure.reopened_at is not None:
            yield TimelineEntry(closure.reopened_at, "case_reopened", _centre(case), record_id=closure.id,
                                detail={"reason": closure.reopen_reason})


def register_sources() -> None:
    """Called from the feature's ``init_app``; the order is the order at equal times."""
    register_timeline_source("incidents", incident_entries)
    register_timeline_source("intake", intake_entries)
    register_timeline_source("consents", consent_entries)
    register_timeline_source("sessions", session_entries)
    register_timeline_source("risk_assessments", risk_entries)
    register_timeline_source("plan_items", plan_entries)
    register_timeline_source("approvals", approval_entries)
    register_timeline_source("closures", closure_entries)
