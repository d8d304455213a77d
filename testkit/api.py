"""Records made over HTTP as users make them: a bearer token for a person, the bodies of an
incident and a risk assessment, and the calls that carry them."""

from __future__ import annotations

from datetime import timedelta

from caseflow.auth.services import issue_token
from caseflow.core.clock import utcnow
from caseflow.extensions import db

ALL_NO = {"escalation": False, "weapon": False, "threats_to_kill": False, "strangulation": False,
          "forced_sex": False, "stalking": False, "jealousy_control": 0, "separation": False,
          "pregnancy": False, "threats_to_children": False}


def bearer(user, hours: int = 1) -> dict:
    """Authorization header for ``user`` (a real, stored token)."""
    raw, _ = issue_token(user, "bearer", timedelta(hours=hours))
    db.session.commit()
    return {"Authorization": f"Bearer {raw}"}


def iso(moment) -> str:
    return moment.isoformat()


def ago(**kwargs) -> str:
    return iso(utcnow() - timedelta(**kwargs))


def incident_body(**overrides) -> dict:
    body = {
        "occurred_at": ago(days=2), "acts": {"physical_assault": True, "psychological_abuse": True},
        "violence_types": ["fisica", "psicologica"], "perpetrator_relationship": "partner",
        "location_type": "home", "narrative": "Relato sintético de prueba.",
    }
    body.update(overrides)
    return body


def risk_body(**answers) -> dict:
    return {"instrument": "fvr-demo-v1", "answers": {**ALL_NO, **answers}}


def post(client, user, path: str, body: dict, **kwargs):
    return client.post(f"/api/v1{path}", json=body, headers={**bearer(user), **kwargs.pop("headers", {})}, **kwargs)


def get(client, user, path: str, **kwargs):
    return client.get(f"/api/v1{path}", headers=bearer(user), **kwargs)


def patch(client, user, path: str, body: dict):
    return client.patch(f"/api/v1{path}", json=body, headers=bearer(user))
