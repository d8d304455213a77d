"""A gunicorn worker killed (SIGKILL) in the middle of a burst of writes.

A live ``caseflow serve`` (two workers) on the test database takes survivor-and-case
registrations from several threads; one worker is killed while they run. Afterwards:
no survivor without her data key, no case without its opening event, no event without its
case, an intact audit chain, every acknowledged write present, and the server still
answering (gunicorn replaced the worker).
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from caseflow.cases.models import Case
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import Centre
from tests.conftest import KEYRING_JSON
from tests.reliability.consistency import count, inconsistencies


def _free_port() -> int:
    for port in range(5740, 5800):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 5740-5799")


def _workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def _call(port, method, path, token, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": token, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, None
    except (OSError, http.client.HTTPException):
        return 0, None  # the worker died under this request: the client never saw an answer


def _serve(app, tmp_path, port) -> subprocess.Popen:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("CASEFLOW_")}
    env.update(CASEFLOW_ENV="production", CASEFLOW_DATABASE_URL=url, CASEFLOW_KEYRING=KEYRING_JSON,
               CASEFLOW_SECRET_KEY="worker-kill-test-secret-key-0000000000",
               # Its callers act by tokens made in the test, without a second factor.
               CASEFLOW_MFA_REQUIRED_ROLES="")
    log = open(tmp_path / "serve.log", "wb")
    server = subprocess.Popen([str(Path(sys.executable).with_name("caseflow")), "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError((tmp_path / "serve.log").read_text()[-2000:])
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0 and len(_workers(server.pid)) == 2:
                return server
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("caseflow serve did not start")


def test_a_worker_killed_mid_write_leaves_no_half_written_record(app, tmp_path):
    centre = Centre()
    token = bearer(centre.admission, hours=1)["Authorization"]
    db.session.commit()
    port = _free_port()
    server = _serve(app, tmp_path, port)
    acknowledged, stop = [], threading.Event()

    def register_and_open(n: int):
        while not stop.is_set():
            n += 100
            status, survivor = _call(port, "POST", "/survivors", token, {
                "given_names": f"Carga {n}", "alias": f"C{n}", "document_type": "DNI",
                "document_number": str(72000000 + n), "address": "Calle Ficticia 1", "phone": "+51 900 000 000"})
            if status != 201:
                continue
            status, case = _call(port, "POST", "/cases", token, {
                "survivor_id": survivor["id"], "intake_channel": "walk_in", "priority": "medium"})
            if status == 201:
                acknowledged.append(case["id"])

    threads = [threading.Thread(target=register_and_open, args=(n,)) for n in range(4)]
    try:
        for thread in threads:
            thread.start()
        while len(acknowledged) < 5:
            time.sleep(0.05)
        victim = _workers(server.pid)[0]
        os.kill(victim, signal.SIGKILL)  # no cleanup, no rollback: the process just stops
        time.sleep(1.5)
        stop.set()
        for thread in threads:
            thread.join()
        assert victim not in _workers(server.pid)
        assert _call(port, "GET", "/cases?per_page=1", token)[0] == 200  # a replacement serves
    finally:
        stop.set()
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    db.session.remove()
    assert inconsistencies() == []
    stored = {str(i) for i in db.session.scalars(db.select(Case.id))}
    assert set(acknowledged) <= stored, "a write the client saw succeed is missing"
    assert count(Case) >= len(acknowledged) > 0
