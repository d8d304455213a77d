"""The people who act are told: a liaison when a referral arrives (in the app, and by e-mail
when configured), supervisors when an approval waits, the caseworker carrying a case on its
escalations; one notice per referral and moment, its words specific, codes not names."""

from datetime import timedelta

from sqlalchemy import select

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.runner import run_pass
from testkit.api import bearer, get, incident_body, post
from testkit.factories import UserFactory
from testkit.world import today as local_today
from tests.referrals.factories import Network, consent, refer


def _notices(client, user, language="es"):
    response = client.get("/api/v1/notifications", headers={
        **bearer(user), "Accept-Language": language})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def _pass(moment, **kwargs):
    with frozen_time(moment):
        return run_pass(moment, **kwargs)


def _sensitive(case):
    survivor = case.survivor
    return [v for v in (survivor.given_names, survivor.family_names, survivor.phone, survivor.address) if v]


def test_a_liaison_hears_when_a_referral_arrives_in_the_app_and_by_email(client, app):
    net = Network()
    net.clerk.email = "juzgado@example.org"
    db.session.commit()
    case = net.centre.case()
    consent(client, net.worker, case, sector="justice")
    app.config["CASEFLOW_SMTP_HOST"] = "smtp.invalid"
    try:
        sent = refer(client, net.worker, case, net.court, "protective_measures", priority="high")
        assert sent.status_code == 201, sent.get_json()
        emails = []
        counts = _pass(utcnow(), send_email=emails.append)
    finally:
        app.config["CASEFLOW_SMTP_HOST"] = None
    notices = _notices(client, net.clerk)
    received = [n for n in notices if n["topic"] == "referral_received"]
    assert len(received) == 1
    assert received[0]["case_code"] == case.code
    assert received[0]["message"].startswith(f"El caso {case.code} fue derivado a su organización")
    assert "medidas de protección" in received[0]["message"]
    english = [n for n in _notices(client, net.clerk, "en") if n["topic"] == "referral_received"][0]
    assert "protective measures" in english["message"]
    # By e-mail too, with the same words and nothing about her.
    assert counts["emails_sent"] >= 1
    to_clerk = [e for e in emails if e["To"] == "juzgado@example.org"]
    assert len(to_clerk) == 1 and case.code in to_clerk[0].get_content()
    for value in _sensitive(case):
        assert value not in to_clerk[0].get_content() and value not in received[0]["message"]
    # Nobody else at the court or the centre was told of the arrival.
    assert not [n for n in _notices(client, net.nurse) if n["topic"] == "referral_received"]
    assert not [n for n in _notices(client, net.worker) if n["topic"] == "referral_received"]


def test_a_complaint_makes_one_notice_per_moment_naming_both_clocks(client):
    net = Network()
    case = net.centre.case()
    assert post(client, net.worker, f"/cases/{case.id}/incidents", incident_body()).status_code == 201
    consent(client, net.worker, case, sector="police")
    sent = refer(client, net.worker, case, net.police, "complaint", priority="high").get_json()
    # Its acknowledgement clock and the 24 h duty to send it to the court fall due together.
    assert len({c["due_at"] for c in sent["clocks"]}) == 1 and len(sent["clocks"]) == 2
    sent_at = utcnow()
    _pass(sent_at + timedelta(hours=20))
    soon = [n for n in _notices(client, net.officer) if n["topic"] == "referral_due_soon"]
    assert len(soon) == 1
    assert "denuncia policial" in soon[0]["message"]
    assert "Acusar recibo" in soon[0]["message"] or "acusar" in soon[0]["message"].lower()
    assert sorted(soon[0]["detail"]["rules"]) == ["acknowledge_high", "police_to_family_court"]
    _pass(sent_at + timedelta(hours=25))
    _pass(sent_at + timedelta(hours=26))
    # The breach goes to the centre's supervisor and the caseworker carrying the case, once.
    for person in (net.centre.supervisor, net.worker):
        breached = [n for n in _notices(client, person) if n["topic"] == "referral_breached"]
        assert len(breached) == 1, person.role
        assert breached[0]["kind"] == "escalation" and case.code in breached[0]["message"]
    # Not the legal or psychology caseworkers, who do not carry it.
    assert not [n for n in _notices(client, net.centre.legal) if n["topic"] == "referral_breached"]
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.case_id == case.id)).all()
    for row in rows:
        assert all(value not in str(row.detail) for value in _sensitive(case))


def test_supervisors_hear_of_an_approval_waiting_but_not_of_their_own(client):
    net = Network()
    centre = net.centre
    other = UserFactory(
        role="supervisor", organization=centre.org, discipline=None)
    case = centre.case()
    asked = post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "closure"})
    assert asked.status_code == 201, asked.get_json()
    for supervisor in (centre.supervisor, other):
        waiting = [n for n in _notices(client, supervisor) if n["topic"] == "approval_waiting"]
        assert len(waiting) == 1
        assert waiting[0]["message"].startswith(f"El caso {case.code} solicita su aprobación del cierre")
    # A supervisor's own request is for the others to decide: she is not told of it.
    second = centre.case()
    assert post(client, other, f"/cases/{second.id}/approvals", {"kind": "closure"}).status_code == 201
    assert [n["case_code"] for n in _notices(client, other) if n["topic"] == "approval_waiting"] == [case.code]
    assert {n["case_code"] for n in _notices(client, centre.supervisor)
            if n["topic"] == "approval_waiting"} == {case.code, second.code}
    # Caseworkers are not told: deciding is not theirs.
    assert not [n for n in _notices(client, centre.legal) if n["topic"] == "approval_waiting"]


def test_a_missed_visit_escalates_to_the_caseworker_who_carries_the_case(client):
    net = Network()
    case = net.centre.case()
    mentor = UserFactory(
        role="mentor", organization=net.centre.org, discipline=None)
    plan = post(client, net.worker, f"/cases/{case.id}/visit-plans", {
        "assignee_id": str(mentor.id), "kind": "mentor_accompaniment", "starts_on": local_today(),
        "cadence_days": 7, "count": 2})
    assert plan.status_code == 201, plan.get_json()
    visit = sorted(get(client, mentor, "/visits").get_json()["items"], key=lambda v: v["window_start"])[0]
    logged = post(client, mentor, f"/visits/{visit['id']}/log", {
        "outcome": "missed", "happened_at": utcnow().isoformat(), "modality": "home_visit"})
    assert logged.status_code in (200, 201), logged.get_json()
    for person in (net.centre.supervisor, net.worker):
        missed = [n for n in _notices(client, person) if n["topic"] == "visit_missed"]
        assert len(missed) == 1 and missed[0]["kind"] == "escalation"
    assert not [n for n in _notices(client, net.centre.legal) if n["topic"] == "visit_missed"]
