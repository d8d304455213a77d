"""The audit chain survives its database: TRUNCATE refused, a non-owner application role,
anchors outside the database, and every broken entry reported."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from caseflow.extensions import db
from testkit.api import bearer
from testkit.factories import UserFactory, make_case, make_survivor, survivor_values

ROOT = Path(__file__).resolve().parents[2]


def _superuser(db_kind):
    """Statements an attacker with the database's superuser (or file) could run: the
    triggers set aside. PostgreSQL for this transaction only; SQLite's schema is restored
    from its template before the next test."""
    conn = db.engine.connect()
    if db_kind == "postgresql":
        conn.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        conn.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
        conn.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))
        conn.commit()
    return conn


def _ids():
    db.session.remove()
    with db.engine.connect() as conn:
        return [row.id for row in conn.execute(text("SELECT id FROM audit_entries ORDER BY id"))]


@pytest.mark.postgres
def test_postgresql_refuses_truncate_of_the_audit_table(app):
    make_case(UserFactory())
    db.session.remove()
    with pytest.raises(DBAPIError, match="append-only"):
        with db.engine.begin() as conn:
            conn.execute(text("TRUNCATE audit_entries"))
    assert _ids()


def _grants(role: str, database: str) -> list[str]:
    """The grants block of docs/operations.md, for this test's role and database."""
    doc = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- grants:.*?```sql\n(.*?)```", doc, re.S).group(1)
    sql = block.replace("caseflow_app", role).replace("DATABASE caseflow ", f"DATABASE {database} ")
    return [line.strip().rstrip(";") for line in sql.splitlines() if line.strip()]


@pytest.mark.postgres
def test_the_app_runs_as_a_non_owner_role_that_cannot_rewrite_the_audit(app, tmp_path):
    from tests.conftest import _make_app

    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    role = f"{url.database}_app"
    db.session.remove()
    with db.engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {role}") if conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).scalar() else text("SELECT 1"))
        conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        for statement in _grants(role, url.database):
            conn.execute(text(statement))
    role_url = url.set(username=role, password="change-me")
    role_app = _make_app(role_url.render_as_string(hide_password=False), tmp_path)
    try:
        with role_app.app_context():
            worker = UserFactory()
            client = role_app.test_client()
            created = client.post("/api/v1/survivors", json={**survivor_values(), "birth_date": "1990-01-01"},
                                  headers=bearer(worker))
            assert created.status_code == 201, created.get_data(as_text=True)
            assert client.get(f"/api/v1/survivors/{created.get_json()['id']}",
                              headers=bearer(worker)).status_code == 200
            db.session.remove()
            for statement in ("UPDATE audit_entries SET action = 'x'", "DELETE FROM audit_entries",
                              "TRUNCATE audit_entries", "DROP TRIGGER audit_entries_append_only ON audit_entries"):
                with pytest.raises(DBAPIError, match="permission denied|must be owner"):
                    with db.engine.begin() as conn:
                        conn.execute(text(statement))
            result = role_app.test_cli_runner().invoke(args=["audit", "verify"])
            assert result.exit_code == 0, result.output
            db.session.remove()
            db.engine.dispose()
    finally:
        with db.engine.begin() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
            conn.execute(text(f"DROP ROLE {role}"))


def _tick(runner):
    result = runner.invoke(args=["scheduler", "tick"])
    assert result.exit_code == 0, result.output


def _anchors(app) -> Path:
    path = Path(app.config["CASEFLOW_AUDIT_ANCHOR_FILE"])
    path.unlink(missing_ok=True)
    return path


def test_each_scheduler_pass_appends_the_chains_head_to_the_anchor_file(app, runner):
    path = _anchors(app)
    make_case(UserFactory())
    _tick(runner)
    _tick(runner)
    lines = path.read_text().splitlines()
    assert len(lines) == 2
    head = _ids()[-1]
    assert lines[-1].split()[1] == str(head)
    assert path.stat().st_mode & 0o777 == 0o600
    result = runner.invoke(args=["audit", "verify", "--anchors", str(path)])
    assert result.exit_code == 0, result.output
    assert "2 anchors held" in result.output


def test_deleting_the_chains_last_entries_is_found_by_the_anchors(app, runner, db_kind):
    path = _anchors(app)
    make_case(UserFactory())
    _tick(runner)
    ids = _ids()
    with _superuser(db_kind) as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id >= :id"), {"id": ids[-2]})
        conn.commit()
    # The chain that is left is intact in itself...
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0
    # ...but shorter than what was anchored.
    result = runner.invoke(args=["audit", "verify", "--anchors", str(path)])
    assert result.exit_code == 1
    assert f"names entry {ids[-1]}" in result.output


def test_an_emptied_and_restarted_chain_disagrees_with_its_anchors(app, runner, db_kind):
    path = _anchors(app)
    worker = UserFactory()
    make_case(worker)
    _tick(runner)
    with _superuser(db_kind) as conn:
        statement = "TRUNCATE audit_entries RESTART IDENTITY" if db_kind == "postgresql" else "DELETE FROM audit_entries"
        conn.execute(text(statement))
        conn.commit()
    for _ in range(3):
        make_case(worker)  # a new chain, from the genesis, as long as the old one
    result = runner.invoke(args=["audit", "verify", "--anchors", str(path)])
    assert result.exit_code == 1
    assert "disagrees with its anchors" in result.output


def test_verify_reports_every_broken_entry_not_only_the_first(app, runner, db_kind):
    worker = UserFactory()
    make_case(worker)
    make_survivor(worker)
    ids = _ids()
    first, second = ids[1], ids[-2]
    with _superuser(db_kind) as conn:
        conn.execute(text("UPDATE audit_entries SET entity_type = 'tampered' WHERE id IN (:a, :b)"), {"a": first, "b": second})
        conn.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "2 broken entries" in result.output
    assert f"first at entry {first}" in result.output


def test_an_unreadable_anchor_file_is_one_line_and_exit_1(app, runner, tmp_path):
    bad = tmp_path / "anchors.log"
    bad.write_text("not an anchor\n")
    result = runner.invoke(args=["audit", "verify", "--anchors", str(bad)])
    assert result.exit_code == 1
    assert "line 1" in result.output
