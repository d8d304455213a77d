"""Custody records (a history, newest last), supplies delivered to her, visit restrictions."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, Owner, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

CUSTODY_STATUSES = ("in_custody", "released")
#: What organizations supporting women in prison hand over (hygiene kits first of all).
SUPPLY_KINDS = ("hygiene_kit", "clothing", "bedding", "baby_supplies", "menstrual_products", "food", "other")
#: Whom she does not want to be visited by (Bangkok Rules, rule 44), as a code.
RESTRICTED_RELATIONSHIPS = ("partner", "former_partner", "family", "acquaintance", "other")
#: What admission screening covers (Bangkok Rules, rule 6), each with the need and service
#: type it adds to her action plan when found.
SCREENING_AREAS: dict[str, tuple[str, str]] = {
    "sexual_reproductive_health": ("health", "sexual_reproductive_health"),
    "hiv_sti": ("health", "medical_care"),
    "mental_health": ("psychosocial", "mental_health"),
    "suicide_risk": ("safety", "mental_health"),
    "drug_dependency": ("health", "medical_care"),
    "violence_before_admission": ("psychosocial", "mental_health"),
}
#: Her decision on legal recourse after disclosing abuse in custody (rule 7).
LEGAL_RECOURSE = ("wants_to_report", "declines", "undecided")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CustodyRecord(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """One change of her custody: in custody at a facility since a date, or released.

    Records are never edited: the latest by ``since`` (then by when it was written) is her
    current state, the rest is her history. Codes and dates are plain; maternity (whether
    she is pregnant, the ages of children living with her: rule 48) is health data and
    encrypted.
    """

    __tablename__ = "custody_records"
    __table_args__ = (
        CheckConstraint(_in("status", CUSTODY_STATUSES), name="status"),
        Index("ix_custody_records_survivor_since", "survivor_id", "since"),
    )

    #: No case: her values are bound to her and to the centre whose staff see them.
    __encryption_owner__ = Owner("survivor_id", also=("organization_id",))

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

    maternity_ct: Mapped[bytes | None] = encrypted_column()
    maternity = EncryptedAttribute("json")


class CustodyScreening(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """Health screening on admission (Bangkok Rules, rule 6). Which areas were found is health
    data: encrypted; each area found became a need of her action plan."""

    __tablename__ = "custody_screenings"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    screened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    screened_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    findings_ct: Mapped[bytes | None] = encrypted_column()
    findings = EncryptedAttribute("json")
    notes_ct: Mapped[bytes | None] = encrypted_column()
    notes = EncryptedAttribute()


class CustodyDisclosure(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """Abuse she disclosed in custody (rule 7): her decision on legal recourse, the referral
    to the competent authority her consent allowed, and whether she must be protected from
    retaliation (shown to everyone working her case)."""

    __tablename__ = "custody_disclosures"
    __table_args__ = (CheckConstraint(_in("legal_recourse", LEGAL_RECOURSE), name="legal_recourse"),)

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    disclosed_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    legal_recourse: Mapped[str] = mapped_column(String(20), nullable=False)
    protect_from_retaliation: Mapped[bool] = mapped_column(db.Boolean, nullable=False, default=True)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("referrals.id"))
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    narrative_ct: Mapped[bytes | None] = encrypted_column()
    narrative = EncryptedAttribute()


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
