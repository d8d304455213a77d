"""Small helpers for HTTP tests."""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, event, text

from caseflow.extensions import db


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status and body["message"]
    for name in fields:
        assert name in body.get("errors", {}), body
    return body


@contextmanager
def captured_sql(shape=lambda statement, parameters: statement):
    """The statements the engine sends while the block runs, as ``shape(statement,
    parameters)`` gives them (None: left out). The one way tests count or inspect SQL."""
    seen = []

    def keep(_conn, _cursor, statement, parameters, _context, _executemany):
        value = shape(statement, parameters)
        if value is not None:
            seen.append(value)

    event.listen(db.engine, "before_cursor_execute", keep)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", keep)


@contextmanager
def scratch_postgresql(prefix: str):
    """The URL of a new, empty PostgreSQL database on the test server, dropped afterwards
    (migration tests upgrade from nothing); skips without CASEFLOW_TEST_DATABASE_URL."""
    from tests.conftest import PG_SKIP, PG_URL

    if not PG_URL:
        pytest.skip(PG_SKIP)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{PG_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
