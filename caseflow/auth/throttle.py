"""Throttled sign-in: per account and per client address, never a lock on her account.

State is the ``sign_in_attempts`` table, so every gunicorn worker (and every server in
front of one database) counts the same attempts. Within a quarter hour:

* one address may fail :data:`PAIR_LIMIT` times at one account, and
  :data:`ADDRESS_LIMIT` times over all accounts; past either, that address gets 429 before
  any password is checked (its own attempts only, never anyone else's);
* once an account has :data:`ACCOUNT_LIMIT` failures from anywhere, it is *guarded*: an
  attempt signs in only when it is complete and right (password and second factor); any
  other attempt answers 429 without saying which part was wrong, so guessing gets no more
  answers about her password, while her own complete sign-in from a fresh address passes.
  An account without a second factor, once guarded, signs in only from an address where it
  signed in successfully within :data:`KNOWN_ADDRESS_DAYS` (the only proof left of who she is).

See docs/security.md for why this shape, and bench/accounts.py for its cost.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, or_, select

from caseflow.auth.models import SignInAttempt
from caseflow.extensions import db

WINDOW = timedelta(minutes=15)
PAIR_LIMIT = 10
ADDRESS_LIMIT = 50
ACCOUNT_LIMIT = 10
KNOWN_ADDRESS_DAYS = 30
FAILURES_KEPT = timedelta(days=1)


def _digest(kind: str, value: str) -> str:
    key = (current_app.config.get("SECRET_KEY") or "").encode()
    return hmac.new(key, f"caseflow:{kind}:{value}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Standing:
    """What the throttle says about one attempt before its password is checked."""

    account: str
    address: str
    #: Seconds this address must wait (it is throttled), or None.
    retry_after: int | None
    #: Only a complete, right attempt may sign in (see the module's docstring).
    guarded: bool
    #: This address signed in to this account successfully not long ago.
    known_address: bool


def _failures(since: datetime, *conditions):
    return select(func.count()).select_from(SignInAttempt).where(
        SignInAttempt.succeeded.is_(False), SignInAttempt.at > since, *conditions)


def _retry_after(now: datetime, limit: int, *conditions) -> int:
    """Seconds until enough of these failures leave the window for one more attempt."""
    since = now - WINDOW
    count = db.session.scalar(_failures(since, *conditions))
    oldest = db.session.scalar(
        select(SignInAttempt.at).where(SignInAttempt.succeeded.is_(False), SignInAttempt.at > since, *conditions)
        .order_by(SignInAttempt.at).offset(max(count - limit, 0)).limit(1))
    if oldest is None:
        return 1
    return max(1, math.ceil((oldest + WINDOW - now).total_seconds()))


def standing(username: str, address: str | None, now: datetime) -> Standing:
    account = _digest("account", username.strip().lower())
    address = _digest("address", address or "unknown")
    since = now - WINDOW
    pair = db.session.scalar(_failures(since, SignInAttempt.account == account, SignInAttempt.address == address))
    retry = None
    if pair >= PAIR_LIMIT:
        retry = _retry_after(now, PAIR_LIMIT, SignInAttempt.account == account, SignInAttempt.address == address)
    elif db.session.scalar(_failures(since, SignInAttempt.address == address)) >= ADDRESS_LIMIT:
        retry = _retry_after(now, ADDRESS_LIMIT, SignInAttempt.address == address)
    guarded = db.session.scalar(_failures(since, SignInAttempt.account == account)) >= ACCOUNT_LIMIT
    known = guarded and db.session.scalar(
        select(func.count()).select_from(SignInAttempt).where(
            SignInAttempt.succeeded.is_(True), SignInAttempt.account == account,
            SignInAttempt.address == address, SignInAttempt.at > now - timedelta(days=KNOWN_ADDRESS_DAYS))
    ) > 0
    return Standing(account, address, retry, guarded, known)


def account_retry_after(position: Standing, now: datetime) -> int:
    return _retry_after(now, ACCOUNT_LIMIT, SignInAttempt.account == position.account)


def note(position: Standing, succeeded: bool, now: datetime) -> None:
    """Record the attempt (the caller keeps it even when the request answers an error)."""
    db.session.add(SignInAttempt(at=now, account=position.account, address=position.address, succeeded=succeeded))
    if succeeded:
        # Housekeeping on the rarer event: failures are needed for a quarter hour (a day is
        # kept for the audit's sake), successes for the known-address rule.
        db.session.execute(delete(SignInAttempt).where(or_(
            SignInAttempt.at < now - timedelta(days=KNOWN_ADDRESS_DAYS),
            (SignInAttempt.succeeded.is_(False)) & (SignInAttempt.at < now - FAILURES_KEPT),
        )).execution_options(synchronize_session=False))
    db.session.flush()
