from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned


class CaseConference(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """A case conference: the organizations that sat together on her case, and what they
    decided. That it was held, when and with whom is visible to the case team; the
    decisions are encrypted under her data key (they say what is being done for her)."""

    __tablename__ = "case_conferences"
    __table_args__ = (Index("ix_case_conferences_case_held", "case_id", "held_at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    held_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: The organizations taking part (ids as strings, in the order given; the centre
    #: holding the case is implied).
    organization_ids: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    decisions_ct: Mapped[bytes | None] = encrypted_column()
    decisions = EncryptedAttribute()
