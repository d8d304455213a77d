"""Casework and visits together: a risk assessment re-plans visits and answers a request
for reassessment, closing the case cancels them, and consent opens assignment to mentors of
an organization she agreed to."""

from caseflow.core.clock import frozen_time
from caseflow.extensions import db
from caseflow.visits.models import Visit, VisitPlan
from testkit.api import bearer, risk_body
from testkit.factories import OrganizationFactory, UserFactory
from tests.visits.factories import MONDAY, make_case_at, make_centre, make_plan


def _planned(case_id):
    db.session.expire_all()
    return db.session.query(Visit).filter_by(case_id=case_id, status="planned").order_by(Visit.due_on).all()


def test_a_severe_risk_assessment_tightens_the_visit_cadence(client):
    centre = make_centre()
    case = make_case_at(centre)
    # Community psychologists follow the risk level (mentors visit weekly: Programa Aurora).
    plan = make_plan(centre, case, assignee=centre.psychologist, kind="psychological_followup")
    before = db.session.get(VisitPlan, plan.id).cadence_days
    with frozen_time(MONDAY):
        response = client.post(f"/api/v1/cases/{case.id}/risk-assessments",
                               json=risk_body(weapon=True, escalation=True, threats_to_kill=True, strangulation=True),
                               headers=bearer(centre.caseworker))
    assert response.status_code == 201 and response.get_json()["level"] == "severo"
    db.session.expire_all()
    after = db.session.get(VisitPlan, plan.id).cadence_days
    assert after < before
    dates = [v.due_on for v in _planned(case.id)]
    assert len(dates) >= 2 and (dates[1] - dates[0]).days == after


def test_a_reassessment_clears_the_request_for_one(client):
    centre = make_centre()
    case = make_case_at(centre)
    case.risk_reassessment_requested_at = MONDAY
    db.session.commit()
    with frozen_time(MONDAY):
        assert client.post(f"/api/v1/cases/{case.id}/risk-assessments", json=risk_body(),
                           headers=bearer(centre.caseworker)).status_code == 201
    db.session.expire_all()
    from caseflow.cases.models import Case

    assert db.session.get(Case, case.id).risk_reassessment_requested_at is None


def test_closing_a_case_over_http_cancels_its_visits(client):
    centre = make_centre()
    case = make_case_at(centre)
    make_plan(centre, case)
    assert _planned(case.id)
    worker, supervisor = bearer(centre.caseworker), bearer(centre.supervisor)
    with frozen_time(MONDAY):
        request = client.post(f"/api/v1/cases/{case.id}/approvals", json={"kind": "closure"}, headers=worker)
        assert request.status_code == 201, request.get_json()
        decided = client.post(f"/api/v1/approvals/{request.get_json()['id']}/decision",
                              json={"decision": "approved", "note": "Cierre acordado."}, headers=supervisor)
        assert decided.status_code == 200, decided.get_json()
        closed = client.post(f"/api/v1/cases/{case.id}/close", json={
            "reason": "survivor_request", "needs_met": False, "safety_plan_reviewed": True,
            "survivor_informed_may_return": True}, headers=worker)
    assert closed.status_code == 200, closed.get_json()
    assert _planned(case.id) == []
    assert db.session.query(VisitPlan).filter_by(case_id=case.id).one().status == "ended"


def test_consent_lets_a_mentor_of_another_organization_be_assigned(client):
    centre = make_centre()
    case = make_case_at(centre)
    ngo = OrganizationFactory(sector="ngo")
    outside_mentor = UserFactory(role="mentor", organization=ngo, discipline=None)
    body = {"assignee_id": str(outside_mentor.id), "kind": "mentor_accompaniment", "starts_on": "2026-03-09",
            "cadence_days": 7, "count": 4}
    headers = bearer(centre.caseworker)
    with frozen_time(MONDAY):
        refused = client.post(f"/api/v1/cases/{case.id}/visit-plans", json=body, headers=headers)
        assert refused.status_code == 422
        consent = client.post(f"/api/v1/cases/{case.id}/consents", json={
            "recipient_organization_id": str(ngo.id), "given_by": "survivor", "method": "written",
            "given_at": "2026-03-02T13:00:00+00:00"}, headers=headers)
        assert consent.status_code == 201, consent.get_json()
        accepted = client.post(f"/api/v1/cases/{case.id}/visit-plans", json=body, headers=headers)
    assert accepted.status_code == 201, accepted.get_json()


def test_visits_appear_on_the_case_timeline(client):
    from datetime import timedelta

    centre = make_centre()
    case = make_case_at(centre)
    make_plan(centre, case)
    first, second = _planned(case.id)[:2]
    headers = bearer(centre.mentor)
    with frozen_time(first.window_start + timedelta(hours=1)):
        logged = client.post(f"/api/v1/visits/{first.id}/log", json={
            "outcome": "done", "happened_at": (first.window_start + timedelta(minutes=30)).isoformat(),
            "modality": "home_visit", "notes": "Notas sintéticas.", "safety_concern": False},
            headers={**headers, "Idempotency-Key": "timeline-1"})
        assert logged.status_code == 201, logged.get_json()
    with frozen_time(second.window_end + timedelta(hours=1)):
        timeline = client.get(f"/api/v1/cases/{case.id}/timeline", headers=bearer(centre.supervisor))
    assert timeline.status_code == 200, timeline.get_json()
    entries = timeline.get_json()["items"] if isinstance(timeline.get_json(), dict) else timeline.get_json()
    visits = [(e["kind"], e["met"]) for e in entries if e["kind"].startswith("visit_")]
    assert visits == [("visit_done", True), ("visit_overdue", False)]
    assert "Notas" not in timeline.get_data(as_text=True)
