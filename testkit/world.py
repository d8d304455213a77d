"""A small populated world for the access matrix and the API fuzzer.

A :class:`Realm` is one CEM with a person of every role (the liaison works at the
centre's partner hospital) and one record of every kind, made over HTTP exactly as users
make them, so the ids that the matrix and the fuzzer put in paths are real.

Every value is synthetic; :data:`CANARIES` are the sensitive ones, which must never show up
in an error body.

Routes added later with new path parameters (``visit_id``, ``referral_id``...) need one
line in :meth:`Realm.path_ids` and, for their records, a few lines in ``_populate``.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from caseflow.core.clock import utcnow
from caseflow.extensions import db
from caseflow.referrals.models import DeadlineRule
from testkit.api import ago, bearer, incident_body, post, risk_body
from testkit.factories import OrganizationFactory, UserFactory

ROLES = ("admin", "supervisor", "caseworker", "mentor", "psychologist", "liaison")

#: Sensitive values given to every realm's survivor, incident and session.
CANARIES = {
    "given_names": "Zenobia Canaria",
    "family_names": "Quispeuniq Trazable",
    "document_number": "87654321",
    "phone": "+51 977 123 456",
    "address": "Jr. Canario Secreto 742",
    "safe_contact": "Solo martes canario",
    "narrative": "Relato canario confidencial",
    "summary": "Notas canario de sesión",
    "decisions": "Acuerdos canario de la mesa",
}


class Realm:
    """One centre, its people (one per role) and one record of every kind."""

    def __init__(self, client, label: str, number: int = 0):
        self.client, self.label = client, label
        self.canaries = dict(CANARIES, document_number=str(int(CANARIES["document_number"]) + number))
        self.org = OrganizationFactory(sector="cem", code=f"CEM-{label}".upper())
        self.hospital = OrganizationFactory(sector="health", code=f"HOSP-{label}".upper(),
                                            service_types=["medical_care", "hiv_pep"])
        self.spare_org = OrganizationFactory(sector="social", code=f"SOC-{label}".upper())
        self.facility = OrganizationFactory(sector="penitentiary", code=f"EP-{label}".upper(),
                                            service_types=["medical_care"])
        org_of = {"liaison": self.hospital}
        self.people = {
            role: UserFactory(role=role, organization=org_of.get(role, self.org),
                              username=f"{role}.{label}".lower(),
                              discipline="admission" if role == "caseworker" else None)
            for role in ROLES
        }
        # A colleague to assign cases to, and an account an admin may change at will.
        self.colleague = UserFactory(role="caseworker", organization=self.org, discipline="legal",
                                     username=f"colleague.{label}".lower())
        self.spare_user = UserFactory(role="caseworker", organization=self.org, discipline="social",
                                      username=f"spare.{label}".lower())
        self._headers: dict[str, dict] = {}
        self.ids: dict[str, str] = {}
        self._populate()

    def headers(self, role: str, fresh: bool = False) -> dict:
        """A bearer header for this centre's person of ``role`` (``fresh``: a new token)."""
        if fresh:
            return bearer(self.people[role], hours=12)
        if role not in self._headers:
            self._headers[role] = bearer(self.people[role], hours=12)
        return self._headers[role]

    def _post(self, path: str, body: dict) -> str:
        response = post(self.client, self.people["caseworker"], path, body,
                        headers=self.headers("caseworker"))
        assert response.status_code in (200, 201), (path, response.get_json())
        return response.get_json()["id"]

    def _populate(self) -> None:
        self.ids["survivor_id"] = survivor = self._post("/survivors", {
            **{k: self.canaries[k] for k in ("given_names", "family_names", "document_number", "phone",
                                        "address", "safe_contact")},
            "alias": f"Alias {self.label}", "document_type": "DNI", "birth_date": "1991-04-03",
            "district": "150101"})
        self.ids["case_id"] = case = self._post("/cases", {
            "survivor_id": survivor, "intake_channel": "walk_in", "priority": "high"})
        self.ids["incident_id"] = self._post(f"/cases/{case}/incidents",
                                             incident_body(narrative=self.canaries["narrative"]))
        self.ids["consent_id"] = self._post(f"/cases/{case}/consents", {
            "recipient_organization_id": str(self.hospital.id), "given_by": "survivor",
            "method": "written", "given_at": ago(minutes=5)})
        self.ids["assessment_id"] = self._post(f"/cases/{case}/risk-assessments", risk_body(weapon=True))
        self.ids["session_id"] = self._post(f"/cases/{case}/sessions", {
            "discipline": "admission", "started_at": ago(hours=1), "duration_minutes": 40,
            "summary": self.canaries["summary"], "next_steps": "Seguimiento."})
        self.ids["item_id"] = self._post(f"/cases/{case}/plan-items", {
            "need": "health", "service_type": "medical_care", "decision": "referred", "note": "Plan."})
        self.ids["conference_id"] = self._post(f"/cases/{case}/conferences", {
            "held_at": ago(hours=2), "organization_ids": [str(self.hospital.id)],
            "decisions": self.canaries["decisions"]})
        self.ids["approval_id"] = self._post(f"/cases/{case}/approvals", {"kind": "action_plan"})
        self.ids["referral_id"] = self._post(f"/cases/{case}/referrals", {
            "to_organization_id": str(self.hospital.id), "service_type": "medical_care", "priority": "medium"})
        self.ids["plan_id"] = self._post(f"/cases/{case}/visit-plans", {
            "assignee_id": str(self.people["mentor"].id), "kind": "mentor_accompaniment",
            "starts_on": today(), "count": 3})
        self.ids["visit_id"] = self._first_visit(self.ids["plan_id"])
        self.ids["rule_id"] = str(db.session.scalars(select(DeadlineRule.id).order_by(DeadlineRule.code)).first())
        self.ids["message_id"] = self._notify(self.people["supervisor"], case)
        self.ids["instrument_id"] = "fvr-demo-v1"
        self.ids["indicator"] = "incidents"
        custody = post(self.client, self.people["caseworker"], f"/survivors/{survivor}/custody", {
            "status": "in_custody", "facility_id": str(self.facility.id), "since": today()},
            headers=self.headers("caseworker"))
        assert custody.status_code == 201, custody.get_json()
        self.ids["supply_id"] = self._post(f"/cases/{case}/supplies", {"kind": "hygiene_kit",
                                                                      "delivered_at": ago(minutes=3)})
        self.ids["screening_id"] = self._post(f"/cases/{case}/custody-screenings", {
            "screened_at": ago(minutes=3), "findings": {"hiv_sti": True}})
        self.ids["disclosure_id"] = self._post(f"/cases/{case}/custody-disclosures", {
            "disclosed_at": ago(minutes=3), "legal_recourse": "undecided", "narrative": self.canaries["narrative"]})
        self.ids["restriction_id"] = self._post(f"/cases/{case}/visit-restrictions", {
            "person_name": self.canaries["family_names"], "relationship": "former_partner"})
        self.ids["organization_id"] = str(self.spare_org.id)
        self.ids["user_id"] = str(self.spare_user.id)
        db.session.commit()

    def _first_visit(self, plan_id: str) -> str:
        from caseflow.visits.models import Visit

        return str(db.session.scalars(select(Visit.id).where(Visit.plan_id == uuid.UUID(plan_id))
                                      .order_by(Visit.due_on)).first())

    def _notify(self, recipient, case_id: str) -> str:
        """A notification for the centre's supervisor, as the scheduler would leave one."""
        from caseflow.scheduling.models import OutboxMessage

        message = OutboxMessage(dedupe_key=f"matrix:{self.label}:{recipient.id}", recipient_id=recipient.id,
                                kind="escalation", topic="no_contact", case_id=uuid.UUID(case_id),
                                case_code="MATRIX-CASE", subject_at=utcnow())
        db.session.add(message)
        db.session.flush()
        return str(message.id)

    def path_ids(self) -> dict[str, str]:
        """Path parameter name → a real id of this realm."""
        return dict(self.ids)

    def values(self) -> dict[str, str]:
        """Everything a request body template may name: ids and people."""
        values = self.path_ids()
        values.update({f"{role}_user_id": str(person.id) for role, person in self.people.items()})
        values.update(colleague_id=str(self.colleague.id), org_id=str(self.org.id),
                      hospital_id=str(self.hospital.id), facility_id=str(self.facility.id),
                      now=ago(minutes=1), today=today())
        return values


def today() -> str:
    from caseflow.visits.services import today as local_today

    return local_today(utcnow()).isoformat()


def make_realms(client, *labels: str) -> dict[str, Realm]:
    return {label: Realm(client, label, number) for number, label in enumerate(labels)}
