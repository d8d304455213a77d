"""Authentication: sign-in (password, second factor, throttle), tokens and sessions, CSRF."""

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
from sqlalchemy import bindparam, func, select, update

from caseflow.audit.services import record
from caseflow.auth.caller import Caller
from caseflow.auth.models import AuthToken, usable
from caseflow.auth.passwords import burn_verification, verify_password
from caseflow.core.clock import utcnow
from caseflow.core.errors import TooManyRequests, Unauthorized
from caseflow.directory.models import Organization, User
from caseflow.extensions import db

#: One message for unknown user, wrong password and inactive account alike.
INVALID_LOGIN = lazy_gettext("Invalid username or password.")
MFA_REQUIRED = lazy_gettext("Enter the code from your authenticator app, or one of your recovery codes.")
THROTTLED = lazy_gettext("Too many failed sign-ins from here. Wait before trying again.")
GUARDED = lazy_gettext(
    "Too many failed sign-ins for this account. Sign in with your password and your authenticator code "
    "together, or wait."
)
ANONYMOUS = {"actor_id": None, "actor_kind": "anonymous", "actor_role": None, "organization_id": None}


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _actor(user: User) -> dict:
    return {"actor_id": user.id, "actor_kind": "user", "actor_role": user.role, "organization_id": user.organization_id}


def sign_in(username: str, password: str, otp: str | None = None, *, address: str | None = None) -> User:
    """Check a sign-in (username, password and, where she has one, her second factor).

    The one service behind ``POST /auth/login``, ``POST /auth/tokens`` and the console's
    sign-in form: it returns the account, or raises 401 (``mfa_required`` when the password
    was right and the code is missing or wrong) or 429 with ``Retry-After`` (the throttle,
    caseflow.auth.throttle). ``address`` is the client's address as the server sees it.
    Failed attempts and their audit entries are kept although the request answers an error.
    Starting the session or token is the caller's (:func:`start_cookie_session`,
    :func:`issue_token`).
    """
    from caseflow.auth import throttle

    now = utcnow()
    position = throttle.standing(username, address, now)
    if position.retry_after is not None:
        record("login_throttled", "users", None, detail={"limit": "address"}, actor=ANONYMOUS)
        raise TooManyRequests(THROTTLED, retry_after=position.retry_after, keep_changes=True)
    user = db.session.scalars(select(User).where(func.lower(User.username) == username.strip().lower())).first()
    if position.guarded and not position.known_address and (user is None or not user.mfa_enabled):
        # Without a second factor nothing but a known address tells her from a guesser.
        burn_verification(password)
        _refuse(position, now, user, "guarded", guarded=True)
    if user is None:
        burn_verification(password)
        _refuse(position, now, None, "credentials", guarded=position.guarded)
    if not verify_password(user.password_hash, password) or not user.active:
        _refuse(position, now, user, "credentials" if user.active else "inactive", guarded=position.guarded)
    if user.mfa_enabled:
        if not otp:
            _refuse(position, now, user, "mfa_missing", guarded=position.guarded, mfa=True)
        if not check_second_factor(user, otp):
            _refuse(position, now, user, "mfa_wrong", guarded=position.guarded, mfa=True)
    throttle.note(position, True, now)
    user.last_login_at = now
    record("login", "users", user.id, detail={"second_factor": bool(user.mfa_enabled)}, actor=_actor(user))
    return user


def _refuse(position, now, user: User | None, reason: str, *, guarded: bool, mfa: bool = False):
    from caseflow.auth import throttle

    throttle.note(position, False, now)
    detail = {"reason": reason, **({"guarded": True} if guarded else {})}
    record("login_failed", "users", user.id if user else None, detail=detail,
           actor=_actor(user) if user else ANONYMOUS)
    if guarded:
        # The same answer whichever part was wrong: a guarded account tells a guesser nothing.
        raise TooManyRequests(GUARDED, retry_after=throttle.account_retry_after(position, now), keep_changes=True)
    if mfa:
        raise Unauthorized(MFA_REQUIRED, keep_changes=True, extra={"mfa_required": True})
    raise Unauthorized(INVALID_LOGIN, keep_changes=True)


