"""Small helpers for HTTP tests."""

from __future__ import annotations

from datetime import timedelta

from caseflow.auth.services import issue_token
from caseflow.extensions import db


def bearer(user, hours: int = 1) -> dict:
    """Authorization header for ``user`` (a real, stored token)."""
    raw, _ = issue_token(user, "bearer", timedelta(hours=hours))
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def assert_error(response, status: int, *fields: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["status"] == status and body["message"]
    for name in fields:
        assert name in body.get("errors", {}), body
    return body
