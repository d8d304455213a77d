from datetime import timedelta

from flask import current_app, g
from flask_babel import lazy_gettext
from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth import services
from caseflow.auth.schemas import CredentialsSchema, MeSchema, TokenSchema
from caseflow.core.auth_required import public
from caseflow.core.errors import BadRequest

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Login, sessions and tokens")


def _me(user, csrf_token=None) -> dict:
    return {
        "id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
        "discipline": user.discipline, "organization": user.organization, "csrf_token": csrf_token,
    }


@blp.post("/login")
@blp.arguments(CredentialsSchema)
@blp.response(200, MeSchema)
@public
def login(credentials):
    """Start a cookie session; the answer carries the CSRF token for later writes."""
    user = services.authenticate(credentials["username"], credentials["password"])
    return _me(user, services.start_cookie_session(user))


@blp.post("/logout")
@blp.response(204)
def logout():
    services.end_cookie_session()


@blp.post("/tokens")
@blp.arguments(CredentialsSchema)
@blp.response(201, TokenSchema)
@public
def create_token(credentials):
    """A bearer token for API clients (no CSRF token needed with it)."""
    user = services.authenticate(credentials["username"], credentials["password"])
    hours = current_app.config["CASEFLOW_TOKEN_TTL_HOURS"]
    raw, token = services.issue_token(user, "bearer", timedelta(hours=hours))
    return {"token": raw, "expires_at": token.expires_at}


@blp.delete("/tokens/current")
@blp.response(204)
def revoke_current_token():
    if g.get("caseflow_auth_method") != "bearer":
        raise BadRequest(lazy_gettext("Send the bearer token you want to revoke."))
    services.revoke_credential(g.caseflow_auth_credential)


@blp.get("/me")
@blp.response(200, MeSchema)
def me():
    return _me(current_user, services.csrf_token() if g.get("caseflow_auth_method") == "cookie" else None)
