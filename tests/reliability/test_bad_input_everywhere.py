"""Bad input is a 4xx everywhere: NUL and lone surrogates, dates out of range, JSON depth,
malformed ids; and a database error never carries the statement's values."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from caseflow.extensions import db
from testkit.api import bearer, incident_body
from testkit.factories import Centre, UserFactory, survivor_values
from tests.helpers import assert_error

NUL = "Ana\u0000Prueba"
SURROGATE_BODY = '{"given_names": "Ana \\ud800", "family_names": "Prueba"}'


@pytest.fixture
def centre(app):
    return Centre()


def _post(client, user, path, body):
    return client.post(f"/api/v1{path}", json=body, headers=bearer(user))


def _survivor_body(**overrides):
    return {**survivor_values(), "birth_date": "1990-01-01", **overrides}


@pytest.mark.parametrize("field", ["given_names", "family_names", "mother_tongue", "address"])
def test_a_nul_byte_in_a_survivors_text_is_422_and_stores_nothing(client, centre, field):
    response = _post(client, centre.admission, "/survivors", _survivor_body(**{field: NUL}))
    assert_error(response, 422, field)
    assert "Prueba" not in response.get_data(as_text=True)
    assert db.session.execute(text("SELECT count(*) FROM survivors")).scalar() == 0


def test_a_nul_byte_in_a_users_full_name_or_username_is_422(client, centre):
    body = {"username": "nueva.persona", "role": "mentor", "organization_id": str(centre.org.id),
            "full_name": NUL, "password": "una-clave-larga-de-prueba-1"}
    assert_error(_post(client, centre.admin, "/users", body), 422, "full_name")
    assert_error(_post(client, centre.admin, "/users", {**body, "full_name": "Ana", "username": "ana\u0000x"}),
                 422, "username")
    assert_error(client.post("/api/v1/auth/tokens", json={"username": "a\u0000b", "password": "x" * 12}),
                 422, "username")


def test_a_nul_byte_in_a_mandatory_reports_legal_basis_is_422(client, centre):
    case = centre.case()
    police = UserFactory(role="liaison", discipline=None).organization
    body = {"to_organization_id": str(police.id), "service_type": "complaint",
            "mandatory_report": {"legal_basis": "Ley 30364\u0000"}}
    assert_error(_post(client, centre.admission, f"/cases/{case.id}/referrals", body), 422, "mandatory_report.legal_basis")


@pytest.mark.parametrize("query", ["/audit?action=re%00ad", "/audit?entity_type=cases%00",
                                   "/deadline-rules?code=hiv%00"])
def test_a_nul_byte_in_a_query_parameter_is_422(client, centre, query):
    response = client.get(f"/api/v1{query}", headers=bearer(centre.supervisor))
    assert_error(response, 422, query.split("?")[1].split("=")[0])


def test_a_lone_surrogate_anywhere_in_a_body_is_422(client, centre):
    response = client.post("/api/v1/survivors", data=SURROGATE_BODY, content_type="application/json",
                           headers=bearer(centre.admission))
    assert_error(response, 422, "given_names")


def test_json_nested_100000_deep_is_a_4xx_not_a_500(client, centre):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/survivors", data=deep, content_type="application/json",
                           headers=bearer(centre.admission))
    assert_error(response, 422)
    nested = {"given_names": "Ana"}
    for _ in range(40):
        nested = {"x": nested}
    assert_error(_post(client, centre.admission, "/survivors", nested), 422)


@pytest.mark.parametrize("year", ["0001", "9999"])
def test_dates_outside_1900_2100_are_422_in_bodies(client, centre, year):
    case = centre.case()
    at = f"{year}-06-01T10:00:00-05:00"
    assert_error(_post(client, centre.admission, f"/cases/{case.id}/incidents", incident_body(occurred_at=at)),
                 422, "occurred_at")
    consent = {"recipient_sector": "health", "given_by": "survivor", "method": "written", "given_at": at}
    assert_error(_post(client, centre.admission, f"/cases/{case.id}/consents", consent), 422, "given_at")
    log = {"outcome": "rescheduled", "happened_at": "2026-03-02T10:00:00-05:00", "modality": "phone",
           "rescheduled_to": at}
    assert_error(_post(client, centre.admission, f"/visits/{uuid.uuid4()}/log", log), 422, "rescheduled_to")
    assert_error(_post(client, centre.admission, "/survivors", _survivor_body(birth_date=f"{year}-01-01")),
                 422, "birth_date")


@pytest.mark.parametrize("year", ["0001", "9999"])
@pytest.mark.parametrize("path, names", [
    ("/audit?since={d}T00:00:00%2B05:00", ["since"]),
    ("/visits?from={d}&to={d}", ["from", "to"]),
    ("/supervision/workload?from={d}&to={d}", ["from", "to"]),
    ("/reports/referral-timelines?from={d}&to={d}", ["from", "to"]),
])
def test_dates_outside_1900_2100_are_422_in_queries(client, centre, year, path, names):
    response = client.get("/api/v1" + path.format(d=f"{year}-01-01"), headers=bearer(centre.supervisor))
    assert_error(response, 422, *names)


@pytest.mark.parametrize("assignee", ["-" * 36, "a" * 36])
def test_a_visit_assignee_that_is_not_a_uuid_is_422(client, centre, assignee):
    response = client.get(f"/api/v1/visits?assignee={assignee}", headers=bearer(centre.supervisor))
    assert_error(response, 422, "assignee")


def test_good_input_still_passes(client, centre):
    response = _post(client, centre.admission, "/survivors", _survivor_body(given_names="Ana 😀 Ñandú"))
    assert response.status_code == 201, response.get_data(as_text=True)


def test_a_database_error_carries_no_values(app):
    canary = "CANARY-" + uuid.uuid4().hex
    with pytest.raises(DBAPIError) as caught:
        with db.engine.begin() as conn:
            # Too long for the column on PostgreSQL, a missing NOT NULL column on SQLite.
            conn.execute(text("INSERT INTO organizations (id, code) VALUES (:id, :code)"),
                         {"id": str(uuid.uuid4()), "code": canary * 20})
    assert canary not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
    assert json.dumps(str(caught.value))
