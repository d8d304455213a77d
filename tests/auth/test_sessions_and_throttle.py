"""Her sessions (see, end, idle limit, ended by a password change), signing in again before
sensitive operations, and the throttle that cannot keep her out."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.auth.models import SignInAttempt
from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from testkit.factories import PASSWORD, UserFactory, make_survivor
from tests.auth.helpers import API, LOGIN, code_at, enrol, headers_for, token
from tests.helpers import assert_error

NEW_PASSWORD = "a new phrase she chose 2026"


def test_fifty_guesses_from_another_address_leave_her_password_and_totp_working(client):
    worker = UserFactory()
    secret, _ = enrol(client, headers_for(token(client, worker.username)))
    answers = [token(client, worker.username, f"guess-number-{n}-xyz", otp="123456", address="203.0.113.50")
               for n in range(50)]
    assert {a.status_code for a in answers} <= {401, 429}
    throttled = [a for a in answers if a.status_code == 429]
    assert len(throttled) >= 40 and all(int(a.headers["Retry-After"]) > 0 for a in throttled)
    # Ten guesses in the quarter hour reached her password at all; the rest were turned away
    # before it was checked (and audited as throttled).
    assert db.session.query(SignInAttempt).filter_by(succeeded=False).count() == 10
    assert token(client, worker.username, PASSWORD, code_at(secret, 1), address="198.51.100.23").status_code == 201
    # From the guessing address nothing gets through, even the right answer, until it waits.
    assert token(client, worker.username, PASSWORD, code_at(secret, 2), address="203.0.113.50").status_code == 429


def test_a_guarded_account_answers_every_incomplete_attempt_alike(client):
    worker = UserFactory()
    secret, _ = enrol(client, headers_for(token(client, worker.username)))
    for n in range(10):
        token(client, worker.username, f"guess-{n}-abcdefgh", address=f"203.0.113.{n + 1}")
    right_password_only = token(client, worker.username, PASSWORD, address="203.0.113.99")
    wrong_password = token(client, worker.username, "still-not-it-123", address="203.0.113.98")
    assert right_password_only.status_code == wrong_password.status_code == 429
    assert right_password_only.get_json() == wrong_password.get_json()


def test_the_throttle_window_passes(client):
    worker = UserFactory()
    start = utcnow()
    with frozen_time(start):
        for _ in range(10):
            token(client, worker.username, "wrong-password-123", address="203.0.113.7")
        assert token(client, worker.username, address="203.0.113.7").status_code == 429
    with frozen_time(start + timedelta(minutes=15, seconds=1)):
        assert token(client, worker.username, address="203.0.113.7").status_code == 201


def test_an_address_guessing_at_many_accounts_is_throttled_alone(client):
    people = [UserFactory() for _ in range(6)]
    for person in people:
        for _ in range(9):
            token(client, person.username, "wrong-password-123", address="203.0.113.200")
    assert token(client, people[0].username, address="203.0.113.200").status_code == 429
    assert token(client, people[0].username, address="198.51.100.1").status_code == 201


def test_she_sees_and_ends_her_sessions_and_tokens(client):
    worker = UserFactory()
    first = headers_for(token(client, worker.username))
    second = headers_for(token(client, worker.username))
    listed = client.get(f"{API}/auth/sessions", headers=first).get_json()["items"]
    assert len(listed) == 2 and [s["current"] for s in listed].count(True) == 1
    assert {"id", "kind", "created_at", "expires_at", "current"} <= set(listed[0])
    other = next(s for s in listed if not s["current"])
    assert client.delete(f"{API}/auth/sessions/{other['id']}", headers=first).status_code == 204
    assert_error(client.get(f"{API}/auth/me", headers=second), 401)
    # Another person's session is not found.
    stranger = headers_for(token(client, UserFactory().username))
    mine = client.get(f"{API}/auth/sessions", headers=first).get_json()["items"][0]["id"]
    assert_error(client.delete(f"{API}/auth/sessions/{mine}", headers=stranger), 404)
    assert client.get(f"{API}/auth/me", headers=first).status_code == 200


def test_an_idle_cookie_session_ends(client, app):
    worker = UserFactory()
    start = utcnow()
    idle = app.config["CASEFLOW_SESSION_IDLE_MINUTES"]
    with frozen_time(start):
        assert client.post(LOGIN, json={"username": worker.username, "password": PASSWORD}).status_code == 200
    with frozen_time(start + timedelta(minutes=idle - 1)):
        assert client.get(f"{API}/auth/me").status_code == 200  # a request keeps it alive
    with frozen_time(start + timedelta(minutes=2 * idle - 2)):
        assert client.get(f"{API}/auth/me").status_code == 200
    with frozen_time(start + timedelta(minutes=3 * idle)):
        assert_error(client.get(f"{API}/auth/me"), 401)


def test_changing_her_password_ends_her_other_sessions_and_tells_her(client):
    worker = UserFactory()
    kept = headers_for(token(client, worker.username))
    other = headers_for(token(client, worker.username))
    assert_error(client.post(f"{API}/auth/password", json={"current_password": "not-it-123456",
                                                           "new_password": NEW_PASSWORD}, headers=kept), 401)
    assert_error(client.post(f"{API}/auth/password", json={"current_password": PASSWORD,
                                                           "new_password": "aaaaaaaaaaaa"}, headers=kept),
                 422, "new_password")
    assert client.get(f"{API}/auth/me", headers=other).status_code == 200  # nothing changed yet
    assert client.post(f"{API}/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
                       headers=kept).status_code == 204
    assert_error(client.get(f"{API}/auth/me", headers=other), 401)
    assert client.get(f"{API}/auth/me", headers=kept).status_code == 200
    assert token(client, worker.username, NEW_PASSWORD).status_code == 201
    assert db.session.scalar(select(OutboxMessage.topic).where(OutboxMessage.recipient_id == worker.id)) \
        == "password_changed"


def test_export_asks_her_to_sign_in_again_after_five_minutes(client):
    supervisor = UserFactory(role="supervisor", discipline=None)
    survivor = make_survivor(supervisor)
    start = utcnow()
    with frozen_time(start):
        headers = headers_for(token(client, supervisor.username))
    with frozen_time(start + timedelta(minutes=6)):
        refused = assert_error(client.get(f"{API}/survivors/{survivor.id}/export", headers=headers), 403)
        assert refused["reauth_required"] is True
        assert_error(client.post(f"{API}/survivors/{survivor.id}/erase", json={"reason": "survivor_request"},
                                 headers=headers), 403)
        assert_error(client.post(f"{API}/auth/reauthenticate", json={"password": "wrong-password-123"},
                                 headers=headers), 401)
        assert client.post(f"{API}/auth/reauthenticate", json={"password": PASSWORD},
                           headers=headers).status_code == 204
        assert client.get(f"{API}/survivors/{survivor.id}/export", headers=headers).status_code == 200
