from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

#: Contract value list (GBV closure checklist; guidelines step 6).
CLOSURE_REASONS = ("needs_met", "no_contact", "survivor_request", "left_area", "transferred", "other")
REOPEN_REASONS = ("new_incident", "new_needs", "survivor_request", "closed_in_error", "other")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CaseClosure(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """One closing of a case with its checklist, and its reopening if any.

    A case closed and reopened twice has two rows: the history of closures is kept.
    """

    __tablename__ = "case_closures"
    __table_args__ = (
        CheckConstraint(_in("reason", CLOSURE_REASONS), name="reason"),
        CheckConstraint(f"reopen_reason IS NULL OR {_in('reopen_reason', REOPEN_REASONS)}", name="reopen_reason"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    approval_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("approvals.id"), nullable=False, unique=True)
    reason: Mapped[str] = mapped_column(String(20), nullable=False)
    #: The checklist as answered when closing.
    needs_met: Mapped[bool] = mapped_column(Boolean, nullable=False)
    safety_plan_reviewed: Mapped[bool] = mapped_column(Boolean, nullable=False)
    survivor_informed_may_return: Mapped[bool] = mapped_column(Boolean, nullable=False)
    #: Days since last contact when closed (the 30-day rule is checked against it).
    days_without_contact: Mapped[int | None] = mapped_column()
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    closed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    reopened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reopened_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    reopen_reason: Mapped[str | None] = mapped_column(String(20))

    note_ct: Mapped[bytes | None] = encrypted_column()
    note = EncryptedAttribute()
    reopen_note_ct: Mapped[bytes | None] = encrypted_column()
    reopen_note = EncryptedAttribute()