def check_second_factor(user: User, otp: str | None) -> bool:
    """A TOTP code of hers not used before, or one of her unused recovery codes.

    A TOTP code already accepted (or one older than the last accepted) is refused and the
    replay audited.
    """
    from caseflow.auth import mfa

    if not otp or not user.totp_secret or len(otp) > 40:
        return False
    code = otp.strip().replace(" ", "")
    if len(code) == 6 and code.isdigit():
        secret = mfa.readable_secret(user)
        step = mfa.matching_step(secret, code) if secret is not None else None
        if step is None:
            return False
        if not mfa.claim_step(user.id, step):
            record("mfa_replay_refused", "users", user.id, actor=_actor(user))
            return False
        return True
    if mfa.looks_like_recovery_code(code) and mfa.use_recovery_code(user.id, code):
        record("mfa_recovery_code_used", "users", user.id,
               detail={"remaining": mfa.remaining_recovery_codes(user.id)}, actor=_actor(user))
        return True
    return False


def confirm_identity(user: User, password: str, otp: str | None) -> None:
    """Password (and second factor, where she has one) of a signed-in person, for an
    operation that asks her again (re-authentication, removing her factor, new codes)."""
    if not verify_password(user.password_hash, password) or (user.mfa_enabled and not check_second_factor(user, otp)):
        record("reauthentication_failed", "users", user.id, actor=_actor(user))
        raise Unauthorized(MFA_REQUIRED if user.mfa_enabled else INVALID_LOGIN, keep_changes=True,
                           extra={"mfa_required": True} if user.mfa_enabled else None)


def issue_token(user: User, kind: str, ttl: timedelta | None) -> tuple[str, AuthToken]:
    raw = f"cf{kind[0]}_" + secrets.token_urlsafe(32)
    token = AuthToken(
        user_id=user.id,
        kind=kind,
        token_hash=_digest(raw),
        expires_at=utcnow() + ttl if ttl else None,
        # Issued right after her password (and second factor) were checked.
        authenticated_at=utcnow() if kind != "feed" else None,
    )
    db.session.add(token)
    return raw, token


class Credential(NamedTuple):
    """Who a presented token speaks for, and which token it was (to revoke it on logout)."""

    user: Caller
    token_id: uuid.UUID


#: The caller's columns, named as :class:`Caller`'s fields.
CALLER_COLUMNS = (User.id, User.username, User.full_name, User.role, User.discipline, User.organization_id,
                  Organization.code.label("organization_code"), User.role_confirmed,
                  User.totp_confirmed_at.is_not(None).label("mfa_enabled"))
CALLER_FIELDS = tuple(field.name for field in fields(Caller))


