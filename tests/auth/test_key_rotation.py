"""Staff's TOTP secrets are sealed under a KEK: a rotation reseals them, and the old KEK is
not retired while it still seals one."""

from __future__ import annotations

from caseflow.keys import rotation
from testkit.factories import UserFactory
from tests.auth.helpers import code_at, enrol, headers_for, token
from tests.keys.conftest import ring_file  # noqa: F401  (the fixture)


def test_rotation_reseals_totp_secrets_and_retirement_waits_for_them(app, ring_file, runner, client):  # noqa: F811
    worker = UserFactory()
    secret, _ = enrol(client, headers_for(token(client, worker.username)))
    rotation.add_kek_version()
    result = runner.invoke(args=["crypto", "retire-kek", "k1"])
    assert result.exit_code == 1 and "TOTP" in result.output
    assert runner.invoke(args=["crypto", "rotate-kek", "--resume", "--grace", "0"]).exit_code == 0
    from caseflow.auth.mfa import secrets_per_kek

    assert secrets_per_kek() == {"k2": 1}
    assert runner.invoke(args=["crypto", "retire-kek", "k1"]).exit_code == 0
    assert token(client, worker.username, otp=code_at(secret, 1)).status_code == 201
