"""The database goes away, or fills up: a clear 503 in JSON, nothing half-written, and the
service recovers by itself once the database is back (no restart)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text

from caseflow.cases.models import Case
from caseflow.extensions import db
from caseflow.survivors.models import Survivor
from testkit.api import bearer
from testkit.factories import Centre
from tests.helpers import assert_error
from tests.reliability.consistency import count, inconsistencies


def _survivor_body(n: int) -> dict:
    return {"given_names": f"Falla {n}", "alias": f"F{n}", "document_type": "DNI", "document_number": str(71000000 + n),
            "address": "Calle Ficticia " + "x" * 200, "safe_contact": "y" * 300}


class Caller:
    """Requests as one person, with a token taken up front (the session may be dropped later)."""

    def __init__(self, client, user):
        self.client, self.headers = client, bearer(user)

    def get(self, path):
        return self.client.get(f"/api/v1{path}", headers=self.headers)

    def post(self, path, body):
        return self.client.post(f"/api/v1{path}", json=body, headers=self.headers)


def _assert_unavailable(response):
    body = assert_error(response, 503)
    assert response.content_type == "application/json"
    assert "Traceback" not in response.get_data(as_text=True)
    return body


def _terminate_backends(app, only_pid: int | None = None) -> int:
    """pg_terminate_backend on the application's connections (or on one of them)."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"], isolation_level="AUTOCOMMIT")
    where = "pid = :pid" if only_pid else "datname = current_database() AND pid <> pg_backend_pid()"
    with engine.connect() as conn:
        killed = conn.execute(text(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {where}"),
                              {"pid": only_pid}).scalar()
    engine.dispose()
    return killed


@pytest.mark.postgres
def test_postgresql_connections_killed_between_requests_are_replaced(app, client):
    centre = Centre()
    case_id, worker = centre.case().id, Caller(client, centre.admission)
    assert worker.get(f"/cases/{case_id}").status_code == 200
    assert _terminate_backends(app) >= 1
    # The pool's connections are dead; pre-ping notices and reconnects, the user sees nothing.
    assert worker.get(f"/cases/{case_id}").status_code == 200


@pytest.mark.postgres
@pytest.mark.parametrize("moment", ["inside the service", "just before commit"])
def test_postgresql_backend_killed_inside_a_request_gives_503_and_writes_nothing(app, client, monkeypatch, moment):
    from caseflow.cases import services

    centre = Centre()
    worker = Caller(client, centre.admission)
    survivor = worker.post("/survivors", _survivor_body(1)).get_json()
    cases_before, opened = count(Case), services.open_case

    def open_then_lose_the_database(**kwargs):
        case = opened(**kwargs)  # flushed: the row exists inside the transaction
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        _terminate_backends(app, only_pid=pid)
        if moment == "inside the service":
            db.session.execute(text("SELECT 1"))  # the next statement finds the connection gone
        return case

    monkeypatch.setattr("caseflow.cases.routes.services.open_case", open_then_lose_the_database)
    _assert_unavailable(worker.post("/cases", {
        "survivor_id": survivor["id"], "intake_channel": "walk_in", "priority": "high"}))
    monkeypatch.undo()

    db.session.remove()
    assert count(Case) == cases_before  # the flushed case was never committed
    retried = worker.post("/cases", {"survivor_id": survivor["id"], "intake_channel": "walk_in",
                                                        "priority": "high"})
    assert retried.status_code == 201, retried.get_json()  # recovered without a restart
    assert inconsistencies() == []


def test_sqlite_file_unavailable_gives_503_then_recovers(app, client, db_kind):
    if db_kind != "sqlite":
        pytest.skip("the database file is SQLite's")
    centre = Centre()
    case_id, worker = centre.case().id, Caller(client, centre.admission)
    path = Path(db.engine.url.database)
    db.session.remove()
    db.engine.dispose()
    away = path.with_suffix(".away")
    shutil.move(path, away)
    path.mkdir()  # a directory where the file was: every new connection fails to open it
    try:
        _assert_unavailable(worker.get(f"/cases/{case_id}"))
        _assert_unavailable(worker.post("/survivors", _survivor_body(2)))
    finally:
        db.session.remove()
        db.engine.dispose()
        path.rmdir()
        shutil.move(away, path)
    assert worker.get(f"/cases/{case_id}").status_code == 200
    assert inconsistencies() == []


def test_sqlite_full_disk_gives_503_and_corrupts_nothing(app, client, db_kind):
    """SQLITE_FULL, as a full disk raises it, from a page budget (``PRAGMA max_page_count``)."""
    if db_kind != "sqlite":
        pytest.skip("SQLite's full-disk behaviour")
    centre = Centre()
    centre.case()
    worker = Caller(client, centre.admission)
    db.session.remove()
    db.engine.dispose()

    def tight_budget(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages + 2}")
        cursor.close()

    event.listen(db.engine, "connect", tight_budget)
    try:
        answers = [worker.post("/survivors", _survivor_body(n)) for n in range(10, 60)]
        statuses = [r.status_code for r in answers]
        assert 503 in statuses, statuses
        _assert_unavailable(answers[statuses.index(503)])
        created_before_full = statuses.count(201)
    finally:
        event.remove(db.engine, "connect", tight_budget)
        db.session.remove()
        db.engine.dispose()

    assert db.session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert count(Survivor) == 1 + created_before_full  # every 201 is there, every 503 left nothing
    assert inconsistencies() == []
    # Space again: writes go through without a restart.
    assert worker.post("/survivors", _survivor_body(99)).status_code == 201