@cache
def _caller_by_token():
    """Every authenticated request runs this: the caller's columns and the token's, as plain
    rows, built once on first use, when every model is mapped."""
    return (select(*CALLER_COLUMNS, User.active, AuthToken.id.label("token_id"), AuthToken.kind,
                   AuthToken.expires_at, AuthToken.revoked_at, AuthToken.created_at, AuthToken.last_used_at)
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
    if kind == "session" and not _still_active(row):
        return None
    return Credential(Caller(**{name: row._mapping[name] for name in CALLER_FIELDS}), row.token_id)


#: A cookie session's last request is written at most this often (one UPDATE a minute, not
#: one per request); the idle limit is therefore exact to within this much.
SEEN_RESOLUTION = timedelta(seconds=60)


def _still_active(row) -> bool:
    """A cookie session ends after CASEFLOW_SESSION_IDLE_MINUTES without a request (shared
    computers at a centre: the next person must not find her signed in)."""
    now = utcnow()
    seen = row.last_used_at or row.created_at
    if now - seen > timedelta(minutes=current_app.config["CASEFLOW_SESSION_IDLE_MINUTES"]):
        return False
    if now - seen > SEEN_RESOLUTION:
        # A Core statement on the request's connection: in a read request it runs in
        # autocommit beside the read (caseflow.core.unit_of_work), not as an ORM write.
        db.session.connection().execute(
            update(AuthToken).where(AuthToken.id == row.token_id).values(last_used_at=now))
    return True


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


def revoke_all_tokens(user: User, keep: uuid.UUID | None = None, kind: str | None = None) -> int:
    """Deactivation, a reset or a password change ends every session and token of the
    account (but ``keep``, the one she changed her password with); given a ``kind`` (e.g.
    ``feed``), only the tokens of that kind. Returns how many."""
    ended = 0
    statement = select(AuthToken).where(AuthToken.user_id == user.id, AuthToken.revoked_at.is_(None))
    if kind is not None:
        statement = statement.where(AuthToken.kind == kind)
    for token in db.session.scalars(statement):
        if token.id != keep:
            revoke(token)
            ended += 1
    return ended


# -- her sessions ------------------------------------------------------------------------
def live_sessions(user_id: uuid.UUID) -> list[AuthToken]:
    """Her signed-in cookie sessions and bearer tokens (not calendar feeds), newest first."""
    now = utcnow()
    idle = timedelta(minutes=current_app.config["CASEFLOW_SESSION_IDLE_MINUTES"])
    tokens = db.session.scalars(
        select(AuthToken).where(AuthToken.user_id == user_id, AuthToken.kind.in_(("session", "bearer")),
                                AuthToken.revoked_at.is_(None))
        .order_by(AuthToken.created_at.desc(), AuthToken.id))
    return [token for token in tokens if usable(token.revoked_at, token.expires_at, now)
            and (token.kind != "session" or now - (token.last_used_at or token.created_at) <= idle)]


def end_session(user_id: uuid.UUID, token_id: uuid.UUID) -> AuthToken | None:
    token = db.session.get(AuthToken, token_id)
    if token is None or token.user_id != user_id or token.kind == "feed" or token.revoked_at is not None:
        return None
    revoke(token)
    record("session_ended", "auth_tokens", token.id, detail={"kind": token.kind})
    return token


#: Signing in again is asked for before what cannot be undone or hands over her data.
REAUTH_WINDOW = timedelta(minutes=5)
REAUTH_REQUIRED = lazy_gettext("Confirm your password and code again before this operation.")


def reauthenticate(credential: Credential, user: User, password: str, otp: str | None) -> None:
    confirm_identity(user, password, otp)
    db.session.get(AuthToken, credential.token_id).authenticated_at = utcnow()
    record("reauthenticated", "users", user.id)


def require_recent_authentication() -> None:
    """403 with ``reauth_required`` unless the caller's session or token was authenticated
    (password and second factor) within the last five minutes."""
    from caseflow.core.errors import Forbidden
    from caseflow.core.unit_of_work import current

    credential = current().auth_credential
    at = None
    if credential is not None:
        at = db.session.scalar(select(AuthToken.authenticated_at).where(AuthToken.id == credential.token_id))
    if at is None or utcnow() - at > REAUTH_WINDOW:
        raise Forbidden(REAUTH_REQUIRED, extra={"reauth_required": True})


ENROLMENT_REQUIRED = lazy_gettext("Your role requires a second factor: enrol an authenticator app first.")


def require_enrolment_done(caller, endpoint: str) -> None:
    """403 with ``mfa_enrollment_required`` for a person whose role requires a second factor
    and who has none yet, on every route but enrolment (and signing out)."""
    if caller.mfa_enabled or caller.role not in current_app.config["CASEFLOW_MFA_REQUIRED_ROLES"]:
        return
    from caseflow.auth.routes import ENROLMENT_ENDPOINTS
    from caseflow.core.errors import Forbidden

    if endpoint not in ENROLMENT_ENDPOINTS:
        raise Forbidden(ENROLMENT_REQUIRED, extra={"mfa_enrollment_required": True})
