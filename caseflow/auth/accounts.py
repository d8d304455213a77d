"""Her account's life: activation, resets, password changes, the second factor.

Services flush and audit; the request or command commits. Every change is audited, and a
change of her password or second factor is announced (caseflow.auth.events) so that she
is told of it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext
from sqlalchemy import select

from caseflow.audit.services import record
from caseflow.auth import mfa
from caseflow.auth.events import credentials_changed
from caseflow.auth.passwords import hash_password, password_problem
from caseflow.core.clock import utcnow
from caseflow.core.errors import Conflict, Forbidden, field_error
from caseflow.directory.models import User
from caseflow.extensions import db

ACTIVATION_TTL = timedelta(hours=72)
INVALID_ACTIVATION = lazy_gettext("This activation link is not valid or has expired; ask for a new one.")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_activation(user: User) -> str:
    """A new single-use activation token for her (shown once; only its digest is kept)."""
    raw = "cfa_" + secrets.token_urlsafe(32)
    user.activation_hash = _digest(raw)
    user.activation_expires_at = utcnow() + ACTIVATION_TTL
    return raw


def activate(token: str, password: str) -> User:
    user = db.session.scalars(select(User).where(User.activation_hash == _digest(token))).first()
    if user is None or user.activation_expires_at is None or user.activation_expires_at <= utcnow() \
            or not user.active:
        raise field_error("token", INVALID_ACTIVATION)
    problem = password_problem(password, (user.username, user.full_name or ""))
    if problem:
        raise field_error("password", problem)
    user.activation_hash = user.activation_expires_at = None
    _set_password(user, password)
    record("account_activated", "users", user.id, actor=_self(user))
    return user


def _self(user: User) -> dict:
    return {"actor_id": user.id, "actor_kind": "user", "actor_role": user.role, "organization_id": user.organization_id}


def _set_password(user: User, password: str, keep=None) -> None:
    from caseflow.auth.services import revoke_all_tokens

    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    ended = revoke_all_tokens(user, keep=keep)
    db.session.flush()
    record("password_changed", "users", user.id, detail={"sessions_ended": ended}, actor=_self(user))
    credentials_changed.send(user, change="password_changed")


def change_password(user: User, current_password: str, otp: str | None, new_password: str, keep) -> None:
    """Her own change: her current password and second factor; ends every other session."""
    from caseflow.auth.services import confirm_identity

    confirm_identity(user, current_password, otp)
    problem = password_problem(new_password, (user.username, user.full_name or ""))
    if problem:
        raise field_error("new_password", problem)
    _set_password(user, new_password, keep=keep)


def reset(user: User) -> str:
    """An administrator's reset: her password no longer works, every session and token
    ends, and she chooses a new password with the new activation token.

    The administrator sees that token: so that she cannot use it to become a caseworker, a
    content role waits for a supervisor's confirmation again (and her second factor, kept,
    is still asked at sign-in)."""
    from caseflow.access.policy import CENTRE_CASE_ROLES
    from caseflow.auth.services import revoke_all_tokens

    user.password_hash = None
    if user.role in CENTRE_CASE_ROLES:
        user.role_confirmed = False
    raw = issue_activation(user)
    ended = revoke_all_tokens(user)
    db.session.flush()
    record("account_reset", "users", user.id, detail={"sessions_ended": ended, "role_confirmed": user.role_confirmed})
    credentials_changed.send(user, change="password_changed")
    return raw


# -- second factor --------------------------------------------------------------------------
def start_enrolment(user: User) -> dict:
    if user.mfa_enabled:
        raise Conflict(lazy_gettext("You already have a second factor; remove it first to enrol another."))
    secret = mfa.new_secret()
    user.totp_secret = mfa.seal_secret(secret, user.id)
    user.totp_confirmed_at = None
    user.totp_last_step = None
    uri, svg = mfa.provisioning(secret, user.username)
    db.session.flush()
    record("mfa_enrolment_started", "users", user.id)
    return {"secret": secret, "otpauth_uri": uri, "qr_svg": svg}


def confirm_enrolment(user: User, code: str) -> list[str]:
    if user.mfa_enabled:
        raise Conflict(lazy_gettext("Your second factor is already confirmed."))
    if user.totp_secret is None:
        raise Conflict(lazy_gettext("Start the enrolment first."))
    secret = mfa.readable_secret(user)
    step = mfa.matching_step(secret, code) if secret is not None else None
    if step is None or not mfa.claim_step(user.id, step):
        raise field_error("code", lazy_gettext("This code is not right; check your app's clock and try the next code."))
    db.session.refresh(user, ["totp_last_step"])
    user.totp_confirmed_at = utcnow()
    codes = mfa.new_recovery_codes(user.id)
    record("mfa_enabled", "users", user.id)
    credentials_changed.send(user, change="mfa_enabled")
    return codes


def renew_recovery_codes(user: User, password: str, otp: str | None) -> list[str]:
    from caseflow.auth.services import confirm_identity

    if not user.mfa_enabled:
        raise Conflict(lazy_gettext("You have no second factor."))
    confirm_identity(user, password, otp)
    codes = mfa.new_recovery_codes(user.id)
    record("mfa_recovery_codes_renewed", "users", user.id)
    credentials_changed.send(user, change="recovery_codes_renewed")
    return codes


def mfa_required_for(role: str) -> bool:
    return role in current_app.config["CASEFLOW_MFA_REQUIRED_ROLES"]


def remove_factor(user: User, password: str, otp: str | None) -> None:
    from caseflow.auth.services import confirm_identity

    if not user.mfa_enabled:
        raise Conflict(lazy_gettext("You have no second factor."))
    if mfa_required_for(user.role):
        raise Forbidden(lazy_gettext("Your role requires a second factor; it cannot be removed."))
    confirm_identity(user, password, otp)
    mfa.forget(user)
    db.session.flush()
    record("mfa_removed", "users", user.id)
    credentials_changed.send(user, change="mfa_removed")


def operator_reset_factor(user: User) -> None:
    """The server operator's reset of a lost factor (``caseflow users reset-mfa``): her
    sessions end too, since whoever holds one may be the one who took her phone."""
    from caseflow.auth.services import revoke_all_tokens

    mfa.forget(user)
    ended = revoke_all_tokens(user)
    db.session.flush()
    record("mfa_reset", "users", user.id, detail={"sessions_ended": ended})
    credentials_changed.send(user, change="mfa_removed")
