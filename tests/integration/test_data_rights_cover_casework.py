"""Erasure, export and re-encryption reach every record holding her data, not only the
survivor row: incident narratives, session notes, risk answers and plan notes too."""

from caseflow.crypto.keys import keyring
from caseflow.extensions import db
from testkit.api import get, incident_body, post, risk_body
from testkit.factories import Centre, OrganizationFactory
from tests.keys.factories import live_rows, raw_database_bytes, recover_plaintexts

NARRATIVE = "Relato canario Xylofono"
SUMMARY = "Resumen canario Quetzal"
PLAN_NOTE = "Nota canaria Ornitorrinco"
REFERRAL_NOTE = "Derivacion canaria Colibri"


def _case_with_records(client, centre):
    case = centre.case()
    case_id = str(case.id)
    assert post(client, centre.admission, f"/cases/{case_id}/incidents",
                incident_body(narrative=NARRATIVE)).status_code == 201
    assert post(client, centre.admission, f"/cases/{case_id}/sessions", {
        "discipline": "admission", "started_at": incident_body()["occurred_at"], "duration_minutes": 30,
        "summary": SUMMARY, "next_steps": "Seguimiento."}).status_code == 201
    assert post(client, centre.admission, f"/cases/{case_id}/risk-assessments",
                risk_body(weapon=True)).status_code == 201
    assert post(client, centre.admission, f"/cases/{case_id}/plan-items", {
        "need": "safety", "service_type": "protective_measures", "decision": "referred",
        "note": PLAN_NOTE}).status_code == 201
    hospital = OrganizationFactory(sector="health", service_types=["mental_health"])
    assert post(client, centre.admission, f"/cases/{case_id}/consents", {
        "recipient_organization_id": str(hospital.id), "given_by": "survivor", "method": "written",
        "given_at": incident_body()["occurred_at"]}).status_code == 201
    assert post(client, centre.admission, f"/cases/{case_id}/referrals", {
        "to_organization_id": str(hospital.id), "service_type": "mental_health", "priority": "medium",
        "note": REFERRAL_NOTE}).status_code == 201
    return case


def test_export_includes_casework_records(client):
    centre = Centre()
    case = _case_with_records(client, centre)
    exported = get(client, centre.supervisor, f"/survivors/{case.survivor_id}/export")
    assert exported.status_code == 200
    text = exported.get_data(as_text=True)
    for canary in (NARRATIVE, SUMMARY, PLAN_NOTE, REFERRAL_NOTE):
        assert canary in text


def test_erasure_leaves_no_casework_canary(app, client, db_kind, tmp_path):
    centre = Centre()
    case = _case_with_records(client, centre)
    case_id, survivor_id = case.id, case.survivor_id
    from testkit.factories import UserFactory

    confirmer = UserFactory(role="supervisor", organization=centre.org, discipline=None)
    path = f"/survivors/{survivor_id}/erase"
    assert post(client, centre.supervisor, path, {"reason": "survivor_request"}).status_code == 202
    assert post(client, confirmer, path, {"reason": "survivor_request"}).status_code == 200
    # The case keeps its de-identified facts for statistics.
    kept = get(client, centre.supervisor, f"/cases/{case_id}")
    assert kept.status_code == 200 and kept.get_json()["survivor"]["erased"] is True
    assert get(client, centre.supervisor, f"/survivors/{survivor_id}").status_code == 410
    db.session.remove()
    recovered = b"\n".join(recover_plaintexts(live_rows(), keyring()))
    raw = raw_database_bytes(app, db_kind, tmp_path)
    for canary in (NARRATIVE, SUMMARY, PLAN_NOTE, REFERRAL_NOTE):
        assert canary.encode() not in recovered
        assert canary.encode() not in raw


def test_reencryption_refreshes_casework_records(app, client, runner):
    centre = Centre()
    case = _case_with_records(client, centre)
    from caseflow.incidents.models import Incident

    before = db.session.query(Incident).filter_by(case_id=case.id).one().narrative_ct
    result = runner.invoke(args=["crypto", "reencrypt", "--survivor", str(case.survivor_id)])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    incident = db.session.query(Incident).filter_by(case_id=case.id).one()
    assert incident.narrative_ct != before and incident.narrative == NARRATIVE
