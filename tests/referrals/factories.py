"""A centre and the organizations it refers to, each with a liaison; helpers for
referrals over HTTP. All values are synthetic."""

from __future__ import annotations

from caseflow.core.clock import utcnow
from testkit.api import bearer, post
from testkit.factories import Centre, OrganizationFactory, UserFactory

HEALTH_SERVICES = ["emergency_contraception", "hiv_pep", "medical_care", "medico_legal_exam", "mental_health"]


class Network:
    """A CEM and a hospital, a family court, a police station and a shelter around it."""

    def __init__(self):
        self.centre = Centre()
        self.hospital = OrganizationFactory(sector="health", service_types=HEALTH_SERVICES)
        self.court = OrganizationFactory(sector="justice", service_types=["legal_proceedings", "protective_measures"])
        self.police = OrganizationFactory(sector="police", service_types=["complaint"])
        self.shelter = OrganizationFactory(sector="social", service_types=["other", "shelter", "social_support"])
        self.nurse = UserFactory(role="liaison", organization=self.hospital, discipline=None)
        self.clerk = UserFactory(role="liaison", organization=self.court, discipline=None)
        self.officer = UserFactory(role="liaison", organization=self.police, discipline=None)
        self.shelter_worker = UserFactory(role="liaison", organization=self.shelter, discipline=None)

    @property
    def worker(self):
        return self.centre.admission


def consent(client, user, case, *, sector=None, organization=None, given_at=None):
    body = {"given_by": "survivor", "method": "written", "given_at": (given_at or utcnow()).isoformat()}
    if sector:
        body["recipient_sector"] = sector
    if organization is not None:
        body["recipient_organization_id"] = str(organization.id)
    response = post(client, user, f"/cases/{case.id}/consents", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def rape_incident(client, user, case, occurred_at, **overrides):
    body = {"occurred_at": occurred_at.isoformat(), "acts": {"penetration": True},
            "violence_types": ["sexual"], "perpetrator_relationship": "acquaintance", **overrides}
    response = post(client, user, f"/cases/{case.id}/incidents", body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def refer(client, user, case, organization, service_type, **body):
    return post(client, user, f"/cases/{case.id}/referrals", {
        "to_organization_id": str(organization.id), "service_type": service_type, **body})


def move(client, user, referral_id, status, reason=None):
    body = {"status": status}
    if reason is not None:
        body["reason"] = reason
    return post(client, user, f"/referrals/{referral_id}/transitions", body)


def read(client, user, path, headers=None):
    return client.get(f"/api/v1{path}", headers={**bearer(user), **(headers or {})})
