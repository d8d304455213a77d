"""Bad input on every account route: the contract's JSON 4xx, and nothing changed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseflow.auth.models import AuthToken, RecoveryCode
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from testkit.factories import UserFactory
from tests.auth.helpers import API, enrol, headers_for, token

NOT_JSON = object()
BAD = [
    ("post", "/auth/login", {"username": "x", "password": "y", "otp": "<script>"}),
    ("post", "/auth/tokens", {"username": ["x"], "password": "y"}),
    ("post", "/auth/tokens", {"username": "x", "password": "y", "otp": 123456}),
    ("post", "/auth/activate", {"token": "x" * 500, "password": "a long enough phrase 2026"}),
    ("post", "/auth/activate", {"password": "a long enough phrase 2026"}),
    ("post", "/auth/activate", NOT_JSON),
    ("post", "/auth/password", {"current_password": "x", "new_password": 12}),
    ("post", "/auth/password", {"new_password": "a long enough phrase 2026"}),
    # Longer than the strength estimator's own limit (72 characters): was a 500 (fuzzing).
    ("post", "/auth/password", {"current_password": "x", "otp": "000000",
                                "new_password": "una frase larga de prueba con palabras sueltas " * 3}),
    ("post", "/auth/activate", {"token": "x" * 40, "password": "ñandú " * 30}),
    ("post", "/auth/reauthenticate", {"password": None}),
    ("post", "/auth/mfa/totp/confirm", {"code": "12345a"}),
    ("post", "/auth/mfa/totp/confirm", {"code": "1234567"}),
    ("post", "/auth/mfa/totp/confirm", NOT_JSON),
    ("post", "/auth/mfa/recovery-codes", {"otp": "123456"}),
    ("delete", "/auth/mfa/totp", {"password": "x", "extra": True}),
    ("delete", "/auth/sessions/not-a-uuid", None),
    ("delete", "/auth/sessions/00000000-0000-4000-8000-000000000000", None),
    ("post", "/users/not-a-uuid/reset", None),
    ("post", "/users/00000000-0000-4000-8000-000000000000/reset", None),
    ("post", "/users/00000000-0000-4000-8000-000000000000/confirm", None),
    ("post", "/users", {"username": "nueva.x", "role": "mentor", "organization_id": "x", "password": "a" * 12}),
    ("patch", "/users/{me}", {"role": "supervisor"}),
]


def _state():
    users = db.session.execute(select(User.id, User.role, User.password_hash, User.totp_secret, User.totp_last_step,
                                      User.activation_hash, User.role_confirmed, User.active)
                               .order_by(User.id)).all()
    tokens = db.session.execute(select(AuthToken.id, AuthToken.revoked_at, AuthToken.authenticated_at)
                                .order_by(AuthToken.id)).all()
    codes = db.session.execute(select(RecoveryCode.id, RecoveryCode.used_at).order_by(RecoveryCode.id)).all()
    return users, tokens, codes, db.session.query(OutboxMessage).count()


@pytest.mark.parametrize("method,path,body", BAD, ids=[f"{m} {p} {i}" for i, (m, p, _) in enumerate(BAD)])
def test_bad_input_is_a_json_4xx_and_changes_nothing(client, method, path, body):
    supervisor = UserFactory(role="admin", discipline=None)
    headers = headers_for(token(client, supervisor.username))
    enrol(client, headers)
    db.session.expire_all()
    before = _state()
    kwargs = {"headers": headers}
    if body is NOT_JSON:
        kwargs.update(data="{not json", content_type="application/json")
    elif body is not None:
        kwargs["json"] = body
    response = getattr(client, method)(API + path.format(me=supervisor.id), **kwargs)
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True))
    payload = response.get_json()
    assert payload["status"] == response.status_code and payload["message"]
    db.session.expire_all()
    assert _state() == before
