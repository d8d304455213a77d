"""Production refuses to start without its secrets, with a one-line reason."""

import os
import subprocess
import sys

import pytest

from caseflow.config import ConfigError, build_config, check_production_ready
from caseflow.crypto.keyring import Keyring


def _production(**env):
    return build_config({"CASEFLOW_ENV": "production", **env})


def test_production_without_secret_key_is_refused():
    with pytest.raises(ConfigError, match="CASEFLOW_SECRET_KEY"):
        check_production_ready(_production())


def test_production_without_keyring_is_refused(tmp_path):
    config = _production(CASEFLOW_SECRET_KEY="s" * 40, CASEFLOW_KEYRING_FILE=str(tmp_path / "missing.json"))
    with pytest.raises(ConfigError, match="keyring"):
        check_production_ready(config)


def test_production_refuses_a_keyring_others_can_read(tmp_path):
    path = tmp_path / "keyring.json"
    Keyring.generate().write(path)
    path.chmod(0o644)
    config = _production(CASEFLOW_SECRET_KEY="s" * 40, CASEFLOW_KEYRING_FILE=str(path))
    with pytest.raises(ConfigError, match="chmod 600"):
        check_production_ready(config)
    path.chmod(0o600)
    check_production_ready(config)


def test_unknown_environment_is_refused():
    with pytest.raises(ConfigError):
        build_config({"CASEFLOW_ENV": "staging"})


def test_serve_in_production_without_secrets_prints_one_line(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="production")
    result = subprocess.run([sys.executable, "-m", "caseflow.cli", "serve"], capture_output=True, text=True,
                            env=env, cwd=tmp_path, timeout=60)
    assert result.returncode != 0
    lines = [line for line in result.stderr.strip().splitlines() if line]
    assert lines == ["error: CASEFLOW_SECRET_KEY is required in production"], result.stderr


def test_postgres_urls_use_psycopg3():
    assert build_config({"CASEFLOW_DATABASE_URL": "postgresql://u@h/db"})["SQLALCHEMY_DATABASE_URI"].startswith(
        "postgresql+psycopg://")
