"""The audit trail: every write and sensitive read recorded, tamper-evident, no values."""

import json

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from caseflow.audit.models import AuditEntry
from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory, make_case, make_survivor


def _entries(**filters):
    db.session.expire_all()
    return db.session.scalars(select(AuditEntry).filter_by(**filters).order_by(AuditEntry.id)).all()


def test_reads_of_encrypted_fields_are_recorded_with_field_names_only(client):
    worker = UserFactory()
    survivor = make_survivor(worker, phone="+51 900 123 456")
    before = len(_entries(action="read"))
    assert client.get(f"/api/v1/survivors/{survivor.id}", headers=bearer(worker)).status_code == 200
    reads = _entries(action="read")[before:]
    assert len(reads) == 1
    read = reads[0]
    assert read.actor_id == worker.id and read.entity_id == str(survivor.id)
    assert {"phone", "address", "given_names", "document_number"} <= set(read.fields)
    assert "900 123 456" not in json.dumps(read.canonical())


def test_writes_are_recorded(client):
    worker = UserFactory()
    case = make_case(worker)
    response = client.patch(f"/api/v1/cases/{case.id}", json={"priority": "low"}, headers=bearer(worker))
    assert response.status_code == 200
    updates = _entries(action="update", entity_type="cases")
    assert updates[-1].fields == ["priority"] and updates[-1].case_id == case.id


def test_failed_login_is_recorded_even_though_the_request_failed(client):
    user = UserFactory()
    client.post("/api/v1/auth/tokens", json={"username": user.username, "password": "wrong-password-1"})
    assert _entries(action="login_failed")[-1].entity_id == str(user.id)


def test_verify_passes_on_an_intact_chain(runner):
    make_case(UserFactory())
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


@pytest.fixture
def unguarded(db_kind):
    """Drop the append-only triggers, as an attacker with superuser rights could; the chain
    must still reveal what they did. PostgreSQL's schema outlives the test: restore them."""
    def drop():
        with db.engine.begin() as conn:
            if db_kind == "postgresql":
                conn.execute(text("DROP TRIGGER audit_entries_append_only ON audit_entries"))
            else:
                conn.execute(text("DROP TRIGGER audit_entries_no_update"))
                conn.execute(text("DROP TRIGGER audit_entries_no_delete"))
    yield drop
    if db_kind == "postgresql":
        db.session.remove()
        with db.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS audit_entries_append_only ON audit_entries"))
            conn.execute(text(
                "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries "
                "FOR EACH ROW EXECUTE FUNCTION caseflow_audit_append_only()"))


def test_the_database_refuses_to_edit_or_delete_entries(app):
    make_case(UserFactory())
    db.session.remove()
    for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries"):
        with pytest.raises(DBAPIError):
            with db.engine.begin() as conn:
                conn.execute(text(statement))


def test_a_changed_entry_breaks_verification(runner, unguarded):
    make_case(UserFactory())
    target = _entries()[2]
    db.session.remove()
    unguarded()
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entries SET action = 'read' WHERE id = :id"), {"id": target.id})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {target.id}" in result.output


def test_a_deleted_entry_breaks_verification(runner, unguarded):
    make_case(UserFactory())
    entries = _entries()
    target = entries[1]
    db.session.remove()
    unguarded()
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id = :id"), {"id": target.id})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"entry {entries[2].id}" in result.output


def test_supervisor_reads_the_case_access_log_and_caseworker_cannot(client):
    worker = UserFactory()
    case = make_case(worker)
    client.get(f"/api/v1/cases/{case.id}", headers=bearer(worker))
    supervisor = UserFactory(role="supervisor", discipline=None, organization=worker.organization)
    log = client.get(f"/api/v1/cases/{case.id}/access-log", headers=bearer(supervisor))
    assert log.status_code == 200
    actions = {(e["action"], e["actor_id"]) for e in log.get_json()["items"]}
    assert ("read", str(worker.id)) in actions and ("create", str(worker.id)) in actions
    assert client.get(f"/api/v1/cases/{case.id}/access-log", headers=bearer(worker)).status_code == 403


def test_supervisors_see_only_their_centres_audit(client):
    worker = UserFactory()
    make_case(worker)
    outsider = UserFactory(role="supervisor", discipline=None)
    items = client.get("/api/v1/audit?per_page=100", headers=bearer(outsider)).get_json()["items"]
    assert all(item["organization_id"] in (None, str(outsider.organization_id)) for item in items)
    assert not any(item["actor_id"] == str(worker.id) for item in items)


def test_reading_a_case_decrypts_nothing_and_so_logs_no_read(client):
    worker = UserFactory()
    case = make_case(worker)
    before = len(_entries(action="read"))
    assert client.get(f"/api/v1/cases/{case.id}", headers=bearer(worker)).status_code == 200
    assert client.get("/api/v1/cases", headers=bearer(worker)).status_code == 200
    assert len(_entries(action="read")) == before
