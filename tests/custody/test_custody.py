"""Survivors deprived of liberty, end to end through the API: custody with its history, care
inside (referrals to the facility's health service, in-facility visits, supplies), the people
she refuses as visitors under her consent, and a release that plans her follow-up."""

from datetime import date, timedelta

from sqlalchemy import text

from caseflow.core.clock import utcnow
from caseflow.extensions import db
from testkit.api import ago, bearer, get, incident_body, post, risk_body
from testkit.factories import Centre, OrganizationFactory, UserFactory
from testkit.world import today as local_today
from tests.helpers import assert_error

AGGRESSOR = "Nombre Sintético Agresor"


class Prison:
    """A CEM's case of a woman held at a penitentiary establishment with its own health service."""

    def __init__(self):
        self.centre = Centre()
        self.facility = OrganizationFactory(sector="penitentiary", code="EP-MUJERES-TEST",
                                            service_types=["medical_care", "sexual_reproductive_health",
                                                           "maternity_care", "mental_health"])
        self.facility_liaison = UserFactory(role="liaison", organization=self.facility, discipline=None)
        self.mentor = UserFactory(role="mentor", organization=self.centre.org, discipline=None)
        self.case = self.centre.case()
        self.survivor_id = str(self.case.survivor_id)
        self.worker = self.centre.admission

    def custody(self, **body):
        return post(self.client, self.worker, f"/survivors/{self.survivor_id}/custody",
                    {"facility_id": str(self.facility.id), **body})


def _prison(client):
    prison = Prison()
    prison.client = client
    return prison


def test_custody_is_a_history_and_release_starts_her_follow_up(client):
    prison = _prison(client)
    taken = prison.custody(status="in_custody", since=(date.today() - timedelta(days=200)).isoformat(),
                           expected_release_on=(date.today() + timedelta(days=1)).isoformat())
    assert taken.status_code == 201, taken.get_json()
    assert taken.get_json()["current"]["status"] == "in_custody"

    released = prison.custody(status="released", since=date.today().isoformat(), follow_up={
        "assignee_id": str(prison.mentor.id), "kind": "mentor_accompaniment", "cadence_days": 7, "count": 8})
    assert released.status_code == 201, released.get_json()
    body = released.get_json()
    assert [r["status"] for r in body["history"]] == ["in_custody", "released"]
    assert body["current"]["status"] == "released"
    plan_id = body["follow_up_plan_id"]
    assert plan_id

    # The mentor sees the visits after release on her own list.
    visits = client.get("/api/v1/visits", headers=bearer(prison.mentor)).get_json()["items"]
    assert visits and {v["plan_id"] for v in visits} == {plan_id}
    # The case's timeline shows both changes.
    kinds = [e["kind"] for e in get(client, prison.worker, f"/cases/{prison.case.id}/timeline").get_json()["items"]]
    assert "custody_in_custody" in kinds and "custody_released" in kinds
    # Read back as her centre recorded it.
    again = get(client, prison.worker, f"/survivors/{prison.survivor_id}/custody").get_json()
    assert again["current"]["id"] == body["current"]["id"] and len(again["history"]) == 2


def test_custody_refuses_what_cannot_be(client):
    prison = _prison(client)
    assert_error(prison.custody(status="released", since=date.today().isoformat()), 409)
    hospital = OrganizationFactory(sector="health")
    assert_error(post(client, prison.worker, f"/survivors/{prison.survivor_id}/custody", {
        "status": "in_custody", "facility_id": str(hospital.id), "since": "2026-01-01"}), 422, "facility_id")
    assert_error(prison.custody(status="in_custody", since="9999-01-01"), 422, "since")
    assert_error(prison.custody(status="in_custody", since="2026-05-01", expected_release_on="2026-01-01"),
                 422, "expected_release_on")
    assert_error(prison.custody(status="in_custody", since="2026-05-01", follow_up={
        "assignee_id": str(prison.mentor.id), "kind": "mentor_accompaniment"}), 422, "follow_up")
    assert get(client, prison.worker, f"/survivors/{prison.survivor_id}/custody").get_json()["history"] == []
    # Another centre's caseworker does not find her at all.
    other = Centre()
    assert get(client, other.admission, f"/survivors/{prison.survivor_id}/custody").status_code == 404


