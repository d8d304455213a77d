"""The clock jumps (NTP step, VM resume, a wrong manual setting): tokens, lockouts and the
audit chain stay right in both directions."""

from __future__ import annotations

from datetime import timedelta

from caseflow.core.clock import frozen_time, utcnow
from caseflow.extensions import db
from tests.casework.factories import Centre
from tests.factories import PASSWORD
from tests.helpers import bearer
from tests.reliability.consistency import inconsistencies


def _login(client, username, password):
    return client.post("/api/v1/auth/tokens", json={"username": username, "password": password})


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


def test_a_lockout_survives_a_jump_back_and_ends_after_a_jump_forward(client):
    centre = Centre()
    username = centre.admission.username
    start = utcnow()
    with frozen_time(start):
        for _ in range(5):
            assert _login(client, username, "wrong-password").status_code == 401
        assert _login(client, username, PASSWORD).status_code == 401  # locked
    with frozen_time(start - timedelta(hours=3)):
        assert _login(client, username, PASSWORD).status_code == 401  # still locked
    with frozen_time(start + timedelta(minutes=16)):
        assert _login(client, username, PASSWORD).status_code == 201


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
