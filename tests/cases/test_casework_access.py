"""Need-to-know on casework records: field-level psychology notes, approvals, centres, admins."""


import pytest
from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import ago, get, incident_body, post, risk_body
from testkit.factories import Centre
from tests.helpers import assert_error


def _session(client, centre, case, discipline="psychology", by=None):
    response = post(client, by or centre.psychology, f"/cases/{case.id}/sessions", {
        "discipline": discipline, "started_at": ago(hours=1), "duration_minutes": 50,
        "summary": "Notas clínicas sintéticas.", "next_steps": "Próxima sesión."})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _reads(user, entity_type):
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "read", AuditEntry.actor_id == user.id, AuditEntry.entity_type == entity_type)).all()


def test_another_discipline_sees_the_session_but_not_its_psychology_notes(client):
    centre = Centre()
    case = centre.case()
    session_id = _session(client, centre, case)

    seen = get(client, centre.legal, f"/sessions/{session_id}")
    assert seen.status_code == 200
    body = seen.get_json()
    assert body["discipline"] == "psychology" and body["notes_visible"] is False
    assert body["summary"] is None and body["next_steps"] is None
    assert _reads(centre.legal, "attention_sessions") == []  # nothing was even decrypted

    for reader in (centre.psychology, centre.supervisor):
        body = get(client, reader, f"/sessions/{session_id}").get_json()
        assert body["summary"] == "Notas clínicas sintéticas." and body["notes_visible"] is True


def test_a_caseworker_records_sessions_of_her_own_discipline_only(client):
    centre = Centre()
    case = centre.case()
    response = post(client, centre.legal, f"/cases/{case.id}/sessions", {
        "discipline": "psychology", "started_at": ago(hours=1), "duration_minutes": 30})
    assert_error(response, 403)
    # Notes of other disciplines are shared within the centre.
    legal_session = _session(client, centre, case, discipline="legal", by=centre.legal)
    assert get(client, centre.psychology, f"/sessions/{legal_session}").get_json()["summary"]


def _approval(client, centre, case):
    post(client, centre.admission, f"/cases/{case.id}/risk-assessments", risk_body())
    post(client, centre.admission, f"/cases/{case.id}/plan-items",
         {"need": "health", "service_type": "medical_care", "decision": "referred"})
    response = post(client, centre.admission, f"/cases/{case.id}/approvals", {"kind": "action_plan"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_caseworker_cannot_approve(client):
    centre = Centre()
    approval_id = _approval(client, centre, centre.case())
    for worker in (centre.admission, centre.psychology):
        assert_error(post(client, worker, f"/approvals/{approval_id}/decision",
                          {"decision": "approved", "note": "ok"}), 403)
    assert get(client, centre.supervisor, f"/approvals/{approval_id}").get_json()["status"] == "pending"


def test_a_supervisor_does_not_decide_her_own_request(client):
    centre = Centre()
    case = centre.case()
    post(client, centre.admission, f"/cases/{case.id}/risk-assessments", risk_body())
    request = post(client, centre.supervisor, f"/cases/{case.id}/approvals", {"kind": "closure"}).get_json()
    assert_error(post(client, centre.supervisor, f"/approvals/{request['id']}/decision",
                      {"decision": "approved", "note": "ok"}), 403)


def test_a_decided_approval_is_final(client):
    centre = Centre()
    approval_id = _approval(client, centre, centre.case())
    first = post(client, centre.supervisor, f"/approvals/{approval_id}/decision",
                 {"decision": "rejected", "note": "Falta la necesidad de salud."})
    assert first.status_code == 200 and first.get_json()["status"] == "rejected"
    again = post(client, centre.supervisor, f"/approvals/{approval_id}/decision",
                 {"decision": "approved", "note": "Cambio de opinión."})
    assert_error(again, 409)
    body = get(client, centre.supervisor, f"/approvals/{approval_id}").get_json()
    assert (body["status"], body["decision_note"]) == ("rejected", "Falta la necesidad de salud.")


def test_a_decision_needs_a_note(client):
    centre = Centre()
    approval_id = _approval(client, centre, centre.case())
    assert_error(post(client, centre.supervisor, f"/approvals/{approval_id}/decision",
                      {"decision": "approved", "note": ""}), 422, "note")
    assert_error(post(client, centre.supervisor, f"/approvals/{approval_id}/decision",
                      {"decision": "approved"}), 422, "note")


def test_another_centres_supervisor_gets_404(client):
    centre, other = Centre(), Centre()
    case = centre.case()
    approval_id = _approval(client, centre, case)
    session_id = _session(client, centre, case)
    assert_error(post(client, other.supervisor, f"/approvals/{approval_id}/decision",
                      {"decision": "approved", "note": "ok"}), 404)
    for path in (f"/approvals/{approval_id}", f"/sessions/{session_id}", f"/cases/{case.id}/incidents",
                 f"/cases/{case.id}/sessions", f"/cases/{case.id}/approvals"):
        assert_error(get(client, other.supervisor, path), 404)
    assert_error(post(client, other.supervisor, f"/cases/{case.id}/incidents", incident_body()), 404)
    assert get(client, centre.supervisor, f"/approvals/{approval_id}").get_json()["status"] == "pending"


def test_an_admin_reads_no_case_content(client):
    centre = Centre()
    case = centre.case()
    incident = post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body()).get_json()
    session_id = _session(client, centre, case)
    approval_id = _approval(client, centre, case)
    risk_id = get(client, centre.admission, f"/cases/{case.id}/risk-assessments").get_json()["items"][0]["id"]
    paths = [f"/cases/{case.id}", f"/incidents/{incident['id']}", f"/sessions/{session_id}",
             f"/approvals/{approval_id}", f"/risk-assessments/{risk_id}"]
    paths += [f"/cases/{case.id}/{things}" for things in
              ("incidents", "consents", "risk-assessments", "sessions", "plan-items", "approvals", "closures")]
    for path in paths:
        response = get(client, centre.admin, path)
        assert response.status_code in (403, 404), path
        assert "Relato" not in response.get_data(as_text=True)
    assert_error(post(client, centre.admin, f"/approvals/{approval_id}/decision",
                      {"decision": "approved", "note": "ok"}), 403)
    assert db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "read", AuditEntry.actor_id == centre.admin.id)).all() == []


