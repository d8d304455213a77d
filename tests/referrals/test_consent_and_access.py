"""Sending needs consent for the recipient, or a mandatory report with its legal basis;
liaisons see only their organization's referrals, with what the consent allows."""

from datetime import timedelta

from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.referrals.models import Referral
from testkit.api import post
from testkit.factories import Centre, UserFactory
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, rape_incident, read, refer

MANDATORY = {"legal_basis": "Ley 31156, art. 2", "survivor_informed": True}


def _case_with_incident(client, net):
    case = net.centre.case()
    rape_incident(client, net.worker, case, utcnow() - timedelta(hours=5))
    return case


def test_without_consent_nothing_is_sent(client):
    net = Network()
    case = _case_with_incident(client, net)
    body = assert_error(refer(client, net.worker, case, net.hospital, "hiv_pep"), 409)
    assert "consent" in body["message"]
    assert db.session.scalar(select(Referral.id)) is None


def test_a_withdrawn_consent_sends_nothing(client):
    net = Network()
    case = _case_with_incident(client, net)
    given = consent(client, net.worker, case, organization=net.hospital, given_at=utcnow() - timedelta(minutes=5))
    assert post(client, net.worker, f"/consents/{given['id']}/withdraw", {}).status_code == 200
    body = assert_error(refer(client, net.worker, case, net.hospital, "hiv_pep"), 409)
    assert "retiró su consentimiento" in body["message"]  # Spanish by default
    # A consent for the police covers nothing at the hospital either.
    consent(client, net.worker, case, sector="police")
    assert_error(refer(client, net.worker, case, net.hospital, "hiv_pep"), 409)


def test_a_mandatory_report_is_sent_audited_and_on_the_timeline(client):
    net = Network()
    case = _case_with_incident(client, net)
    sent = refer(client, net.worker, case, net.police, "complaint", mandatory_report=MANDATORY)
    assert sent.status_code == 201, sent.get_json()
    body = sent.get_json()
    assert body["status"] == "requested" and body["consent_id"] is None
    assert body["mandatory_report"] == MANDATORY
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "mandatory_report")).one()
    assert entry.actor_id == net.worker.id and entry.case_id == case.id
    assert entry.detail["legal_basis"] == "Ley 31156, art. 2" and entry.detail["consent"] == "no_consent"
    kinds = [e["kind"] for e in read(client, net.worker, f"/cases/{case.id}/timeline").get_json()["items"]]
    assert "mandatory_report" in kinds

    # The police sees the minimum of her identity: no consent covers it.
    seen = read(client, net.officer, f"/referrals/{body['id']}").get_json()
    assert seen["survivor"] == {"alias": case.survivor.alias}


def test_the_mandatory_report_is_a_permission_of_its_own(client, monkeypatch):
    from caseflow.access import policy

    net = Network()
    case = _case_with_incident(client, net)
    for blank in ("", "  "):
        assert_error(refer(client, net.worker, case, net.police, "complaint",
                           mandatory_report={"legal_basis": blank}), 422, "mandatory_report")
    narrowed = policy.PERMISSIONS["caseworker"] - {"referral.mandatory_report"}
    monkeypatch.setitem(policy.PERMISSIONS, "caseworker", narrowed)
    assert_error(refer(client, net.worker, case, net.police, "complaint", mandatory_report=MANDATORY), 403)


def test_the_receiving_liaison_sees_what_the_consent_allows(client):
    net = Network()
    case = _case_with_incident(client, net)
    consent(client, net.worker, case, sector="health")
    referral = refer(client, net.worker, case, net.hospital, "hiv_pep", note="Llega a las 9h.").get_json()
    seen = read(client, net.nurse, f"/referrals/{referral['id']}")
    assert seen.status_code == 200
    body = seen.get_json()
    assert body["note"] == "Llega a las 9h."
    assert body["survivor"]["alias"] == case.survivor.alias and body["survivor"]["document_number"]
    assert "address" not in body["survivor"]
    listed = read(client, net.nurse, "/referrals").get_json()
    assert [r["id"] for r in listed["items"]] == [referral["id"]]


def test_a_liaison_of_another_organization_gets_404(client):
    net = Network()
    case = _case_with_incident(client, net)
    consent(client, net.worker, case, sector="health")
    referral = refer(client, net.worker, case, net.hospital, "hiv_pep").get_json()
    other_hospital_liaison = UserFactory(role="liaison", organization=net.police, discipline=None)
    for outsider in (net.clerk, other_hospital_liaison):
        assert_error(read(client, outsider, f"/referrals/{referral['id']}"), 404)
        assert_error(move(client, outsider, referral["id"], "accepted"), 404)
        assert read(client, outsider, "/referrals").get_json()["items"] == []
    # Liaisons never reach the case itself, nor its timeline: not their role's to read.
    assert_error(read(client, net.nurse, f"/cases/{case.id}/referrals"), 403)
    assert_error(read(client, net.nurse, f"/cases/{case.id}/timeline"), 403)
    # Another centre does not see it either.
    assert_error(read(client, Centre().admission, f"/referrals/{referral['id']}"), 404)


def test_the_service_must_fit_the_organization(client):
    net = Network()
    case = _case_with_incident(client, net)
    consent(client, net.worker, case, sector="health")
    consent(client, net.worker, case, sector="justice")
    assert_error(refer(client, net.worker, case, net.hospital, "protective_measures"), 422, "service_type")
    assert_error(refer(client, net.worker, case, net.court, "legal_aid"), 422, "service_type")
    net.hospital.service_types = ["medical_care"]
    db.session.commit()
    assert_error(refer(client, net.worker, case, net.hospital, "hiv_pep"), 422, "service_type")
    assert_error(refer(client, net.worker, case, net.centre.org, "other"), 422, "to_organization_id")
    assert_error(refer(client, net.worker, case, net.hospital, "teleportation"), 422, "service_type")
    assert db.session.scalar(select(Referral.id)) is None


def test_a_clinical_clock_needs_the_incident(client):
    net = Network()
    case = net.centre.case()
    consent(client, net.worker, case, sector="health")
    body = assert_error(refer(client, net.worker, case, net.hospital, "hiv_pep"), 409)
    assert "registre primero el hecho" in body["message"]  # Spanish by default
    # Without an incident-anchored rule the referral goes (acknowledgement clock only).
    sent = refer(client, net.worker, case, net.hospital, "mental_health", priority="medium")
    assert sent.status_code == 201
    assert sent.get_json()["deadline_rule"]["code"] == "acknowledge_medium"


def test_case_referrals_list_and_roles_that_may_not_send(client):
    net = Network()
    case = _case_with_incident(client, net)
    consent(client, net.worker, case, sector="health")
    sent = refer(client, net.worker, case, net.hospital, "hiv_pep").get_json()
    listed = read(client, net.centre.supervisor, f"/cases/{case.id}/referrals").get_json()
    assert [r["id"] for r in listed["items"]] == [sent["id"]] and listed["total"] == 1
    assert "note" not in listed["items"][0]
    assert_error(refer(client, net.centre.admin, case, net.hospital, "hiv_pep"), 403)
    assert_error(refer(client, net.nurse, case, net.hospital, "hiv_pep"), 403)
