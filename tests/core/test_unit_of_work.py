"""Reads go beside writers; what a read must record still reaches the audit trail first.

A writer is simulated by another connection holding what a writing transaction holds:
SQLite's single write lock (BEGIN IMMEDIATE), or on PostgreSQL the audit chain's advisory
lock. A case read (nothing decrypted, nothing to record) must not wait for it; a read that
decrypts her identity must wait to append its audit entry and only then answer.
"""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select, text

from caseflow.audit.models import AuditEntry
from caseflow.audit.services import AUDIT_LOCK_ID
from caseflow.core.unit_of_work import WriteInReadRequest, begin_request, end_request
from caseflow.directory.models import Organization
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory, make_case
from tests.helpers import captured_sql


class Writer:
    """Another connection in the middle of a write, until released."""

    def __init__(self, kind: str):
        self.connection = db.engine.connect()
        if kind == "sqlite":
            # Outside a read request the connection begins IMMEDIATE: it holds the write lock.
            self.connection.execute(text("SELECT 1"))
        else:
            self.connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})

    def release(self):
        self.connection.rollback()
        self.connection.close()


def _get_in_thread(app, url, headers):
    outcome = {}

    def run():
        outcome["response"] = app.test_client().get(url, headers=headers)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def _reads_of(survivor_id):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "read", AuditEntry.entity_id == str(survivor_id))).all()


def test_a_case_read_does_not_wait_for_a_writer(app, db_kind):
    worker = UserFactory()
    case = make_case(worker)
    headers = bearer(worker)
    url = f"/api/v1/cases/{case.id}"
    db.session.commit()  # this thread must hold no lock of its own below
    writer = Writer(db_kind)
    try:
        thread, outcome = _get_in_thread(app, url, headers)
        thread.join(timeout=10)
        assert not thread.is_alive(), "the read queued behind the writer"
        assert outcome["response"].status_code == 200
    finally:
        writer.release()
        thread.join()


def test_a_decrypting_read_answers_only_once_its_audit_entry_is_written(app, db_kind):
    worker = UserFactory()
    case = make_case(worker)
    headers = bearer(worker)
    survivor_id = case.survivor_id
    before = len(_reads_of(survivor_id))
    db.session.commit()  # this thread must hold no lock of its own below
    writer = Writer(db_kind)
    try:
        thread, outcome = _get_in_thread(app, f"/api/v1/survivors/{survivor_id}", headers)
        thread.join(timeout=1.5)
        # While the writer holds the lock no audit entry can be appended, so no answer either.
        assert thread.is_alive(), "her identity was answered before its read was recorded"
    finally:
        writer.release()
    thread.join(timeout=30)
    assert outcome["response"].status_code == 200
    [entry] = _reads_of(survivor_id)[before:]
    assert entry.actor_id == worker.id and "document_number" in entry.fields


def test_an_audited_read_names_its_reader_without_reading_her_account_again(app, db_kind):
    # The read phase ends with a rollback that expires the caller's row; the entry's actor is
    # taken before it, so appending the entry does not select the user once more.
    worker = UserFactory()
    case = make_case(worker)
    headers = bearer(worker)
    survivor_id = case.survivor_id
    db.session.commit()  # this thread must hold no lock of its own below
    with captured_sql() as seen:
        thread, outcome = _get_in_thread(app, f"/api/v1/survivors/{survivor_id}", headers)
        thread.join(timeout=30)
    assert outcome["response"].status_code == 200
    assert sum(bool(re.search(r"\bFROM users\b", statement)) for statement in seen) == 1  # the caller, once
    [entry] = _reads_of(survivor_id)[-1:]
    assert (entry.actor_id, entry.actor_role, entry.organization_id) == (
        worker.id, worker.role, worker.organization_id)


def test_a_safe_method_that_changes_rows_fails_loudly(app):
    # A read request runs in autocommit on both databases: the write would be committed
    # statement by statement, outside the audit chain's lock. Refused instead.
    db.session.commit()
    with app.test_request_context("/api/v1/cases", method="GET"):
        begin_request(db.session())
        db.session.execute(select(Organization.id)).all()
        db.session.add(Organization(code="X1", name="Centro", sector="cem", service_types=[]))
        with pytest.raises(WriteInReadRequest):
            db.session.flush()
        db.session.rollback()
        end_request()
    assert db.session.scalars(select(Organization).where(Organization.code == "X1")).all() == []
