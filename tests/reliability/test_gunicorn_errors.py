"""gunicorn's own errors (requests it refuses before the application) are JSON, never an
HTML page quoting the request back."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import KEYRING_JSON

PORT = 5231


@pytest.fixture
def server(app, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="testing", CASEFLOW_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               CASEFLOW_KEYRING=KEYRING_JSON, CASEFLOW_SECRET_KEY="gunicorn-error-test-secret-000000000")
    log = open(tmp_path / "serve.log", "wb")
    process = subprocess.Popen([str(Path(sys.executable).with_name("caseflow")), "serve", "--host", "127.0.0.1",
                                "--port", str(PORT), "--workers", "1"], env=env, stdout=log,
                               stderr=subprocess.STDOUT, cwd=tmp_path)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", PORT)) == 0:
                break
        time.sleep(0.2)
    yield
    process.terminate()
    process.wait(timeout=30)


def _raw(request: bytes) -> tuple[bytes, bytes]:
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head, body


@pytest.mark.parametrize("request_bytes", [
    b"GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Probe: a\x01b-secret-value\r\n\r\n",
    b"GET /api/v1/survivors?name=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /api/v1/auth/me HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 9000 + b"\r\n\r\n",
])
def test_gunicorns_own_errors_are_json_without_details(server, request_bytes):
    head, body = _raw(request_bytes)
    assert b" 4" in head.split(b"\r\n")[0], head
    assert b"content-type: application/json" in head.lower()
    payload = json.loads(body)
    assert 400 <= payload["status"] < 500 and payload["message"]
    assert b"<html" not in body.lower() and b"secret-value" not in body and b"aaaa" not in body
