"""The seed workflows of docs/casework.md, end to end through the API, as the people who do
them: the CEM caseworker; a mentor after a complaint; a community psychologist with a woman
who did not report; the police sending the complaint to the family court within 24 h; PEP
within 72 h. Every value is synthetic."""

import uuid
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from testkit.api import bearer, get, incident_body, post, risk_body
from testkit.factories import UserFactory
from testkit.world import today as local_today
from tests.referrals.factories import Network, consent, move, rape_incident, refer

H = timedelta(hours=1)
CHECKLIST = {"reason": "needs_met", "needs_met": True, "safety_plan_reviewed": True,
             "survivor_informed_may_return": True}


class _Case:
    """What the referral helpers need of a case made over HTTP."""

    def __init__(self, case_id):
        self.id = uuid.UUID(case_id)


def _open_case(client, worker, **survivor):
    registered = post(client, worker, "/survivors", {"given_names": "Rosa Sintética", "family_names": "Prueba Demo",
                                                     "alias": "Rosa", "birth_date": "1990-04-02", **survivor})
    assert registered.status_code == 201, registered.get_json()
    case = post(client, worker, "/cases", {"survivor_id": registered.get_json()["id"], "intake_channel": "walk_in",
                                           "priority": "high"})
    assert case.status_code == 201, case.get_json()
    return case.get_json()


def _topics(user):
    return [m.topic for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == user.id))]


def _timeline(client, user, case_id):
    response = get(client, user, f"/cases/{case_id}/timeline")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _approve(client, net, case_id, kind):
    asked = post(client, net.worker, f"/cases/{case_id}/approvals", {"kind": kind})
    assert asked.status_code == 201, asked.get_json()
    assert "approval_waiting" in _topics(net.centre.supervisor)
    decided = post(client, net.centre.supervisor, f"/approvals/{asked.get_json()['id']}/decision",
                   {"decision": "approved", "note": "Conforme."})
    assert decided.status_code == 200, decided.get_json()


def test_the_caseworker_carries_a_case_from_intake_to_closure(client):
    net = Network()
    worker = net.worker
    case = _open_case(client, worker)
    case_id = case["id"]
    consent(client, worker, _Case(case_id), sector="social")
    assert post(client, worker, f"/cases/{case_id}/incidents", incident_body()).status_code == 201
    assert post(client, worker, f"/cases/{case_id}/risk-assessments", risk_body(stalking=True)).status_code == 201
    assert post(client, worker, f"/cases/{case_id}/plan-items", {
        "need": "safety", "service_type": "shelter", "decision": "referred", "note": "Hogar."}).status_code == 201
    _approve(client, net, case_id, "action_plan")

    shelter = refer(client, worker, _Case(case_id), net.shelter, "shelter", priority="high")
    assert shelter.status_code == 201, shelter.get_json()
    shelter = shelter.get_json()
    # The shelter's liaison is told at once; she acts on it.
    assert "referral_received" in _topics(net.shelter_worker)
    for status in ("accepted", "in_progress", "completed"):
        assert move(client, net.shelter_worker, shelter["id"], status).status_code == 200

    mentor = UserFactory(role="mentor", organization=net.centre.org, discipline=None)
    plan = post(client, worker, f"/cases/{case_id}/visit-plans", {
        "assignee_id": str(mentor.id), "kind": "mentor_accompaniment", "starts_on": local_today()})
    assert plan.status_code == 201, plan.get_json()

    _approve(client, net, case_id, "closure")
    closed = post(client, worker, f"/cases/{case_id}/close", CHECKLIST)
    assert closed.status_code == 200, closed.get_json()
    plans = get(client, worker, f"/cases/{case_id}/visit-plans").get_json()["items"]
    assert [p["status"] for p in plans] == ["ended"]
    assert get(client, mentor, "/visits?status=planned").get_json()["total"] == 0
    # Nothing escalates for the closed case afterwards: no visit, no silence, no clock.
    before = db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.kind == "escalation").limit(1))
    later = utcnow() + timedelta(days=60)
    with frozen_time(later):
        run_pass(later)
    escalations = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "escalation", OutboxMessage.case_id == _Case(case_id).id)).all()
    assert before is None and escalations == []
    kinds = [e["kind"] for e in _timeline(client, worker, case_id)]
    assert kinds.index("referral_sent") < kinds.index("referral_completed") < kinds.index("case_closed")


def test_a_mentor_accompanies_a_woman_who_filed_a_complaint(client):
    net = Network()
    case = net.centre.case()
    assert post(client, net.worker, f"/cases/{case.id}/incidents", incident_body()).status_code == 201
    consent(client, net.worker, case, sector="police")
    complaint = refer(client, net.worker, case, net.police, "complaint", priority="high")
    assert complaint.status_code == 201, complaint.get_json()
    mentor = UserFactory(role="mentor", organization=net.centre.org, discipline=None)
    plan = post(client, net.worker, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(mentor.id), "kind": "mentor_accompaniment", "starts_on": local_today()})
    assert plan.status_code == 201, plan.get_json()
    assert plan.get_json()["cadence_days"] == 7 and plan.get_json()["count"] == 48
    year = get(client, mentor, "/visits?per_page=100").get_json()
    assert year["total"] == 48
    first = sorted(year["items"], key=lambda v: v["window_start"])[0]
    card = get(client, mentor, f"/visits/{first['id']}").get_json()
    assert card["card"]["alias"] is not None
    logged = post(client, mentor, f"/visits/{first['id']}/log", {
        "outcome": "done", "happened_at": utcnow().isoformat(), "modality": "accompaniment",
        "notes": "La acompañé a la comisaría (sintético)."})
    assert logged.status_code == 201, logged.get_json()
    assert get(client, mentor, f"/visits/{first['id']}").get_json()["logs"][0]["notes"].startswith("La acompañé")
    # The mentor sees no case record, only her visits.
    assert get(client, mentor, f"/cases/{case.id}").status_code == 404


