"""A case carried through the six steps of the Inter-Agency guidelines over HTTP alone."""

import uuid

from caseflow.cases.models import CaseEvent
from caseflow.extensions import db
from testkit.api import ago, get, incident_body, patch, post, risk_body
from testkit.factories import Centre, OrganizationFactory
from tests.helpers import assert_error


def _events(case_id):
    return [(e.kind, e.detail) for e in db.session.query(CaseEvent).filter_by(case_id=uuid.UUID(case_id)).order_by(CaseEvent.id)]


def test_a_case_walks_through_all_six_steps(client):
    centre = Centre()
    worker, supervisor = centre.admission, centre.supervisor
    hospital = OrganizationFactory(sector="health")

    survivor = post(client, worker, "/survivors", {"given_names": "Ana Sintética", "alias": "Ana",
                                                    "birth_date": "1992-05-01"}).get_json()
    case = post(client, worker, "/cases", {"survivor_id": survivor["id"], "intake_channel": "walk_in",
                                           "priority": "high"})
    assert case.status_code == 201
    case_id = case.get_json()["id"]
    assert case.get_json()["step"] == "engagement"

    # 1. Engagement: her informed consent, for a named hospital.
    consent = post(client, worker, f"/cases/{case_id}/consents", {
        "recipient_organization_id": str(hospital.id), "given_by": "survivor", "method": "written",
        "given_at": ago(minutes=5)})
    assert consent.status_code == 201, consent.get_json()
    coverage = get(client, worker, f"/cases/{case_id}/consents/coverage?organization_id={hospital.id}").get_json()
    assert coverage["allowed"] is True and coverage["consent"]["id"] == consent.get_json()["id"]
    assert post(client, worker, f"/cases/{case_id}/sessions", {
        "discipline": "admission", "started_at": ago(minutes=30), "duration_minutes": 45,
        "summary": "Primera entrevista.", "next_steps": "Valorar el riesgo."}).status_code == 201

    # 2. Assessment: the incident and the risk.
    incident = post(client, worker, f"/cases/{case_id}/incidents", incident_body())
    assert incident.status_code == 201 and incident.get_json()["gbv_type"] == "physical_assault"
    risk = post(client, worker, f"/cases/{case_id}/risk-assessments", risk_body(weapon=True, escalation=True))
    assert risk.status_code == 201 and risk.get_json()["level"] == "severo"
    current = get(client, worker, f"/cases/{case_id}").get_json()
    assert (current["step"], current["risk_level"]) == ("assessment", "severo")
    assert current["last_contact_at"] is not None

    # 3. Action plan, approved by the supervisor.
    item = post(client, worker, f"/cases/{case_id}/plan-items", {
        "need": "safety", "service_type": "protective_measures", "decision": "referred", "note": "Medidas."})
    assert item.status_code == 201
    assert get(client, worker, f"/cases/{case_id}").get_json()["step"] == "action_plan"
    request = post(client, worker, f"/cases/{case_id}/approvals", {"kind": "action_plan"})
    assert request.status_code == 201 and request.get_json()["status"] == "pending"
    waiting = get(client, supervisor, "/cases?awaiting_approval=true").get_json()
    assert [c["id"] for c in waiting["items"]] == [case_id]
    decided = post(client, supervisor, f"/approvals/{request.get_json()['id']}/decision",
                   {"decision": "approved", "note": "Plan adecuado."})
    assert decided.status_code == 200 and decided.get_json()["status"] == "approved"

    # 4. Implementation follows the approval.
    assert get(client, worker, f"/cases/{case_id}").get_json()["step"] == "implementation"

    # 5. Follow-up: the need is met.
    assert patch(client, worker, f"/cases/{case_id}", {"step": "follow_up"}).get_json()["step"] == "follow_up"
    met = patch(client, worker, f"/plan-items/{item.get_json()['id']}", {"goal_status": "met"})
    assert met.get_json()["goal_status"] == "met"

    # 6. Closure: only with the supervisor's approval, a reason and the checklist.
    checklist = {"reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
                 "survivor_informed_may_return": True}
    assert_error(post(client, worker, f"/cases/{case_id}/close", checklist), 409)
    closure_request = post(client, worker, f"/cases/{case_id}/approvals", {"kind": "closure"}).get_json()
    post(client, supervisor, f"/approvals/{closure_request['id']}/decision",
         {"decision": "approved", "note": "Cerrar."})
    closed = post(client, worker, f"/cases/{case_id}/close", checklist)
    assert closed.status_code == 200, closed.get_json()
    assert (closed.get_json()["status"], closed.get_json()["step"]) == ("closed", "closure")
    assert closed.get_json()["closure_reason"] == "needs_met"

    steps = [d["to"] for kind, d in _events(case_id) if kind == "step_changed"]
    assert steps == ["assessment", "action_plan", "implementation", "follow_up"]
    statuses = [d["to"] for kind, d in _events(case_id) if kind == "status_changed"]
    assert statuses == ["closed"]

    # ...and it can be reopened, with a reason, back at assessment.
    reopened = post(client, worker, f"/cases/{case_id}/reopen", {"reason": "new_incident"})
    assert (reopened.get_json()["status"], reopened.get_json()["step"]) == ("open", "assessment")
    closures = get(client, worker, f"/cases/{case_id}/closures").get_json()["items"]
    assert closures[0]["reopen_reason"] == "new_incident"
    assert [d["to"] for kind, d in _events(case_id) if kind == "status_changed"] == ["closed", "open"]
    # The used approval cannot close the reopened case again.
    assert_error(post(client, worker, f"/cases/{case_id}/close", checklist), 409)
