from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned


class AttentionSession(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """An "atención": a session she had with a professional of one discipline.

    That it happened (discipline, time, length, who) is visible to the centre; what was said
    (summary, next steps) is encrypted, and for psychology only the same discipline and the
    supervisors read it (``access.policy.may_read_session_notes``).
    """

    __tablename__ = "attention_sessions"
    __table_args__ = (
        CheckConstraint("discipline IN ('admission', 'psychology', 'legal', 'social')", name="discipline"),
        CheckConstraint("duration_minutes > 0", name="duration_positive"),
        Index("ix_attention_sessions_case_started", "case_id", "started_at"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    discipline: Mapped[str] = mapped_column(String(20), nullable=False)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    held_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    summary_ct: Mapped[bytes | None] = encrypted_column()
    summary = EncryptedAttribute()
    next_steps_ct: Mapped[bytes | None] = encrypted_column()
    next_steps = EncryptedAttribute()