def test_care_inside_goes_through_the_facility_health_service_and_in_facility_visits(client):
    prison = _prison(client)
    case = prison.case.id
    prison.custody(status="in_custody", since="2026-01-10")
    post(client, prison.worker, f"/cases/{case}/incidents", incident_body())
    post(client, prison.worker, f"/cases/{case}/risk-assessments", risk_body())
    assert post(client, prison.worker, f"/cases/{case}/consents", {
        "recipient_organization_id": str(prison.facility.id), "given_by": "survivor", "method": "written",
        "given_at": ago(minutes=5)}).status_code == 201
    referral = post(client, prison.worker, f"/cases/{case}/referrals", {
        "to_organization_id": str(prison.facility.id), "service_type": "sexual_reproductive_health",
        "priority": "high"})
    assert referral.status_code == 201, referral.get_json()
    # Health's rules and clocks: the establishment's health service is health for the referral.
    assert referral.get_json()["sector"] == "health"
    inbox = client.get("/api/v1/referrals", headers=bearer(prison.facility_liaison)).get_json()["items"]
    assert [r["id"] for r in inbox] == [referral.get_json()["id"]]
    # ...and nothing of her case.
    assert client.get(f"/api/v1/cases/{case}", headers=bearer(prison.facility_liaison)).status_code in (403, 404)

    # A mentor's visit inside the facility.
    plan = post(client, prison.worker, f"/cases/{case}/visit-plans", {
        "assignee_id": str(prison.mentor.id), "kind": "mentor_accompaniment",
        "starts_on": local_today(), "cadence_days": 7, "count": 2})
    assert plan.status_code == 201, plan.get_json()
    visit = client.get("/api/v1/visits", headers=bearer(prison.mentor)).get_json()["items"][0]
    logged = client.post(f"/api/v1/visits/{visit['id']}/log", headers=bearer(prison.mentor), json={
        "outcome": "done", "happened_at": utcnow().isoformat(), "modality": "in_facility"})
    assert logged.status_code in (200, 201), logged.get_json()

    # Supplies handed to her are recorded with the facility that held her.
    supply = post(client, prison.worker, f"/cases/{case}/supplies", {"kind": "hygiene_kit",
                                                                    "delivered_at": ago(hours=2)})
    assert supply.status_code == 201, supply.get_json()
    assert supply.get_json()["facility_id"] == str(prison.facility.id)
    listed = get(client, prison.worker, f"/cases/{case}/supplies").get_json()
    assert listed["total"] == 1 and listed["items"][0]["kind"] == "hygiene_kit"
    assert get(client, prison.worker, f"/supplies/{supply.get_json()['id']}").status_code == 200
    assert_error(post(client, prison.worker, f"/cases/{case}/supplies", {"kind": "hygiene_kit",
                                                                        "delivered_at": "2999-01-01T00:00:00+00:00"}),
                 422, "delivered_at")


def test_visit_restrictions_reach_the_facility_only_under_her_consent(client):
    prison = _prison(client)
    case = prison.case.id
    prison.custody(status="in_custody", since="2026-01-10")
    made = post(client, prison.worker, f"/cases/{case}/visit-restrictions", {
        "person_name": AGGRESSOR, "relationship": "former_partner", "reason": "Amenazas sintéticas"})
    assert made.status_code == 201, made.get_json()
    assert made.get_json()["person_name"] == AGGRESSOR
    # Encrypted at rest.
    raw = db.session.execute(text("SELECT person_name_ct FROM visit_restrictions")).scalar_one()
    assert AGGRESSOR.encode() not in bytes(raw)

    def gate():
        response = client.get("/api/v1/facility/visit-restrictions", headers=bearer(prison.facility_liaison))
        assert response.status_code == 200, response.get_json()
        return [item["person_name"] for item in response.get_json()["items"]]

    assert gate() == []  # no consent to the facility yet
    consent = post(client, prison.worker, f"/cases/{case}/consents", {
        "recipient_organization_id": str(prison.facility.id), "given_by": "survivor", "method": "written",
        "given_at": ago(minutes=5)}).get_json()
    assert gate() == [AGGRESSOR]
    post(client, prison.worker, f"/consents/{consent['id']}/withdraw", {})
    assert gate() == []
    # Other liaisons, and a hospital's, get nothing of it.
    hospital_liaison = UserFactory(role="liaison", organization=OrganizationFactory(sector="health"), discipline=None)
    assert client.get("/api/v1/facility/visit-restrictions", headers=bearer(hospital_liaison)).status_code == 403
    assert client.get(f"/api/v1/visit-restrictions/{made.get_json()['id']}",
                      headers=bearer(prison.facility_liaison)).status_code in (403, 404)


