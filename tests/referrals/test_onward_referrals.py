"""Onward referrals: the police send the complaint to the family court (Ley 30364, art. 15).
The new referral carries its parent; sending it meets the police's 24 h clock and starts the
court's own; the legal duty is its basis, audited and on the timeline; the chain shows on the
case's timeline, on the parent and in the referral report. All values are synthetic."""

import uuid

from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import get, incident_body, post
from tests.helpers import assert_error
from tests.referrals.factories import Network, consent, move, refer

MANDATORY = {"legal_basis": "Ley 30364, art. 15", "survivor_informed": True}


def _complaint(client, net, *, accepted=True):
    case = net.centre.case()
    assert post(client, net.worker, f"/cases/{case.id}/incidents", incident_body()).status_code == 201
    consent(client, net.worker, case, sector="police")
    sent = refer(client, net.worker, case, net.police, "complaint", priority="high")
    assert sent.status_code == 201, sent.get_json()
    complaint = sent.get_json()
    if accepted:
        assert move(client, net.officer, complaint["id"], "accepted").status_code == 200
    return case, complaint


def _onward(client, user, referral_id, organization, service_type="protective_measures", note=None):
    body = {"to_organization_id": str(organization.id), "service_type": service_type}
    if note is not None:
        body["note"] = note
    return post(client, user, f"/referrals/{referral_id}/onward", body)


def _clock(referral, rule_code):
    return next(c for c in referral["clocks"] if c["rule"]["code"] == rule_code)


def test_the_police_send_the_complaint_to_the_court_and_meet_their_clock(client):
    net = Network()
    case, complaint = _complaint(client, net)
    police_clock = _clock(complaint, "police_to_family_court")
    assert police_clock["milestone"] == "referred_on" and police_clock["state"] == "due_soon"

    sent = _onward(client, net.officer, complaint["id"], net.court, note="Denuncia N.º sintética 001")
    assert sent.status_code == 201, sent.get_json()
    court_referral = sent.get_json()
    assert court_referral["parent_referral_id"] == complaint["id"]
    assert court_referral["referred_by_organization_id"] == str(net.police.id)
    assert court_referral["from_organization"]["id"] == str(net.centre.org.id)
    assert court_referral["status"] == "requested" and court_referral["sector"] == "justice"
    # The police's duty is the basis, recorded like a mandatory report.
    assert "Ley 30364" in court_referral["mandatory_report"]["legal_basis"]
    # The court's own 24 h clock starts when the police send it.
    measures = _clock(court_referral, "protective_measures")
    assert measures["starts_at"] == court_referral["created_at"]
    assert measures["state"] == "due_soon"

    parent = get(client, net.officer, f"/referrals/{complaint['id']}").get_json()
    assert _clock(parent, "police_to_family_court")["state"] == "met"
    assert [r["id"] for r in parent["onward"]] == [court_referral["id"]]
    assert parent["onward"][0]["service_type"] == "protective_measures"
    # Completing the complaint later keeps the clock met.
    assert move(client, net.officer, complaint["id"], "in_progress").status_code == 200
    assert move(client, net.officer, complaint["id"], "completed").status_code == 200
    parent = get(client, net.worker, f"/referrals/{complaint['id']}").get_json()
    assert _clock(parent, "police_to_family_court")["met"] is True

    # The court sees it in its inbox, with her alias only (no consent for the court).
    inbox = get(client, net.clerk, "/referrals").get_json()["items"]
    assert [r["id"] for r in inbox] == [court_referral["id"]]
    seen = get(client, net.clerk, f"/referrals/{court_referral['id']}").get_json()
    assert set(seen["survivor"]) == {"alias"}
    assert seen["note"] is None
    # The police do not read the court's referral afterwards.
    assert_error(get(client, net.officer, f"/referrals/{court_referral['id']}"), 404)

    # The case's team follows the chain on the timeline.
    timeline = get(client, net.worker, f"/cases/{case.id}/timeline").get_json()
    entries = timeline["items"] if isinstance(timeline, dict) and "items" in timeline else timeline
    onward = [e for e in entries if e["kind"] == "referral_referred_on"]
    assert len(onward) == 1 and onward[0]["met"] is True and onward[0]["sector"] == "police"
    assert onward[0]["detail"]["onward_referral_id"] == court_referral["id"]
    sent_entries = [e for e in entries if e["kind"] == "referral_sent"
                    and e["detail"]["referral_id"] == court_referral["id"]]
    assert sent_entries[0]["detail"]["parent_referral_id"] == complaint["id"]
    assert any(e["kind"] == "mandatory_report" and e["detail"]["referral_id"] == court_referral["id"]
               for e in entries)

    # Audited as a mandatory report, naming the parent.
    db.session.expire_all()
    audited = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "mandatory_report", AuditEntry.entity_id == court_referral["id"])).all()
    assert len(audited) == 1 and audited[0].detail["onward_from"] == complaint["id"]

    # The referral report shows the chain.
    report = get(client, net.centre.supervisor, "/reports/referral-timelines").get_json()
    rows = {(r["sector"], r["service_type"]): r for r in report["rows"]}
    assert rows[("justice", "protective_measures")]["onward"] == 1
    assert rows[("police", "complaint")]["sent_on"] == 1
    assert rows[("police", "complaint")]["onward"] == 0


