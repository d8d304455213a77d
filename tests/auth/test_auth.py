"""Login, lockout, tokens, sessions and CSRF, as a client experiences them."""

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from testkit.factories import PASSWORD, OrganizationFactory, UserFactory
from tests.helpers import assert_error

LOGIN = "/api/v1/auth/login"
TOKENS = "/api/v1/auth/tokens"
ME = "/api/v1/auth/me"


def _token(client, user, password=PASSWORD):
    return client.post(TOKENS, json={"username": user.username, "password": password})


def test_cookie_login_sets_a_protected_session_and_identifies_the_user(client):
    user = UserFactory()
    response = client.post(LOGIN, json={"username": user.username.upper(), "password": PASSWORD})
    assert response.status_code == 200
    body = response.get_json()
    assert body["username"] == user.username and body["role"] == "caseworker"
    assert body["csrf_token"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get(ME).get_json()["id"] == str(user.id)


def test_wrong_password_and_unknown_user_get_the_same_answer(client):
    user = UserFactory()
    wrong = client.post(LOGIN, json={"username": user.username, "password": "not-the-password"})
    unknown = client.post(LOGIN, json={"username": "nobody-here", "password": "not-the-password"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_bearer_token_expires(client, app):
    user = UserFactory()
    start = utcnow()
    with frozen_time(start):
        token = _token(client, user).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    hours = app.config["CASEFLOW_TOKEN_TTL_HOURS"]
    with frozen_time(start + timedelta(hours=hours) - timedelta(minutes=1)):
        assert client.get(ME, headers=headers).status_code == 200
    with frozen_time(start + timedelta(hours=hours, minutes=1)):
        assert_error(client.get(ME, headers=headers), 401)


def test_revoked_bearer_token_stops_working(client):
    token = _token(client, UserFactory()).get_json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/tokens/current", headers=headers).status_code == 204
    assert_error(client.get(ME, headers=headers), 401)


def test_tokens_are_stored_hashed(client, app):
    from caseflow.auth.models import AuthToken
    from caseflow.extensions import db

    token = _token(client, UserFactory()).get_json()["token"]
    stored = [t.token_hash for t in db.session.query(AuthToken)]
    assert token not in stored and len(stored) == 1


def test_garbage_bearer_token_is_401_not_a_cookie_fallback(client):
    user = UserFactory()
    client.post(LOGIN, json={"username": user.username, "password": PASSWORD})
    assert_error(client.get(ME, headers={"Authorization": "Bearer nonsense"}), 401)
    assert_error(client.get(ME, headers={"Authorization": "Basic abc"}), 401)


def test_logout_revokes_the_session_on_the_server(client):
    user = UserFactory()
    login = client.post(LOGIN, json={"username": user.username, "password": PASSWORD})
    stolen_cookie = client.get_cookie("caseflow_session").value
    csrf = login.get_json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert_error(client.get(ME), 401)
    # Replaying the old cookie does not bring the session back.
    client.set_cookie("caseflow_session", stolen_cookie)
    assert_error(client.get(ME), 401)


def test_login_replaces_any_previous_session(client):
    first, second = UserFactory(), UserFactory()
    client.post(LOGIN, json={"username": first.username, "password": PASSWORD})
    before = client.get_cookie("caseflow_session").value
    client.post(LOGIN, json={"username": second.username, "password": PASSWORD})
    assert client.get_cookie("caseflow_session").value != before
    assert client.get(ME).get_json()["id"] == str(second.id)


def test_cookie_writes_need_the_csrf_token_but_bearer_writes_do_not(client):
    org = OrganizationFactory()
    admin = UserFactory(role="admin", discipline=None, organization=org)
    csrf = client.post(LOGIN, json={"username": admin.username, "password": PASSWORD}).get_json()["csrf_token"]
    payload = {"code": "NEW-ORG", "name": "Nueva", "sector": "health"}
    assert_error(client.post("/api/v1/organizations", json=payload), 403)
    assert_error(client.post("/api/v1/organizations", json=payload, headers={"X-CSRF-Token": "forged"}), 403)
    assert client.post("/api/v1/organizations", json=payload, headers={"X-CSRF-Token": csrf}).status_code == 201

    token = _token(client.application.test_client(), admin).get_json()["token"]
    bearer_client = client.application.test_client()
    response = bearer_client.post("/api/v1/organizations", json={**payload, "code": "OTHER-ORG"},
                                  headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201


def test_deactivating_an_account_ends_its_tokens(client):
    org = OrganizationFactory()
    admin = UserFactory(role="admin", discipline=None, organization=org)
    worker = UserFactory(organization=org)
    admin_token = _token(client, admin).get_json()["token"]
    worker_token = _token(client, worker).get_json()["token"]
    response = client.patch(f"/api/v1/users/{worker.id}", json={"active": False},
                            headers={"Authorization": f"Bearer {admin_token}"})
    assert response.status_code == 200
    assert_error(client.get(ME, headers={"Authorization": f"Bearer {worker_token}"}), 401)
    assert _token(client, worker).status_code == 401


def test_every_api_route_but_login_needs_authentication(client, app):
    open_paths = {"/api/v1/auth/login", "/api/v1/auth/tokens", "/api/v1/auth/activate", "/api/v1/openapi.json"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1") or rule.rule in open_paths or "ics" in rule.rule:
            continue
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "00000000-0000-4000-8000-000000000000")
            path = path.replace(f"<uuid:{argument}>", "00000000-0000-4000-8000-000000000000")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(path, method=method, json={})
            assert response.status_code == 401, (method, rule.rule, response.status_code)