def test_a_community_psychologist_follows_a_woman_who_did_not_report(client):
    net = Network()
    case = net.centre.case()
    assert post(client, net.worker, f"/cases/{case.id}/risk-assessments",
                risk_body(weapon=True, escalation=True)).status_code == 201
    psychologist = UserFactory(role="psychologist", organization=net.centre.org, discipline=None)
    plan = post(client, net.worker, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(psychologist.id), "kind": "psychological_followup", "starts_on": local_today()})
    assert plan.status_code == 201, plan.get_json()
    assert plan.get_json()["cadence_days"] == 7  # severo: weekly, by the risk level
    visit = sorted(get(client, psychologist, "/visits").get_json()["items"], key=lambda v: v["window_start"])[0]
    logged = post(client, psychologist, f"/visits/{visit['id']}/log", {
        "outcome": "done", "happened_at": utcnow().isoformat(), "modality": "phone", "safety_concern": True,
        "notes": "Refiere nuevas amenazas (sintético)."})
    assert logged.status_code == 201, logged.get_json()
    # Her own notes come back to her; the supervisor and the caseworker carrying it are told.
    assert get(client, psychologist, f"/visits/{visit['id']}").get_json()["logs"][0]["notes"].startswith("Refiere")
    for person in (net.centre.supervisor, net.worker):
        assert "safety_concern" in _topics(person)
    # Nobody else at the centre is told.
    assert "safety_concern" not in _topics(net.centre.legal)


def test_the_police_send_the_complaint_to_the_family_court_within_24_hours(client):
    net = Network()
    sent_at = datetime(2026, 3, 10, 15, 0, tzinfo=timezone.utc)
    with frozen_time(sent_at - H):
        case = net.centre.case()
        assert post(client, net.worker, f"/cases/{case.id}/incidents",
                    incident_body(occurred_at=(sent_at - 5 * H).isoformat())).status_code == 201
        consent(client, net.worker, case, sector="police")
    with frozen_time(sent_at):
        complaint = refer(client, net.worker, case, net.police, "complaint", priority="high").get_json()
    with frozen_time(sent_at + H):
        assert move(client, net.officer, complaint["id"], "accepted").status_code == 200
    with frozen_time(sent_at + 6 * H):
        court = post(client, net.officer, f"/referrals/{complaint['id']}/onward", {
            "to_organization_id": str(net.court.id), "service_type": "protective_measures",
            "note": "Denuncia sintética remitida."})
        assert court.status_code == 201, court.get_json()
        court = court.get_json()
    assert "referral_received" in _topics(net.clerk)
    with frozen_time(sent_at + 7 * H):
        assert move(client, net.clerk, court["id"], "accepted").status_code == 200
        assert move(client, net.clerk, court["id"], "in_progress").status_code == 200
    with frozen_time(sent_at + 20 * H):
        assert move(client, net.clerk, court["id"], "completed").status_code == 200
        entries = _timeline(client, net.worker, case.id)
        report = get(client, net.centre.supervisor, "/reports/referral-timelines?from=2026-03-01&to=2026-03-31")
    onward = [e for e in entries if e["kind"] == "referral_referred_on"]
    assert len(onward) == 1 and onward[0]["met"] is True
    assert datetime.fromisoformat(onward[0]["deadline_at"]) == sent_at + 24 * H
    completed = [e for e in entries if e["kind"] == "referral_completed" and e["sector"] == "justice"]
    assert completed[0]["met"] is True
    assert datetime.fromisoformat(completed[0]["deadline_at"]) == sent_at + 6 * H + 24 * H
    rows = {(r["sector"], r["service_type"]): r for r in report.get_json()["rows"]}
    assert rows[("justice", "protective_measures")]["within_deadline"] == 1
    assert rows[("police", "complaint")]["sent_on"] == 1


def test_pep_is_given_within_72_hours_of_the_incident(client):
    net = Network()
    incident_at = datetime(2026, 3, 10, 3, 0, tzinfo=timezone.utc)
    sent_at = incident_at + 10 * H
    with frozen_time(sent_at - H):
        case = net.centre.case()
        consent(client, net.worker, case, sector="health")
        rape_incident(client, net.worker, case, incident_at)
    with frozen_time(sent_at):
        pep = refer(client, net.worker, case, net.hospital, "hiv_pep", priority="high")
        assert pep.status_code == 201, pep.get_json()
        pep = pep.get_json()
    assert datetime.fromisoformat(pep["due_at"]) == incident_at + 72 * H
    assert "referral_received" in _topics(net.nurse)
    with frozen_time(sent_at + 2 * H):
        assert move(client, net.nurse, pep["id"], "accepted").status_code == 200
        assert move(client, net.nurse, pep["id"], "in_progress").status_code == 200
    with frozen_time(sent_at + 8 * H):
        assert move(client, net.nurse, pep["id"], "completed").status_code == 200
        entries = _timeline(client, net.worker, case.id)
    done = [e for e in entries if e["kind"] == "referral_completed"]
    assert len(done) == 1 and done[0]["met"] is True and done[0]["sector"] == "health"
    # The nurse reads her identity under her consent, never her address.
    seen = client.get(f"/api/v1/referrals/{pep['id']}", headers=bearer(net.nurse)).get_json()
    assert "given_names" in seen["survivor"] and "address" not in seen["survivor"]
