from __future__ import annotations

import uuid
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Boolean, CheckConstraint, ForeignKey, Index, LargeBinary, String, Uuid, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db

SECTORS = ("cem", "health", "police", "justice", "social", "ngo", "penitentiary")
ROLES = ("admin", "supervisor", "caseworker", "mentor", "psychologist", "liaison")
DISCIPLINES = ("admission", "psychology", "legal", "social")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organization(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "organizations"
    __table_args__ = (CheckConstraint(_in("sector", SECTORS), name="sector"),)

    #: Short, stable code used in case codes and the CLI (``CEM-LIMA``).
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    sector: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    #: INEI UBIGEO of the district (6 digits), for statistics and the service directory.
    district: Mapped[str | None] = mapped_column(String(6), index=True)
    #: Service types this organization offers (contract value list).
    service_types: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    users = relationship("User", back_populates="organization")


class User(UUIDPrimaryKey, Timestamps, UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(f"discipline IS NULL OR {_in('discipline', DISCIPLINES)}", name="discipline"),
        Index("ix_users_activation_hash", "activation_hash", unique=True),
    )

    #: Stored lower-case; logins compare case-insensitively.
    username: Mapped[str] = mapped_column(String(80), unique=True, nullable=False)
    full_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254))
    #: Unset for an account made through the API until she activates it (caseflow.accounts).
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    discipline: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("organizations.id"), nullable=False, index=True
    )
    #: ``active`` is flask-login's notion too: inactive accounts cannot authenticate.
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The TOTP secret, sealed under a KEK of the keyring (caseflow.auth.mfa); never returned
    #: after enrolment. A second factor counts once ``totp_confirmed_at`` is set.
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The last TOTP time step accepted: a code of that step or an earlier one is a replay.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    #: SHA-256 of the single-use activation token (the token itself is shown once).
    activation_hash: Mapped[str | None] = mapped_column(String(64))
    activation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: False while a content role (caseworker, supervisor) given through the API waits for a
    #: supervisor of her centre to confirm it; until then she reaches no case.
    role_confirmed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True, server_default=true())

    organization = relationship(Organization, back_populates="users")

    @property
    def is_active(self) -> bool:
        return bool(self.active)

    @property
    def mfa_enabled(self) -> bool:
        return self.totp_confirmed_at is not None and self.totp_secret is not None

    @property
    def organization_code(self) -> str:
        """As a request's Caller has it (caseflow.auth.caller)."""
        return self.organization.code

    def get_id(self) -> str:
        return str(self.id)
