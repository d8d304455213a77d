from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned


class RiskAssessment(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """One assessment with one instrument version; reassessments add rows (history kept).

    Raw answers are encrypted (they describe the aggressor and her danger); score and level
    are computed server-side and kept in the clear for filtering and follow-up frequency.
    """

    __tablename__ = "risk_assessments"
    __table_args__ = (
        CheckConstraint("level IN ('leve', 'moderado', 'severo')", name="level"),
        Index("ix_risk_assessments_case_at", "case_id", "assessed_at"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    #: Instrument file id, e.g. ``fvr-demo-v1``, and its version.
    instrument: Mapped[str] = mapped_column(String(60), nullable=False)
    instrument_version: Mapped[int] = mapped_column(Integer, nullable=False)
    score: Mapped[int] = mapped_column(Integer, nullable=False)
    level: Mapped[str] = mapped_column(String(10), nullable=False)
    assessed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    assessed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    answers_ct: Mapped[bytes | None] = encrypted_column()
    answers = EncryptedAttribute("json")
