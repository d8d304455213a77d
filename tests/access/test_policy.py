"""Need-to-know: another centre's records do not exist for you; admins read no case content."""

import pytest

from testkit.api import bearer
from testkit.factories import OrganizationFactory, UserFactory, make_case
from tests.helpers import assert_error


@pytest.fixture
def two_centres():
    here, there = OrganizationFactory(), OrganizationFactory()
    return UserFactory(organization=here), UserFactory(organization=there)


def test_another_centres_caseworker_gets_404_on_case_and_survivor(client, two_centres):
    mine, theirs = two_centres
    case = make_case(mine)
    headers = bearer(theirs)
    assert_error(client.get(f"/api/v1/cases/{case.id}", headers=headers), 404)
    assert_error(client.patch(f"/api/v1/cases/{case.id}", json={"priority": "low"}, headers=headers), 404)
    assert_error(client.get(f"/api/v1/survivors/{case.survivor_id}", headers=headers), 404)
    assert client.get("/api/v1/cases", headers=headers).get_json()["total"] == 0
    assert client.get(f"/api/v1/cases/{case.id}", headers=bearer(mine)).status_code == 200


def test_another_centres_supervisor_gets_404(client, two_centres):
    mine, theirs = two_centres
    case = make_case(mine)
    supervisor = UserFactory(role="supervisor", discipline=None, organization=theirs.organization)
    assert_error(client.get(f"/api/v1/cases/{case.id}/access-log", headers=bearer(supervisor)), 404)


def test_search_never_crosses_centres(client, two_centres):
    mine, theirs = two_centres
    case = make_case(mine)
    from caseflow.core.acting import acting_as

    with acting_as(mine):
        number = case.survivor.document_number
    response = client.get(f"/api/v1/survivors?document_type=DNI&document_number={number}", headers=bearer(theirs))
    assert response.get_json()["total"] == 0


def test_the_survivor_list_holds_the_centres_own_survivors_only(client, two_centres):
    from testkit.factories import make_survivor

    mine, theirs = two_centres
    here = {str(make_case(mine).survivor_id), str(make_survivor(mine).id)}
    there = {str(make_survivor(theirs).id)}
    for user, expected in ((mine, here), (theirs, there)):
        body = client.get("/api/v1/survivors?per_page=10", headers=bearer(user)).get_json()
        assert body["total"] == len(expected)
        assert {item["id"] for item in body["items"]} == expected


@pytest.mark.parametrize("role", ["admin", "mentor", "psychologist", "liaison"])
def test_roles_without_case_duties_read_no_case_content(client, role):
    centre = OrganizationFactory()
    case = make_case(UserFactory(organization=centre))
    home = centre if role != "liaison" else OrganizationFactory(sector="health")
    headers = bearer(UserFactory(role=role, discipline=None, organization=home))
    for path in (f"/api/v1/cases/{case.id}", f"/api/v1/survivors/{case.survivor_id}"):
        response = client.get(path, headers=headers)
        assert response.status_code in (403, 404)
    assert client.get("/api/v1/cases", headers=headers).status_code in (200, 403)
    if client.get("/api/v1/cases", headers=headers).status_code == 200:
        assert client.get("/api/v1/cases", headers=headers).get_json()["total"] == 0


def test_only_admins_write_the_directory(client):
    worker = UserFactory()
    payload = {"code": "X-ORG", "name": "X", "sector": "health"}
    assert_error(client.post("/api/v1/organizations", json=payload, headers=bearer(worker)), 403)
    admin = UserFactory(role="admin", discipline=None, organization=worker.organization)
    assert client.post("/api/v1/organizations", json=payload, headers=bearer(admin)).status_code == 201
