"""TOTP enrolment, recovery codes, the required-roles rule and the operator's reset."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.auth.models import RecoveryCode
from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from testkit.api import bearer
from testkit.factories import PASSWORD, UserFactory
from tests.auth.helpers import API, code_at, enrol, headers_for, token
from tests.helpers import assert_error


def test_enrolment_gives_a_qr_code_and_the_secret_is_sealed_and_never_shown_again(client, app):
    worker = UserFactory()
    headers = headers_for(token(client, worker.username))
    started = client.post(f"{API}/auth/mfa/totp", headers=headers).get_json()
    assert started["otpauth_uri"].startswith("otpauth://totp/") and started["qr_svg"].startswith("<svg")
    secret = started["secret"]
    stored = db.session.scalar(select(User.totp_secret).where(User.id == worker.id))
    assert secret.encode() not in stored
    # Sealed under the keyring: the application's secret key alone does not open it.
    assert app.config["SECRET_KEY"].encode() not in stored
    codes = client.post(f"{API}/auth/mfa/totp/confirm", json={"code": pyotp.TOTP(secret).now()},
                        headers=headers).get_json()["recovery_codes"]
    assert len(codes) == 10 == len(set(codes))
    digests = db.session.scalars(select(RecoveryCode.code_digest).where(RecoveryCode.user_id == worker.id)).all()
    assert not set(codes) & set(digests) and len(digests) == 10
    for path in ("/auth/me", f"/users/{worker.id}"):
        body = client.get(API + path, headers=headers).get_data(as_text=True)
        assert secret not in body and "otpauth" not in body
    # A second enrolment cannot overwrite it.
    assert_error(client.post(f"{API}/auth/mfa/totp", headers=headers), 409)


def test_each_recovery_code_works_once(client):
    worker = UserFactory()
    _, codes = enrol(client, headers_for(token(client, worker.username)))
    assert token(client, worker.username, otp=codes[0]).status_code == 201
    assert token(client, worker.username, otp=codes[0].upper().replace("-", " ")).status_code == 401
    assert token(client, worker.username, otp=codes[1]).status_code == 201
    used = db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "mfa_recovery_code_used")).all()
    assert len(used) == 2


def test_new_recovery_codes_replace_the_old_and_need_password_and_code(client):
    worker = UserFactory()
    headers = headers_for(token(client, worker.username))
    secret, old = enrol(client, headers)
    assert_error(client.post(f"{API}/auth/mfa/recovery-codes", json={"password": PASSWORD}, headers=headers), 401)
    new = client.post(f"{API}/auth/mfa/recovery-codes", json={"password": PASSWORD, "otp": code_at(secret, 1)},
                      headers=headers)
    assert new.status_code == 200 and not set(new.get_json()["recovery_codes"]) & set(old)
    assert token(client, worker.username, otp=old[0]).status_code == 401
    assert token(client, worker.username, otp=new.get_json()["recovery_codes"][0]).status_code == 201


def test_she_is_told_when_her_factor_changes_and_can_remove_it_where_not_required(client):
    worker = UserFactory()
    headers = headers_for(token(client, worker.username))
    secret, _ = enrol(client, headers)
    assert_error(client.delete(f"{API}/auth/mfa/totp", json={"password": "wrong-password-123"}, headers=headers), 401)
    assert client.delete(f"{API}/auth/mfa/totp", json={"password": PASSWORD, "otp": code_at(secret, 1)},
                         headers=headers).status_code == 204
    topics = db.session.scalars(select(OutboxMessage.topic).where(OutboxMessage.recipient_id == worker.id)).all()
    assert sorted(topics) == ["mfa_enabled", "mfa_removed"]
    shown = client.get(f"{API}/notifications", headers={**headers, "Accept-Language": "es"})
    assert "segundo factor" in shown.get_data(as_text=True)
    assert token(client, worker.username).status_code == 201  # no factor any more


def test_required_roles_may_only_enrol_until_they_have_a_factor(client, app):
    app.config["CASEFLOW_MFA_REQUIRED_ROLES"] = frozenset({"caseworker"})
    try:
        worker = UserFactory()
        headers = headers_for(token(client, worker.username))
        refused = assert_error(client.get(f"{API}/cases", headers=headers), 403)
        assert refused["mfa_enrollment_required"] is True
        assert client.get(f"{API}/auth/me", headers=headers).get_json()["mfa_enrollment_required"] is True
        secret, _ = enrol(client, headers)
        assert client.get(f"{API}/cases", headers=headers).status_code == 200
        assert_error(client.delete(f"{API}/auth/mfa/totp", json={"password": PASSWORD, "otp": code_at(secret, 1)},
                                   headers=headers), 403)
        # A role the setting does not name is not asked.
        assert client.get(f"{API}/visits", headers=bearer(UserFactory(role="mentor", discipline=None))).status_code == 200
    finally:
        app.config["CASEFLOW_MFA_REQUIRED_ROLES"] = frozenset()


def test_required_roles_default_to_every_role_in_production_only():
    from caseflow.config import ROLES, build_config

    assert build_config({"CASEFLOW_ENV": "production"})["CASEFLOW_MFA_REQUIRED_ROLES"] == frozenset(ROLES)
    for env in ("development", "testing"):
        assert build_config({"CASEFLOW_ENV": env})["CASEFLOW_MFA_REQUIRED_ROLES"] == frozenset()
    assert build_config({"CASEFLOW_ENV": "development", "CASEFLOW_MFA_REQUIRED_ROLES": "admin, supervisor"}
                        )["CASEFLOW_MFA_REQUIRED_ROLES"] == {"admin", "supervisor"}


def test_the_operator_resets_a_lost_factor(client, runner):
    worker = UserFactory()
    headers = headers_for(token(client, worker.username))
    enrol(client, headers)
    result = runner.invoke(args=["users", "reset-mfa", "--username", worker.username.upper()])
    assert result.exit_code == 0, result.output
    assert_error(client.get(f"{API}/auth/me", headers=headers), 401)  # her sessions ended too
    assert token(client, worker.username).status_code == 201
    assert db.session.scalar(select(AuditEntry.actor_kind).where(AuditEntry.action == "mfa_reset")) == "system:users reset-mfa"
    assert runner.invoke(args=["users", "reset-mfa", "--username", "nobody"]).exit_code == 1


def test_a_secret_copied_from_another_account_is_refused_not_a_500(client):
    """The sealed TOTP secret is bound to its owner (her user id): copied by hand into
    another account, it opens for nobody; her codes are refused like wrong ones and her
    recovery codes still let her in."""
    owner, other = UserFactory(), UserFactory()
    secret, _ = enrol(client, headers_for(token(client, owner.username)))
    _, other_codes = enrol(client, headers_for(token(client, other.username)))
    stolen = db.session.scalar(select(User.totp_secret).where(User.id == owner.id))
    db.session.execute(User.__table__.update().where(User.__table__.c.id == other.id).values(totp_secret=stolen))
    db.session.commit()
    answer = token(client, other.username, otp=code_at(secret, 1))
    assert answer.status_code == 401, answer.get_data(as_text=True)
    assert token(client, other.username, otp=other_codes[0]).status_code == 201
