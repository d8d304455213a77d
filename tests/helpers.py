"""Small helpers for HTTP tests."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

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
