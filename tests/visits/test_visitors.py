"""``GET /visits/visitors``: whom a caseworker or supervisor may give a visit plan, and who
may not ask."""

from datetime import date, timedelta

import pytest

from caseflow.core.acting import acting_as
from caseflow.extensions import db
from caseflow.training.services import record_training
from testkit.api import bearer
from testkit.factories import UserFactory
from tests.helpers import assert_error
from tests.visits.factories import CANARIES, make_case_at, make_centre

URL = "/api/v1/visits/visitors"


@pytest.fixture
def centre(app):
    app.config.update(CASEFLOW_MENTOR_TRAINING_SESSIONS=3)
    centre = make_centre()
    centre.trained = UserFactory(role="mentor", organization=centre.org, full_name="Mentora Formada")
    with acting_as(centre.supervisor):
        for k in range(3):
            record_training(centre.trained, held_on=date.today() - timedelta(days=k + 1), topic=f"Sesión {k + 1}")
        record_training(centre.mentor, held_on=date.today() - timedelta(days=1), topic="Sesión 1")
        db.session.commit()
    return centre


def _items(client, user, query=""):
    response = client.get(URL + query, headers=bearer(user))
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_a_caseworker_lists_her_centres_visitors_with_their_training(client, centre):
    gone = UserFactory(role="mentor", organization=centre.org, active=False)
    make_case_at(centre, **CANARIES)
    items = _items(client, centre.caseworker)
    by_id = {item["id"]: item for item in items}
    assert set(by_id) == {str(centre.mentor.id), str(centre.trained.id), str(centre.psychologist.id)}
    assert str(gone.id) not in by_id  # inactive accounts are not offered
    untrained = by_id[str(centre.mentor.id)]
    assert untrained["training_sessions"] == 1 and untrained["training_required"] == 3
    assert untrained["assignable"] is False and untrained["kind"] == "mentor_accompaniment"
    trained = by_id[str(centre.trained.id)]
    assert trained["assignable"] is True and trained["full_name"] == "Mentora Formada"
    psychologist = by_id[str(centre.psychologist.id)]
    assert psychologist["kind"] == "psychological_followup" and psychologist["assignable"] is True
    assert set(untrained) == {"id", "username", "full_name", "role", "kind", "training_sessions",
                              "training_required", "assignable"}
    text = str(items)
    assert not any(value in text for value in CANARIES.values())  # nothing of any survivor


def test_the_list_agrees_with_what_a_plan_accepts(client, centre):
    case = make_case_at(centre)
    items = _items(client, centre.supervisor, "?kind=mentor_accompaniment")
    assert {item["role"] for item in items} == {"mentor"}
    for item in items:
        response = client.post(f"/api/v1/cases/{case.id}/visit-plans", headers=bearer(centre.caseworker), json={
            "assignee_id": item["id"], "kind": item["kind"], "starts_on": date.today().isoformat(), "count": 2})
        if item["assignable"]:
            assert response.status_code == 201, response.get_json()
        else:
            body = assert_error(response, 422, "assignee_id")
            assert "1" in body["errors"]["assignee_id"][0] and "3" in body["errors"]["assignee_id"][0]


def test_another_centre_sees_only_its_own_visitors(client, centre):
    other = make_centre()
    ids = {item["id"] for item in _items(client, other.caseworker)}
    assert ids == {str(other.mentor.id), str(other.psychologist.id)}


@pytest.mark.parametrize("role", ["liaison", "mentor", "psychologist", "admin"])
def test_who_does_not_plan_visits_may_not_list_visitors(client, centre, role):
    person = UserFactory(role=role, organization=centre.org)
    assert_error(client.get(URL, headers=bearer(person)), 403)


def test_an_unconfirmed_caseworker_and_a_stranger_may_not(client, centre):
    unconfirmed = UserFactory(role="caseworker", organization=centre.org, role_confirmed=False)
    assert_error(client.get(URL, headers=bearer(unconfirmed)), 403)
    assert_error(client.get(URL), 401)


def test_a_bad_kind_is_a_422(client, centre):
    assert_error(client.get(URL + "?kind=%3Cscript%3E", headers=bearer(centre.caseworker)), 422, "kind")


def test_the_route_is_described(client):
    operation = client.get("/api/v1/openapi.json").get_json()["paths"]["/api/v1/visits/visitors"]["get"]
    assert operation["operationId"] == "visits_list_visitors"
    assert {"401", "403", "422"} <= set(operation["responses"])
