"""A keyring that belongs to its database: a wrong one is refused by every process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from caseflow.config import ConfigError
from caseflow.crypto.keyring import Keyring
from caseflow.extensions import db
from caseflow.keys.key_check import ensure_keyring_belongs
from caseflow.keys.models import KeyCheck
from testkit.factories import UserFactory, make_survivor
from tests.conftest import KEYRING_JSON

ROOT = Path(__file__).resolve().parents[2]


def _a_wrong_keyring() -> Keyring:
    """Newly generated, with the same KEK id as the right one (k1): what an operator who
    lost the file might make."""
    ring = Keyring.generate()
    assert ring.primary_kek_id == Keyring.from_json(KEYRING_JSON).primary_kek_id
    return ring


def _app_with(app, keyring_json, tmp_path):
    from caseflow import create_app

    other = create_app({**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY",
                                                     "CASEFLOW_AUDIT_ANCHOR_FILE")},
                       "CASEFLOW_KEYRING": keyring_json,
                       "CASEFLOW_KEYRING_FILE": str(tmp_path / "unused.json"), "TESTING": True})
    with other.app_context():
        db.session.remove()
        db.engine.dispose()
    return other


def test_the_first_start_with_the_right_keyring_writes_the_check_values(app, tmp_path):
    make_survivor(UserFactory())
    db.session.remove()
    assert db.session.query(KeyCheck).count() == 0  # a database from before the checks
    db.session.remove()
    _app_with(app, KEYRING_JSON, tmp_path)
    names = {row.name for row in db.session.query(KeyCheck)}
    assert {"audit", "kek:k1", "index:1"} <= names
    stored = " ".join(row.value for row in db.session.query(KeyCheck))
    assert all(key.hex() not in stored for key in Keyring.from_json(KEYRING_JSON).keks.values())


def test_a_wrong_keyring_is_refused_once_the_checks_are_written(app, tmp_path):
    ensure_keyring_belongs(Keyring.from_json(KEYRING_JSON))
    assert db.session.query(KeyCheck).count() >= 3
    db.session.remove()
    with pytest.raises(ConfigError, match="does not belong to this database: its audit key"):
        _app_with(app, _a_wrong_keyring().to_json(), tmp_path)


def test_a_wrong_keyring_cannot_write_its_own_checks_on_a_database_with_data(app, tmp_path):
    make_survivor(UserFactory())
    db.session.remove()
    with pytest.raises(ConfigError, match="does not open the data the database holds"):
        _app_with(app, _a_wrong_keyring().to_json(), tmp_path)
    assert db.session.query(KeyCheck).count() == 0


def _command(app, tmp_path, keyring_json, *args, timeout=60):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="testing", CASEFLOW_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               CASEFLOW_KEYRING=keyring_json, CASEFLOW_SECRET_KEY="s" * 40,
               CASEFLOW_AUDIT_ANCHOR_FILE=str(tmp_path / "anchors.log"), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "caseflow.cli", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("args", [("crypto", "verify"), ("audit", "verify"), ("scheduler", "tick"),
                                  ("serve", "--port", "5217", "--workers", "1")])
def test_every_command_and_the_server_refuse_a_wrong_keyring_in_one_line(app, tmp_path, args):
    make_survivor(UserFactory())
    db.session.remove()
    assert _command(app, tmp_path, KEYRING_JSON, "audit", "verify").returncode == 0  # writes the checks
    result = _command(app, tmp_path, _a_wrong_keyring().to_json(), *args)
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "keyring does not belong to this database" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
