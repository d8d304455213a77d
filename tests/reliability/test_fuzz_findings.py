"""Regressions for what the API fuzzer found (docs/reliability.md lists them)."""

from __future__ import annotations

from testkit.api import bearer
from testkit.factories import UserFactory
from tests.helpers import assert_error


def test_a_malformed_assignee_filter_is_422_not_500(client):
    headers = bearer(UserFactory())
    response = client.get("/api/v1/cases?assigned_to=Cad000357aAF2Cf2CC6e660ec8-013c9Fa8E", headers=headers)
    assert_error(response, 422, "assigned_to")
    assert client.get("/api/v1/cases?assigned_to=me", headers=headers).status_code == 200


def test_the_spec_lets_a_user_who_never_logged_in_have_no_last_login(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["components"]["schemas"]["User"]["properties"]["last_login_at"].get("nullable") is True


def test_marking_every_notification_read_needs_no_body_and_the_spec_says_so(client):
    """Fuzzing (2026-12-02): the spec required a body that the route, by design, does without
    (no ``ids``: every unread one)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["paths"]["/api/v1/notifications/read"]["post"]["requestBody"].get("required") is not True
    response = client.post("/api/v1/notifications/read", headers=bearer(UserFactory()))
    assert response.status_code == 200 and response.get_json() == {"marked": 0}
