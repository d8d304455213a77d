"""Backups: ciphertext only, never the keys, and a byte-for-byte round trip."""

from __future__ import annotations

import base64
import os

from caseflow.crypto.keys import keyring
from caseflow.extensions import db
from testkit.factories import UserFactory, make_case
from tests.keys.factories import backup_bytes, live_rows


def _normalised(rows):
    return {table: sorted((tuple(sorted((k, bytes(v) if isinstance(v, memoryview) else v) for k, v in row.items()))
                           for row in content), key=repr)
            for table, content in rows.items()}


def test_backup_then_restore_round_trips_every_record(app, runner, tmp_path, db_kind):
    worker = UserFactory()
    for _ in range(3):
        make_case(worker)
    before = _normalised(live_rows())
    path = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    assert "k1" in result.output
    assert os.stat(path).st_mode & 0o777 == 0o600
    # Keys never travel with a backup.
    content = backup_bytes(path, db_kind)
    ring = keyring()
    for secret in [*ring.keks.values(), *ring.index_keys.values(), ring.audit_key]:
        assert secret not in content and base64.b64encode(secret) not in content
        assert secret.hex().encode() not in content
    # Later changes are undone by the restore.
    make_case(worker)
    assert _normalised(live_rows()) != before
    result = runner.invoke(args=["backup", "restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _normalised(live_rows()) == before
    # The restored database is a working one.
    result = runner.invoke(args=["crypto", "verify"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output


def test_restore_refuses_what_is_not_a_backup(app, runner, tmp_path):
    worker = UserFactory()
    make_case(worker)
    before = live_rows()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = runner.invoke(args=["backup", "restore", str(junk), "--yes"])
    assert result.exit_code == 1 and "not a caseflow" in result.output
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "missing.db"), "--yes"])
    assert result.exit_code == 1
    db.session.remove()
    assert live_rows() == before