def test_with_her_consent_for_the_court_it_reads_what_her_consent_allows(client):
    net = Network()
    case, complaint = _complaint(client, net)
    consent(client, net.worker, case, sector="justice")
    court_referral = _onward(client, net.officer, complaint["id"], net.court, note="Nota sintética").get_json()
    seen = get(client, net.clerk, f"/referrals/{court_referral['id']}").get_json()
    assert "given_names" in seen["survivor"] and "address" not in seen["survivor"]
    assert seen["note"] == "Nota sintética"
    assert court_referral["consent_id"] is not None


def test_a_complaint_completed_without_sending_it_on_misses_the_clock(client):
    net = Network()
    _case, complaint = _complaint(client, net)
    for status in ("in_progress", "completed"):
        assert move(client, net.officer, complaint["id"], status).status_code == 200
    parent = get(client, net.worker, f"/referrals/{complaint['id']}").get_json()
    assert _clock(parent, "police_to_family_court")["state"] == "missed"
    # Ended: it is not sent on any more.
    assert_error(_onward(client, net.officer, complaint["id"], net.court), 409)


def test_who_may_send_on_and_what_is_refused(client):
    net = Network()
    case, complaint = _complaint(client, net, accepted=False)
    # Not yet accepted by the police.
    assert_error(_onward(client, net.officer, complaint["id"], net.court), 409)
    assert move(client, net.officer, complaint["id"], "accepted").status_code == 200
    # The centre does not send on for the police; the court does not reach the complaint.
    assert_error(_onward(client, net.worker, complaint["id"], net.court), 403)
    assert_error(_onward(client, net.clerk, complaint["id"], net.court), 404)
    # Bad input: unknown organization, a service the court does not give, back to herself.
    assert_error(post(client, net.officer, f"/referrals/{complaint['id']}/onward",
                      {"to_organization_id": str(uuid.uuid4()), "service_type": "protective_measures"}),
                 422, "to_organization_id")
    assert_error(_onward(client, net.officer, complaint["id"], net.court, "shelter"), 422, "service_type")
    assert_error(_onward(client, net.officer, complaint["id"], net.police, "complaint"), 422, "to_organization_id")
    assert_error(post(client, net.officer, f"/referrals/{complaint['id']}/onward", {"service_type": "x"}), 422)
    # No legal duty toward a shelter: her consent for it is needed.
    assert_error(_onward(client, net.officer, complaint["id"], net.shelter, "shelter"), 409)
    consent(client, net.worker, case, organization=net.shelter)
    shelter = _onward(client, net.officer, complaint["id"], net.shelter, "shelter")
    assert shelter.status_code == 201, shelter.get_json()
    assert shelter.get_json()["mandatory_report"] is None
    # Sending to a shelter does not meet the duty to send the case to the court.
    parent = get(client, net.officer, f"/referrals/{complaint['id']}").get_json()
    assert _clock(parent, "police_to_family_court")["state"] == "due_soon"
    assert len(parent["onward"]) == 1
