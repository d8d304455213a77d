from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

GIVEN_BY = ("survivor", "guardian")
METHODS = ("written", "verbal")


class Consent(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """Her informed consent for her data to go to one recipient: a sector, or a named
    organization. Never deleted; withdrawal ends its effect and keeps the record."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("given_by IN ('survivor', 'guardian')", name="given_by"),
        CheckConstraint("method IN ('written', 'verbal')", name="method"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    recipient_sector: Mapped[str] = mapped_column(String(20), nullable=False)
    #: A named organization; when null the consent covers the whole sector.
    recipient_organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("organizations.id"))
    given_by: Mapped[str] = mapped_column(String(10), nullable=False)
    #: A child under 15: her assent beside the guardian's consent.
    child_assent: Mapped[bool | None] = mapped_column(Boolean)
    #: The guardian is the aggressor (or otherwise cannot act in her interest): the
    #: best-interest exception replaces the guardian's consent.
    best_interest_exception: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    method: Mapped[str] = mapped_column(String(10), nullable=False)
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    note_ct: Mapped[bytes | None] = encrypted_column()
    note = EncryptedAttribute()
    withdrawal_note_ct: Mapped[bytes | None] = encrypted_column()
    withdrawal_note = EncryptedAttribute()

    recipient_organization = relationship("Organization")

    @property
    def in_effect(self) -> bool:
        return self.withdrawn_at is None
