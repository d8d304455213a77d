"""Authentication: credentials, lockout, token issue and lookup, CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from dataclasses import fields
from datetime import timedelta
from functools import cache
from typing import NamedTuple

from flask import current_app, session
from flask_babel import lazy_gettext
from sqlalchemy import bindparam, case, func, select, update

from caseflow.audit.services import record
from caseflow.auth.caller import Caller
from caseflow.auth.models import AuthToken, usable
from caseflow.auth.passwords import burn_verification, verify_password
from caseflow.core.clock import utcnow
from caseflow.core.errors import Unauthorized
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

#: One message for unknown user, wrong password and locked account alike.
INVALID_LOGIN = lazy_gettext(
    "Invalid username or password, or the account is temporarily locked."
)


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def authenticate(username: str, password: str) -> User:
    """Return the user, or raise 401 without saying which part was wrong."""
    now = utcnow()
    user = db.session.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()
    if user is None:
        burn_verification(password)
        record("login_failed", "users", None, detail={"reason": "credentials"},
               actor={"actor_id": None, "actor_kind": "anonymous", "actor_role": None, "organization_id": None})
        raise Unauthorized(INVALID_LOGIN, keep_changes=True)
    actor = {"actor_id": user.id, "actor_kind": "user", "actor_role": user.role, "organization_id": user.organization_id}
    if user.locked_until is not None and user.locked_until > now:
        burn_verification(password)
        record("login_failed", "users", user.id, detail={"reason": "locked"}, actor=actor)
        raise Unauthorized(INVALID_LOGIN, keep_changes=True)
    if not verify_password(user.password_hash, password) or not user.active:
        detail = {"reason": "credentials" if user.active else "inactive"}
        if _count_failure(user, now):
            detail["locked"] = True
        record("login_failed", "users", user.id, detail=detail, actor=actor)
        raise Unauthorized(INVALID_LOGIN, keep_changes=True)
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    record("login", "users", user.id, actor=actor)
    return user


def _count_failure(user: User, now) -> bool:
    """Add one failed attempt in a single UPDATE; at the threshold, lock and start again.

    Read-then-write in Python lost updates when attempts ran in parallel (on PostgreSQL ten
    simultaneous wrong passwords could leave the count at two and the account open); the
    database does the arithmetic under its row lock instead. Returns whether this attempt
    locked the account.
    """
    threshold = current_app.config["CASEFLOW_LOCKOUT_THRESHOLD"]
    until = now + timedelta(minutes=current_app.config["CASEFLOW_LOCKOUT_MINUTES"])
    failures = func.coalesce(User.failed_logins, 0) + 1
    reaches = failures >= threshold
    locked_until = db.session.execute(
        update(User).where(User.id == user.id)
        .values(failed_logins=case((reaches, 0), else_=failures),
                locked_until=case((reaches, until), else_=User.locked_until))
        .returning(User.locked_until)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(user, ["failed_logins", "locked_until"])
    return locked_until is not None and locked_until >= until


def issue_token(user: User, kind: str, ttl: timedelta | None) -> tuple[str, AuthToken]:
    raw = f"cf{kind[0]}_" + secrets.token_urlsafe(32)
    token = AuthToken(
        user_id=user.id,
        kind=kind,
        token_hash=_digest(raw),
        expires_at=utcnow() + ttl if ttl else None,
    )
    db.session.add(token)
    return raw, token


class Credential(NamedTuple):
    """Who a presented token speaks for, and which token it was (to revoke it on logout)."""

    user: Caller
    token_id: uuid.UUID


#: The caller's columns, named as :class:`Caller`'s fields.
CALLER_COLUMNS = (User.id, User.username, User.full_name, User.role, User.discipline, User.organization_id,
                  Organization.code.label("organization_code"))
CALLER_FIELDS = tuple(field.name for field in fields(Caller))


@cache
def _caller_by_token():
    """Every authenticated request runs this: the caller's columns and the token's, as plain
    rows, built once on first use, when every model is mapped."""
    return (select(*CALLER_COLUMNS, User.active, AuthToken.id.label("token_id"), AuthToken.kind,
                   AuthToken.expires_at, AuthToken.revoked_at)
            .join(AuthToken, AuthToken.user_id == User.id)
            .join(Organization, Organization.id == User.organization_id)
            .where(AuthToken.token_hash == bindparam("token_hash")))


def token_for(raw: str | None, kind: str) -> Credential | None:
    """The caller behind a raw token of this kind, if the token is unexpired, unrevoked and
    its account active."""
    if not raw or len(raw) > 100:
        return None
    # On the connection: a row, without the session's entity machinery (see Caller).
    row = db.session.connection().execute(_caller_by_token(), {"token_hash": _digest(raw)}).first()
    if row is None or row.kind != kind or not usable(row.revoked_at, row.expires_at, utcnow()):
        return None
    if not row.active:
        return None
    return Credential(Caller(**{name: row._mapping[name] for name in CALLER_FIELDS}), row.token_id)


def revoke(token: AuthToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def revoke_credential(credential: Credential) -> None:
    revoke(db.session.get(AuthToken, credential.token_id))


# -- cookie sessions -------------------------------------------------------------------
def start_cookie_session(user: User) -> str:
    """Replace whatever session the browser had (no fixation) and return its CSRF token."""
    session.clear()
    hours = current_app.config["CASEFLOW_SESSION_TTL_HOURS"]
    raw, _ = issue_token(user, "session", timedelta(hours=hours))
    session["auth"] = raw
    session["csrf"] = secrets.token_urlsafe(32)
    session.permanent = True
    return session["csrf"]


def end_cookie_session() -> None:
    credential = token_for(session.get("auth"), "session")
    if credential is not None:
        revoke_credential(credential)
    session.clear()


def csrf_token() -> str | None:
    return session.get("csrf")


def csrf_valid(sent: str | None) -> bool:
    expected = session.get("csrf")
    return bool(expected and sent and hmac.compare_digest(expected, sent))


def revoke_all_tokens(user: User, kind: str | None = None) -> None:
    """Deactivation or a password change ends every session and token of the account;
    given a ``kind`` (e.g. ``feed``), only the tokens of that kind."""
    statement = select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
    if kind is not None:
        statement = statement.where(AuthToken.kind == kind)
    for token in db.session.scalars(statement):
        revoke(token)
