from tests.factories import UserFactory, make_case
from tests.helpers import bearer


def test_caseworker_opens_and_reads_a_case(client):
    worker = UserFactory()
    case = make_case(worker)
    response = client.get(f"/api/v1/cases/{case.id}", headers=bearer(worker))
    assert response.status_code == 200
    assert response.get_json()["code"].endswith("-00001")
