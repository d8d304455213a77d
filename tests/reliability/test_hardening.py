"""Hardening: headers, session fixation, lockout under concurrency, size limits, injection
and traversal probes in every string parameter of the spec, and login timing."""

from __future__ import annotations

import statistics
import threading
import time

from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import PASSWORD, UserFactory

SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
                    "Cache-Control": "no-store"}


def test_security_headers_on_answers_errors_and_unknown_paths(client):
    worker = UserFactory()
    headers = bearer(worker)
    for response in (client.get("/api/v1/auth/me", headers=headers), client.get("/api/v1/cases/not-a-uuid", headers=headers),
                     client.get("/nowhere"), client.post("/api/v1/auth/tokens", json={}),
                     client.get("/api/v1/openapi.json")):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.path, name)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_session_cookie_from_before_login_never_becomes_authenticated(client):
    worker = UserFactory()
    credentials = {"username": worker.username, "password": PASSWORD}
    assert client.post("/api/v1/auth/login", json=credentials).status_code == 200
    planted = client.get_cookie("caseflow_session").value
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": client.get("/api/v1/auth/me").get_json()["csrf_token"]}).status_code == 204
    client.set_cookie("caseflow_session", planted)  # an attacker's fixed cookie, replayed
    assert client.get("/api/v1/auth/me").status_code == 401
    assert client.post("/api/v1/auth/login", json=credentials).status_code == 200
    assert client.get_cookie("caseflow_session").value != planted


def test_parallel_wrong_passwords_are_all_counted_by_the_throttle(app):
    """No lost count: ten simultaneous failures from one address are ten rows of the
    throttle's shared state, so the next attempt from there waits (429), while the owner
    from another address still signs in (issue 14: a throttle, never a lock)."""
    from caseflow.auth.models import SignInAttempt

    username = UserFactory().username
    # Her own computer, where she signed in before (she has no second factor: see docs/security.md).
    assert app.test_client().post("/api/v1/auth/tokens", json={"username": username, "password": PASSWORD},
                                  environ_base={"REMOTE_ADDR": "198.51.100.7"}).status_code == 201
    db.session.remove()  # this thread holds no transaction (SQLite's write lock) while they run
    barrier = threading.Barrier(10)
    statuses = []

    def attempt():
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/api/v1/auth/tokens", json={"username": username, "password": "wrong-password"},
                                    environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code)

    threads = [threading.Thread(target=attempt) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [401] * 10
    db.session.remove()
    assert db.session.query(SignInAttempt).filter_by(succeeded=False).count() == 10
    again = app.test_client().post("/api/v1/auth/tokens", json={"username": username, "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "203.0.113.9"})
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 0
    owner = app.test_client().post("/api/v1/auth/tokens", json={"username": username, "password": PASSWORD},
                                   environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert owner.status_code == 201


def test_oversized_bodies_and_long_query_strings_answer_json(client):
    headers = bearer(UserFactory())
    too_big = client.post("/api/v1/survivors", data="x" * (1024 * 1024 + 1), content_type="application/json",
                          headers=headers)
    assert too_big.status_code == 413 and too_big.is_json
    long_query = client.get("/api/v1/survivors?name=" + "a" * 7000, headers=headers)
    assert long_query.status_code in (200, 422) and long_query.is_json


def test_failed_logins_take_as_long_for_unknown_and_existing_usernames(app, client):
    """Timing does not tell an attacker which usernames exist: the medians are compared with
    each other (never with a fixed number of milliseconds), with real argon2 costs."""
    app.config.update(CASEFLOW_ARGON2_TIME_COST=2, CASEFLOW_ARGON2_MEMORY_KIB=16384)
    app.extensions.pop("caseflow_dummy_hash", None)
    try:
        from caseflow.auth.passwords import hash_password

        worker = UserFactory(password_hash=hash_password(PASSWORD))
        username = worker.username
        db.session.remove()
        timings = {"existing": [], "unknown": []}
        from caseflow.auth.models import SignInAttempt

        for n in range(24):  # interleaved; the throttle's state is cleared before it would answer 429
            for kind, name in (("existing", username if n % 4 else username.upper()), ("unknown", f"nobody{n}")):
                if kind == "existing" and n and n % 4 == 0:
                    db.session.execute(db.delete(SignInAttempt))
                    db.session.commit()
                started = time.perf_counter()
                response = client.post("/api/v1/auth/tokens", json={"username": name, "password": "wrong-password"})
                timings[kind].append(time.perf_counter() - started)
                assert response.status_code == 401
        existing, unknown = (statistics.median(timings[k]) for k in ("existing", "unknown"))
        assert abs(existing - unknown) < 0.35 * max(existing, unknown), timings
    finally:
        app.config.update(CASEFLOW_ARGON2_TIME_COST=1, CASEFLOW_ARGON2_MEMORY_KIB=64)
        app.extensions.pop("caseflow_dummy_hash", None)