def test_the_whole_path_inside_and_after(client):
    """Admission screening → care inside → in-facility visit → a disclosure → release → visits after."""
    prison = _prison(client)
    case = prison.case.id
    police = OrganizationFactory(sector="police", service_types=["complaint"])
    assert prison.custody(status="in_custody", since="2026-02-01", pregnant=True,
                          children_ages=[1]).get_json()["maternity_care_needed"] is True
    post(client, prison.worker, f"/cases/{case}/incidents", incident_body())
    assert post(client, prison.worker, f"/cases/{case}/risk-assessments", risk_body()).status_code == 201

    screened = post(client, prison.worker, f"/cases/{case}/custody-screenings", {
        "screened_at": ago(hours=3), "findings": {"sexual_reproductive_health": True, "suicide_risk": True,
                                                  "drug_dependency": False}, "notes": "Notas sintéticas"})
    assert screened.status_code == 201, screened.get_json()
    needs = {n["area"]: n for n in screened.get_json()["needs"]}
    assert set(needs) == {"sexual_reproductive_health", "suicide_risk"}
    assert all(n["plan_item_id"] for n in needs.values())
    plan = get(client, prison.worker, f"/cases/{case}/plan-items").get_json()["items"]
    assert {(i["need"], i["service_type"]) for i in plan} >= {("health", "sexual_reproductive_health"),
                                                              ("safety", "mental_health")}
    raw = db.session.execute(text("SELECT findings_ct FROM custody_screenings")).scalar_one()
    assert b"suicide_risk" not in bytes(raw)

    disclosed = post(client, prison.worker, f"/cases/{case}/custody-disclosures", {
        "disclosed_at": ago(hours=1), "legal_recourse": "wants_to_report", "authority_id": str(police.id),
        "consent_method": "written", "narrative": "Relato sintético de abuso"})
    assert disclosed.status_code == 201, disclosed.get_json()
    body = disclosed.get_json()
    assert body["referral_id"] and body["support_plan_item_id"] and body["protect_from_retaliation"] is True
    referral = get(client, prison.worker, f"/referrals/{body['referral_id']}").get_json()
    assert referral["service_type"] == "complaint" and referral["status"] == "requested"
    custody = get(client, prison.worker, f"/survivors/{prison.survivor_id}/custody").get_json()
    assert custody["protect_from_retaliation"] is True
    assert custody["current"]["pregnant"] is True and custody["current"]["children_ages"] == [1]

    released = prison.custody(status="released", since=date.today().isoformat(), follow_up={
        "assignee_id": str(prison.mentor.id), "kind": "mentor_accompaniment", "cadence_days": 14})
    assert released.status_code == 201, released.get_json()
    assert released.get_json()["maternity_care_needed"] is False
    visits = client.get("/api/v1/visits", headers=bearer(prison.mentor)).get_json()["items"]
    assert visits and visits[0]["plan_id"] == released.get_json()["follow_up_plan_id"]
    kinds = [e["kind"] for e in get(client, prison.worker, f"/cases/{case}/timeline").get_json()["items"]]
    # A custody change is dated by day (the start of that day on the timeline).
    assert kinds.index("custody_in_custody") < kinds.index("custody_disclosure") and "custody_released" in kinds


def test_a_disclosure_without_her_wish_to_report_sends_nothing_but_support(client):
    prison = _prison(client)
    case = prison.case.id
    prison.custody(status="in_custody", since="2026-02-01")
    declined = post(client, prison.worker, f"/cases/{case}/custody-disclosures", {
        "disclosed_at": ago(hours=1), "legal_recourse": "declines", "protect_from_retaliation": True})
    assert declined.status_code == 201, declined.get_json()
    assert declined.get_json()["referral_id"] is None
    # No risk assessment yet: support waits for the plan instead of being dropped silently.
    assert declined.get_json()["support_plan_item_id"] is None
    assert get(client, prison.worker, f"/cases/{case}/referrals").get_json()["total"] == 0
    assert_error(post(client, prison.worker, f"/cases/{case}/custody-disclosures", {
        "disclosed_at": ago(hours=1), "legal_recourse": "wants_to_report"}), 422, "authority_id", "consent_method")
    assert_error(post(client, prison.worker, f"/cases/{case}/custody-disclosures", {
        "disclosed_at": ago(hours=1), "legal_recourse": "declines", "consent_method": "written"}),
        422, "legal_recourse")
    assert_error(post(client, prison.worker, f"/cases/{case}/custody-screenings", {
        "screened_at": ago(hours=1), "findings": {"astrology": True}}), 422, "findings")
    assert_error(prison.custody(status="in_custody", since="2026-02-01", children_ages=[9]), 422, "children_ages")