@pytest.mark.parametrize("record", ["incident", "session", "risk", "plan", "consent", "approval"])
def test_every_read_of_an_encrypted_field_is_audited(client, record):
    centre = Centre()
    case = centre.case()
    worker, reader = centre.admission, centre.supervisor
    if record == "incident":
        rid = post(client, worker, f"/cases/{case.id}/incidents", incident_body()).get_json()["id"]
        path, table, fields = f"/incidents/{rid}", "incidents", ["narrative"]
    elif record == "session":
        rid = _session(client, centre, case)
        path, table, fields = f"/sessions/{rid}", "attention_sessions", ["next_steps", "summary"]
    elif record == "risk":
        rid = post(client, worker, f"/cases/{case.id}/risk-assessments", risk_body()).get_json()["id"]
        path, table, fields = f"/risk-assessments/{rid}", "risk_assessments", ["answers"]
    elif record == "plan":
        post(client, worker, f"/cases/{case.id}/risk-assessments", risk_body())
        rid = post(client, worker, f"/cases/{case.id}/plan-items", {
            "need": "justice", "service_type": "legal_aid", "decision": "own_agency",
            "note": "Nota."}).get_json()["id"]
        path, table, fields = f"/plan-items/{rid}", "plan_items", ["note"]
    elif record == "consent":
        rid = post(client, worker, f"/cases/{case.id}/consents", {
            "recipient_sector": "health", "given_by": "survivor", "method": "verbal",
            "given_at": ago(minutes=1), "note": "Nota."}).get_json()["id"]
        path, table, fields = f"/consents/{rid}", "consents", ["note"]
    else:
        rid = post(client, worker, f"/cases/{case.id}/approvals", {"kind": "closure", "note": "Nota."}).get_json()["id"]
        path, table, fields = f"/approvals/{rid}", "approvals", ["request_note"]

    assert get(client, reader, path).status_code == 200
    entries = [e for e in _reads(reader, table) if e.entity_id == rid]
    assert len(entries) == 1
    assert set(fields) <= set(entries[0].fields)
    assert entries[0].case_id == case.id and entries[0].survivor_id == case.survivor_id
    # ...and it shows in the case's access log.
    log = get(client, centre.supervisor, f"/cases/{case.id}/access-log?per_page=100").get_json()["items"]
    assert any(e["action"] == "read" and e["entity_id"] == rid for e in log)
