"""One rule for every way a field leaves (issue 15): what the policy denies a person on
``GET /sessions/{id}``, ``GET /referrals/{id}`` or ``GET /visits/{id}`` she does not get
through her survivor export, nor through a visit card or a referral once consent is gone."""

from __future__ import annotations

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from caseflow.visits.models import Visit
from testkit.api import ago, get, post
from testkit.factories import Centre, OrganizationFactory, UserFactory
from tests.referrals.factories import Network, consent, refer
from tests.visits.factories import CANARIES, MONDAY, make_case_at, make_centre, make_plan

SUMMARY = "Canaryresumen psicologico Qzv"
NEXT_STEPS = "Canarysiguientes pasos Wjx"


def _psychology_session(client, centre, case):
    response = post(client, centre.psychology, f"/cases/{case.id}/sessions", {
        "discipline": "psychology", "started_at": ago(hours=1), "duration_minutes": 50,
        "summary": SUMMARY, "next_steps": NEXT_STEPS})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_a_legal_or_admission_caseworkers_export_holds_no_psychology_notes(client):
    centre = Centre()
    case = centre.case()
    _psychology_session(client, centre, case)
    for reader in (centre.legal, centre.admission):
        response = get(client, reader, f"/survivors/{case.survivor_id}/export")
        assert response.status_code == 200, response.get_json()
        text = response.get_data(as_text=True)
        assert SUMMARY not in text and NEXT_STEPS not in text
        body = response.get_json()
        (session,) = body["records"]["attention_sessions"]
        assert session["summary"] is None and session["next_steps"] is None
        assert body["complete"] is False
        assert body["withheld"] == {"attention_sessions": ["next_steps", "summary"]}
        page = get(client, reader, f"/survivors/{case.survivor_id}/export?format=html").get_data(as_text=True)
        assert SUMMARY not in page and NEXT_STEPS not in page


def test_her_export_by_a_supervisor_is_complete_and_audited(client):
    from sqlalchemy import select

    from caseflow.audit.models import AuditEntry

    centre = Centre()
    case = centre.case()
    _psychology_session(client, centre, case)
    body = get(client, centre.supervisor, f"/survivors/{case.survivor_id}/export").get_json()
    (session,) = body["records"]["attention_sessions"]
    assert session["summary"] == SUMMARY and session["next_steps"] == NEXT_STEPS
    assert body["complete"] is True and body["withheld"] == {}
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "export", AuditEntry.actor_id == centre.supervisor.id)).one()
    assert entry.survivor_id == case.survivor_id and SUMMARY not in str(entry.detail)


def test_her_export_at_one_centre_holds_no_narrative_of_a_case_at_another(client):
    """The export gathers her records wherever they are; a case of another centre keeps its
    sensitive fields to that centre (the field rule's default for case records)."""
    from caseflow.access.policy import may_read_field
    from caseflow.incidents.models import Incident

    here, elsewhere = Centre(), Centre()
    case = here.case()
    other = Incident(case_id=case.id, survivor_id=case.survivor_id)
    assert may_read_field(other, "narrative", here.admission) is True
    assert may_read_field(other, "narrative", elsewhere.supervisor) is False


def test_the_referral_note_follows_consent(client):
    network = Network()
    case = network.centre.case()
    given = consent(client, network.worker, case, organization=network.shelter)
    sent = refer(client, network.worker, case, network.shelter, "shelter", note="Canarynota derivacion Pvk")
    assert sent.status_code == 201, sent.get_json()
    referral_id = sent.get_json()["id"]

    def note_seen_by(user):
        response = get(client, user, f"/referrals/{referral_id}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["note"]

    assert note_seen_by(network.shelter_worker) == "Canarynota derivacion Pvk"
    withdrawn = post(client, network.worker, f"/consents/{given['id']}/withdraw", {})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    assert note_seen_by(network.shelter_worker) is None
    assert "Canarynota" not in get(client, network.shelter_worker, f"/referrals/{referral_id}").get_data(as_text=True)
    assert note_seen_by(network.worker) == "Canarynota derivacion Pvk"  # the sending centre keeps it


def _outside_visit(client):
    """A health facility's mentor, assigned under the survivor's consent to her facility."""
    centre = make_centre()
    case = make_case_at(centre, **CANARIES)
    facility = OrganizationFactory(sector="health")
    mentor = UserFactory(role="mentor", organization=facility, discipline=None)
    with frozen_time(MONDAY):
        given = post(client, centre.caseworker, f"/cases/{case.id}/consents", {
            "recipient_organization_id": str(facility.id), "given_by": "survivor", "method": "written",
            "given_at": (MONDAY - timedelta(hours=1)).isoformat()})
        assert given.status_code == 201, given.get_json()
    make_plan(centre, case, assignee=mentor)
    visit = db.session.query(Visit).filter_by(case_id=case.id).order_by(Visit.due_on).first()
    return centre, mentor, visit, given.get_json()["id"]


def test_a_visitor_of_another_organization_reads_the_card_while_consent_covers_her_organization(client):
    centre, mentor, visit, _ = _outside_visit(client)
    with frozen_time(max(utcnow(), MONDAY)):
        card = get(client, mentor, f"/visits/{visit.id}").get_json()["card"]
    assert card["alias"] == CANARIES["alias"]
    assert card["address"] == CANARIES["address"] and card["phone"] == CANARIES["phone"]
    assert card["safe_contact"] == CANARIES["safe_contact"]


def test_once_consent_is_withdrawn_a_visitor_of_another_organization_keeps_the_alias_only(client):
    centre, mentor, visit, consent_id = _outside_visit(client)
    withdrawn = post(client, centre.caseworker, f"/consents/{consent_id}/withdraw", {})
    assert withdrawn.status_code == 200, withdrawn.get_json()
    response = get(client, mentor, f"/visits/{visit.id}")
    assert response.status_code == 200
    card = response.get_json()["card"]
    assert card["alias"] == CANARIES["alias"]
    assert card["address"] is None and card["phone"] is None and card["safe_contact"] is None
    text = response.get_data(as_text=True)
    for name in ("address", "phone", "safe_contact"):
        assert CANARIES[name] not in text
    # The centre's own mentor and staff still read the whole card.
    own = get(client, centre.caseworker, f"/visits/{visit.id}").get_json()["card"]
    assert own["address"] == CANARIES["address"]
