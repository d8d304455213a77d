from datetime import timedelta

from flask import current_app, request
from flask_babel import lazy_gettext
from flask_login import current_user
from flask_smorest import Blueprint

from caseflow.auth import accounts, services
from caseflow.auth.schemas import (
    ActivationSchema,
    CodeSchema,
    CredentialsSchema,
    EnrolmentSchema,
    IdentitySchema,
    MeSchema,
    PasswordChangeSchema,
    RecoveryCodesSchema,
    SignedInSessionListSchema,
    TokenSchema,
)
from caseflow.core import unit_of_work
from caseflow.core.auth_required import public
from caseflow.core.errors import BadRequest, NotFound
from caseflow.directory.models import User
from caseflow.extensions import db

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Sign-in, second factor, sessions and tokens")

#: The routes a person whose role requires a second factor may use before she has one.
ENROLMENT_ENDPOINTS = frozenset({
    "auth.me", "auth.logout", "auth.start_totp", "auth.confirm_totp", "auth.revoke_current_token",
})


def _me(user, csrf_token=None) -> dict:
    return {
        "id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
        "discipline": user.discipline, "organization": user.organization, "csrf_token": csrf_token,
        "mfa_enabled": bool(user.mfa_enabled), "role_confirmed": bool(user.role_confirmed),
        "mfa_enrollment_required": accounts.mfa_required_for(user.role) and not user.mfa_enabled,
    }


def _account() -> User:
    """The signed-in person as an entity (to change her account)."""
    return db.session.get(User, current_user.id)


def _sign_in(credentials) -> User:
    return services.sign_in(credentials["username"], credentials["password"], credentials.get("otp"),
                            address=request.remote_addr)


@blp.post("/login")
@blp.arguments(CredentialsSchema)
@blp.response(200, MeSchema)
@public
def login(credentials):
    """Start a cookie session; the answer carries the CSRF token for later writes."""
    user = _sign_in(credentials)
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
    user = _sign_in(credentials)
    hours = current_app.config["CASEFLOW_TOKEN_TTL_HOURS"]
    raw, token = services.issue_token(user, "bearer", timedelta(hours=hours))
    return {"token": raw, "expires_at": token.expires_at}


@blp.delete("/tokens/current")
@blp.response(204)
def revoke_current_token():
    if unit_of_work.current().auth_method != "bearer":
        raise BadRequest(lazy_gettext("Send the bearer token you want to revoke."))
    services.revoke_credential(unit_of_work.current().auth_credential)


@blp.get("/me")
@blp.response(200, MeSchema)
def me():
    return _me(current_user, services.csrf_token() if unit_of_work.current().auth_method == "cookie" else None)


@blp.post("/activate")
@blp.arguments(ActivationSchema)
@blp.response(204)
@public
def activate(data):
    """She chooses her own password with the activation token she was given (72 h, once)."""
    accounts.activate(data["token"], data["password"])


@blp.post("/password")
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_password(data):
    """Her own change; every other session and token of hers ends."""
    accounts.change_password(_account(), data["current_password"], data.get("otp"), data["new_password"],
                             keep=unit_of_work.current().auth_credential.token_id)


@blp.post("/reauthenticate")
@blp.arguments(IdentitySchema)
@blp.response(204)
def reauthenticate(data):
    """Password and second factor again: opens sensitive operations for five minutes."""
    services.reauthenticate(unit_of_work.current().auth_credential, _account(), data["password"], data.get("otp"))


@blp.post("/mfa/totp")
@blp.response(201, EnrolmentSchema)
def start_totp():
    """A new TOTP secret, its otpauth URI and QR code (SVG); counts once confirmed."""
    return accounts.start_enrolment(_account())


@blp.post("/mfa/totp/confirm")
@blp.arguments(CodeSchema)
@blp.response(200, RecoveryCodesSchema)
def confirm_totp(data):
    return {"recovery_codes": accounts.confirm_enrolment(_account(), data["code"])}


@blp.post("/mfa/recovery-codes")
@blp.arguments(IdentitySchema)
@blp.response(200, RecoveryCodesSchema)
def renew_recovery_codes(data):
    return {"recovery_codes": accounts.renew_recovery_codes(_account(), data["password"], data.get("otp"))}


@blp.delete("/mfa/totp")
@blp.arguments(IdentitySchema)
@blp.response(204)
def remove_totp(data):
    accounts.remove_factor(_account(), data["password"], data.get("otp"))


@blp.get("/sessions")
@blp.response(200, SignedInSessionListSchema)
def list_sessions():
    current = unit_of_work.current().auth_credential.token_id
    return {"items": [{"id": t.id, "kind": t.kind, "created_at": t.created_at, "expires_at": t.expires_at,
                       "last_used_at": t.last_used_at, "current": t.id == current}
                      for t in services.live_sessions(current_user.id)]}


@blp.delete("/sessions/<uuid:session_id>")
@blp.response(204)
def end_session(session_id):
    if services.end_session(current_user.id, session_id) is None:
        raise NotFound()
