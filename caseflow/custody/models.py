"""Custody records (a history, newest last), supplies delivered to her, visit restrictions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

CUSTODY_STATUSES = ("in_custody", "released")
#: What organizations supporting women in prison hand over (hygiene kits first of all).
SUPPLY_KINDS = ("hygiene_kit", "clothing", "bedding", "baby_supplies", "menstrual_products", "food", "other")
#: Whom she does not want to be visited by (Bangkok Rules, rule 44), as a code.
RESTRICTED_RELATIONSHIPS = ("partner", "former_partner", "family", "acquaintance", "other")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CustodyRecord(UUIDPrimaryKey, Timestamps, db.Model):
    """One change of her custody: in custody at a facility since a date, or released.

    Records are never edited: the latest by ``since`` (then by when it was written) is her
    current state, the rest is her history. Codes and dates only: nothing here is encrypted.
    """

    __tablename__ = "custody_records"
    __table_args__ = (
        CheckConstraint(_in("status", CUSTODY_STATUSES), name="status"),
        Index("ix_custody_records_survivor_since", "survivor_id", "since"),
    )

    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False)
    #: The centre that recorded it (whose staff see it).
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False)
    #: The penitentiary establishment (an organization of sector ``penitentiary``).
    facility_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False,
                                                   index=True)
    since: Mapped[date] = mapped_column(Date, nullable=False)
    expected_release_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))


class SupplyDelivery(UUIDPrimaryKey, Timestamps, db.Model):
    """Something handed to her (a hygiene kit...), when and by whom: counted by facility."""

    __tablename__ = "supply_deliveries"
    __table_args__ = (CheckConstraint(_in("kind", SUPPLY_KINDS), name="kind"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(24), nullable=False)
    delivered_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    delivered_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    #: Where she was held when it was handed over (None: not in custody then).
    facility_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("organizations.id"), index=True)


class VisitRestriction(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """A person she does not want to be visited by (often the aggressor). The name and her
    reason are encrypted under her data key; the facility reads them only under her consent."""

    __tablename__ = "visit_restrictions"
    __table_args__ = (CheckConstraint(_in("relationship", RESTRICTED_RELATIONSHIPS), name="relationship"),)

    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    relationship: Mapped[str] = mapped_column(String(20), nullable=False)
    active: Mapped[bool] = mapped_column(db.Boolean, nullable=False, default=True)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    person_name_ct: Mapped[bytes | None] = encrypted_column()
    person_name = EncryptedAttribute()
    reason_ct: Mapped[bytes | None] = encrypted_column()
    reason = EncryptedAttribute()
