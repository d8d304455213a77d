"""Signing in as a client does it: password, second factor, addresses."""

from __future__ import annotations

import time

import pyotp

from testkit.factories import PASSWORD

API = "/api/v1"
TOKENS = f"{API}/auth/tokens"
LOGIN = f"{API}/auth/login"


def token(client, username, password=PASSWORD, otp=None, address="192.0.2.10"):
    body = {"username": username, "password": password}
    if otp is not None:
        body["otp"] = otp
    return client.post(TOKENS, json=body, environ_base={"REMOTE_ADDR": address})


def headers_for(response) -> dict:
    assert response.status_code == 201, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def enrol(client, headers) -> tuple[str, list[str]]:
    """Enrol and confirm a TOTP factor; returns the secret (as her app keeps it) and her codes.
    The current step's code is spent by the confirmation: sign in with :func:`code_at`."""
    started = client.post(f"{API}/auth/mfa/totp", headers=headers)
    assert started.status_code == 201, started.get_data(as_text=True)
    secret = started.get_json()["secret"]
    confirmed = client.post(f"{API}/auth/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()}, headers=headers)
    assert confirmed.status_code == 200, confirmed.get_data(as_text=True)
    return secret, confirmed.get_json()["recovery_codes"]


def code_at(secret: str, steps_ahead: int) -> str:
    """Her app's code for a later 30-second step (accepted within the one-step window)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)
