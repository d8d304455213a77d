from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

KINDS = ("action_plan", "closure")
STATUSES = ("pending", "approved", "rejected")
DECISIONS = ("approved", "rejected")


class Approval(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """A caseworker asks, a supervisor of the centre decides, with a note; once decided it
    never changes (guidelines steps 3 and 6: the supervisor approves plan and closure)."""

    __tablename__ = "approvals"
    __table_args__ = (
        CheckConstraint("kind IN ('action_plan', 'closure')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint(
            "(status = 'pending' AND decided_at IS NULL) OR (status <> 'pending' AND decided_at IS NOT NULL)",
            name="decided_when_not_pending",
        ),
        Index("ix_approvals_case_kind_status", "case_id", "kind", "status"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: For closure: when a closing used this approval (one approval closes the case once).
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    request_note_ct: Mapped[bytes | None] = encrypted_column()
    request_note = EncryptedAttribute()
    decision_note_ct: Mapped[bytes | None] = encrypted_column()
    decision_note = EncryptedAttribute()
