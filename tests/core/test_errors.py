"""Bad input: a clear 4xx in the contract's shape, nothing written, nothing echoed."""

import pytest
from sqlalchemy import func, select

from caseflow.extensions import db
from caseflow.survivors.models import Survivor
from testkit.api import bearer
from testkit.factories import UserFactory, survivor_values
from tests.helpers import assert_error

CANARY = "Canarito Zyxwv"


def _count():
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Survivor))


@pytest.fixture
def worker_headers():
    return bearer(UserFactory())


def _body(**overrides):
    values = survivor_values(**{"given_names": CANARY, **overrides})
    if hasattr(values["birth_date"], "isoformat"):
        values["birth_date"] = values["birth_date"].isoformat()
    return values


@pytest.mark.parametrize("overrides, field", [
    ({"given_names": 12}, "given_names"),
    ({"document_type": "PASSPORTX"}, "document_type"),
    ({"birth_date": "31/12/1990"}, "birth_date"),
    ({"birth_date": "2999-01-01"}, "birth_date"),
    ({"address": "x" * 301}, "address"),
    ({"district": "Lima"}, "district"),
    ({"unexpected": "value"}, "unexpected"),
    ({"document_type": "NONE"}, "document_number"),
    ({"document_type": "DNI", "document_number": "..."}, "document_number"),
])
def test_invalid_survivor_is_422_and_nothing_is_written(client, worker_headers, overrides, field):
    before = _count()
    sent = _body(**overrides)
    response = client.post("/api/v1/survivors", json=sent, headers=worker_headers)
    assert_error(response, 422, field)
    text = response.get_data(as_text=True)
    for sensitive in ("given_names", "family_names", "phone", "address", "document_number", "safe_contact"):
        if isinstance(sent.get(sensitive), str) and len(sent[sensitive]) > 4:
            assert sent[sensitive] not in text
    assert _count() == before


def test_malformed_json_is_400(client, worker_headers):
    response = client.post("/api/v1/survivors", data='{"given_names": ', headers={
        **worker_headers, "Content-Type": "application/json"})
    assert_error(response, 400)


def test_oversized_body_is_413(client, worker_headers):
    response = client.post("/api/v1/survivors", data="x" * (2 * 1024 * 1024), headers={
        **worker_headers, "Content-Type": "application/json"})
    assert_error(response, 413)


def test_unknown_route_and_wrong_method_answer_json(client, worker_headers):
    assert_error(client.get("/api/v1/nothing-here", headers=worker_headers), 404)
    assert_error(client.get("/favicon.ico"), 404)
    assert_error(client.delete("/api/v1/survivors", headers=worker_headers), 405)


def test_invalid_uuid_in_path_is_404(client, worker_headers):
    assert_error(client.get("/api/v1/cases/not-a-uuid", headers=worker_headers), 404)
    assert_error(client.get("/api/v1/survivors/1234", headers=worker_headers), 404)


def test_invalid_query_values_are_422(client, worker_headers):
    assert_error(client.get("/api/v1/cases?per_page=1000", headers=worker_headers), 422, "per_page")
    assert_error(client.get("/api/v1/cases?page=0", headers=worker_headers), 422, "page")
    assert_error(client.get("/api/v1/cases?status=maybe", headers=worker_headers), 422, "status")
    assert_error(client.get("/api/v1/survivors?document_number=123", headers=worker_headers), 422, "document_number")


def test_messages_are_spanish_by_default_and_english_on_request(client, worker_headers):
    spanish = client.post("/api/v1/cases", json={}, headers=worker_headers).get_json()
    english = client.post("/api/v1/cases", json={}, headers={**worker_headers, "Accept-Language": "en"}).get_json()
    assert spanish["message"] == "Los datos enviados no son válidos."
    assert spanish["errors"]["priority"] == ["Falta este campo obligatorio."]
    assert english["message"] == "The data sent is not valid."
    assert english["errors"]["priority"] == ["Missing data for required field."]


def test_no_html_or_traceback_ever(client, worker_headers):
    for response in (
        client.get("/api/v1/nothing", headers=worker_headers),
        client.post("/api/v1/cases", data="<xml/>", headers={**worker_headers, "Content-Type": "application/xml"}),
        client.post("/api/v1/cases", json=[1, 2, 3], headers=worker_headers),
        client.post("/api/v1/cases", json="just a string", headers=worker_headers),
    ):
        assert response.is_json, response.get_data(as_text=True)
        assert 400 <= response.status_code < 500
        assert "Traceback" not in response.get_data(as_text=True)


def test_a_405_names_the_allowed_methods(client):
    """RFC 9110 (and schemathesis' unsupported_method check): a 405 carries ``Allow``."""
    response = client.open("/api/v1/instruments", method="TRACE")
    assert response.status_code == 405 and response.get_json()["status"] == 405
    assert "GET" in response.headers["Allow"]
