"""Issue 14's findings, each as the hostile insider tried it; every test here fails on the
code before the issue."""

from __future__ import annotations

import pyotp
from sqlalchemy import select

from caseflow.audit.models import AuditEntry
from caseflow.directory.models import User
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import PASSWORD, OrganizationFactory, UserFactory, make_case
from tests.auth.helpers import API, code_at, enrol, headers_for, token
from tests.helpers import assert_error


def _centre():
    cem = OrganizationFactory(sector="cem")
    admin = UserFactory(role="admin", discipline=None, organization=OrganizationFactory(sector="ngo"))
    supervisor = UserFactory(role="supervisor", discipline=None, organization=cem)
    return cem, admin, supervisor


def test_an_administrator_cannot_make_herself_a_supervisor(client):
    cem, admin, supervisor = _centre()
    make_case(supervisor)
    headers = bearer(admin)
    for change in ({"role": "supervisor"}, {"active": False}):
        assert_error(client.patch(f"{API}/users/{admin.id}", json=change, headers=headers), 403)
    db.session.expire_all()
    assert db.session.get(User, admin.id).role == "admin"
    assert_error(client.get(f"{API}/cases", headers=headers), 403)


def test_an_administrator_cannot_choose_a_caseworkers_password(client):
    cem, admin, supervisor = _centre()
    headers = bearer(admin)
    body = {"username": "nueva.trabajadora", "role": "caseworker", "discipline": "legal",
            "organization_id": str(cem.id)}
    assert_error(client.post(f"{API}/users", json={**body, "password": "admin-chosen-pass-1"}, headers=headers),
                 422, "password")
    assert db.session.scalar(select(User).where(User.username == "nueva.trabajadora")) is None
    created = client.post(f"{API}/users", json=body, headers=headers)
    assert created.status_code == 201
    answer = created.get_json()
    assert answer["activation_token"] and answer["activation_expires_at"] and answer["role_confirmed"] is False
    # The admin's token cannot be used as a password, and nobody can sign in before activation.
    assert token(client, "nueva.trabajadora", answer["activation_token"]).status_code == 401
    # Her reset is the same: a new activation token, never a password of the admin's choosing.
    assert_error(client.patch(f"{API}/users/{answer['id']}", json={"password": "admin-chosen-pass-1"},
                              headers=headers), 422, "password")


def test_five_wrong_passwords_from_someone_else_do_not_keep_her_out(client):
    worker = UserFactory()
    for _ in range(5):
        assert token(client, worker.username, "wrong-password-123", address="203.0.113.66").status_code == 401
    assert token(client, worker.username, address="198.51.100.4").status_code == 201


def test_wrong_passwords_never_lock_her_out(client):
    worker = UserFactory()
    for _ in range(20):
        assert token(client, worker.username, "wrong-password-123", address="203.0.113.66").status_code in (401, 429)
    # Before issue 14 five failures locked the account for everyone for 15 minutes; now a
    # guarded account still opens to a complete sign-in (password and second factor).
    with_factor = UserFactory()
    secret, _ = enrol(client, headers_for(token(client, with_factor.username)))
    for _ in range(20):
        token(client, with_factor.username, "wrong-password-123", address="203.0.113.66")
    assert token(client, with_factor.username, PASSWORD, code_at(secret, 1),
                 address="198.51.100.200").status_code == 201


def test_staff_cannot_list_usernames(client):
    worker = UserFactory()
    UserFactory(organization=worker.organization)
    assert_error(client.get(f"{API}/users", headers=bearer(worker)), 403)


def test_weak_passwords_are_refused_with_her_reason_in_spanish(client):
    cem, admin, _ = _centre()
    created = client.post(f"{API}/users", json={"username": "mentora.nueva", "role": "mentor",
                                                "organization_id": str(cem.id)}, headers=bearer(admin)).get_json()
    reasons = {"aaaaaaaaaaaa": "repetidos", " " * 12: "repetidos", "password1234": "más comunes",
               "abcdefghijkl": "secuencias", "corta": "al menos 12 caracteres",
               "mentora.nueva2026": "su usuario"}
    for weak, expected in reasons.items():
        body = assert_error(client.post(f"{API}/auth/activate", json={"token": created["activation_token"],
                                                                      "password": weak},
                                        headers={"Accept-Language": "es"}), 422, "password")
        reason = body["errors"]["password"][0]
        assert expected in reason.lower(), (weak, reason)
    db.session.expire_all()
    assert db.session.scalar(select(User.password_hash).where(User.username == "mentora.nueva")) is None


def test_the_cli_refuses_weak_passwords_too(runner):
    org = OrganizationFactory(code="CEM-CLI")
    result = runner.invoke(args=["users", "create", "--username", "debil", "--role", "mentor", "--org", org.code,
                                 "--password-stdin"], input="aaaaaaaaaaaa\n")
    assert result.exit_code == 1 and "password" in result.output


def test_a_second_factor_exists_and_a_replayed_code_is_refused(client):
    worker = UserFactory()
    secret, _ = enrol(client, headers_for(token(client, worker.username)))
    missing = assert_error(token(client, worker.username), 401)
    assert missing["mfa_required"] is True
    code = code_at(secret, 1)
    assert token(client, worker.username, otp=code).status_code == 201
    replay = assert_error(token(client, worker.username, otp=code), 401)
    assert replay["mfa_required"] is True
    assert db.session.scalar(select(AuditEntry.id).where(AuditEntry.action == "mfa_replay_refused")) is not None
    # The confirmation spent the current step, and a later step is now spent too.
    assert_error(token(client, worker.username, otp=pyotp.TOTP(secret).now()), 401)
