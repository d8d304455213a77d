"""The clock jumps (NTP step, VM resume, a wrong manual setting): tokens, the sign-in throttle and the
audit chain stay right in both directions."""

from __future__ import annotations

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import PASSWORD, Centre
from tests.reliability.consistency import inconsistencies


def test_a_jump_forward_expires_tokens_and_a_jump_back_does_not_revive_a_revoked_one(client):
    centre = Centre()
    start = utcnow()
    with frozen_time(start):
        headers = bearer(centre.admission, hours=1)
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    with frozen_time(start + timedelta(hours=2)):
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    with frozen_time(start - timedelta(days=1)):
        # Back before it expired: a token is valid until its expiry, whatever the clock did.
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
        assert client.delete("/api/v1/auth/tokens/current", headers=headers).status_code == 204
    with frozen_time(start - timedelta(days=2)):
        assert client.get("/api/v1/auth/me", headers=headers).status_code == 401


def test_the_sign_in_throttle_survives_a_jump_back_and_ends_after_a_jump_forward(client):
    centre = Centre()
    username = centre.admission.username
    address = {"REMOTE_ADDR": "203.0.113.77"}

    def login(password):
        return client.post("/api/v1/auth/tokens", json={"username": username, "password": password},
                           environ_base=address)

    start = utcnow()
    with frozen_time(start):
        for _ in range(10):
            assert login("wrong-password").status_code == 401
        assert login(PASSWORD).status_code == 429  # throttled
    with frozen_time(start - timedelta(hours=3)):
        assert login(PASSWORD).status_code == 429  # still throttled
    with frozen_time(start + timedelta(minutes=16)):
        assert login(PASSWORD).status_code == 201


def test_writes_around_a_jump_back_keep_the_audit_chain_and_case_history_whole(client):
    centre = Centre()
    start = utcnow()
    with frozen_time(start):
        centre.case()
    with frozen_time(start - timedelta(hours=6)):
        centre.case()
    with frozen_time(start + timedelta(days=1)):
        centre.case()
    db.session.remove()
    assert inconsistencies() == []
