from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.clock import utcnow
from caseflow.core.db import UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db

TOKEN_KINDS = ("session", "bearer", "feed")


class AuthToken(UUIDPrimaryKey, db.Model):
    """A credential handed to a client; only its SHA-256 is stored.

    ``session`` tokens sit in the signed, HttpOnly cookie so that logout revokes them on the
    server; ``bearer`` tokens go in ``Authorization``; ``feed`` tokens open a calendar feed
    and nothing else.
    """

    __tablename__ = "auth_tokens"
    __table_args__ = (CheckConstraint("kind IN ('session', 'bearer', 'feed')", name="kind"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(10), nullable=False)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When its holder last gave her password (and second factor, if she has one) for it:
    #: at sign-in, and again by POST /auth/reauthenticate before a sensitive operation.
    authenticated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RecoveryCode(UUIDPrimaryKey, db.Model):
    """One single-use recovery code, kept as an HMAC under a KEK of the keyring."""

    __tablename__ = "mfa_recovery_codes"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    kek_id: Mapped[str] = mapped_column(String(32), nullable=False)
    code_digest: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInAttempt(UUIDPrimaryKey, db.Model):
    """A sign-in attempt, the throttle's shared state (caseflow.auth.throttle).

    Account and address are HMAC digests: a username typed wrong (or a password typed into
    the username field) and a client's address are not kept in clear.
    """

    __tablename__ = "sign_in_attempts"
    __table_args__ = (
        Index("ix_sign_in_attempts_account_at", "account", "at"),
        Index("ix_sign_in_attempts_address_at", "address", "at"),
    )

    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    account: Mapped[str] = mapped_column(String(64), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)


def usable(revoked_at: datetime | None, expires_at: datetime | None, moment: datetime) -> bool:
    """A token works until revoked or expired (one rule for the object and the bare row)."""
    return revoked_at is None and (expires_at is None or expires_at > moment)
