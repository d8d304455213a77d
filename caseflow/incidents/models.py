from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.incidents.classification import ACTS, AGE_GROUPS, DELAY_BUCKETS, GBV_TYPES, MIMP_AGE_GROUPS
from caseflow.survivors.models import SurvivorOwned

VIOLENCE_TYPES = ("fisica", "psicologica", "sexual", "economica_patrimonial")
PERPETRATOR_RELATIONSHIPS = ("partner", "former_partner", "family", "acquaintance", "authority", "stranger", "other")
LOCATION_TYPES = ("home", "street", "workplace", "school", "institution", "online", "other")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Incident(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """One incident of violence against one survivor (GBVIMS: exactly one survivor).

    The six act answers, the derived type and flags are coded values kept in the clear for
    statistics; the narrative is encrypted under her data key.
    """

    __tablename__ = "incidents"
    __table_args__ = (
        CheckConstraint(_in("gbv_type", GBV_TYPES), name="gbv_type"),
        CheckConstraint(_in("reporting_delay", DELAY_BUCKETS), name="reporting_delay"),
        CheckConstraint(_in("survivor_age_group", AGE_GROUPS), name="survivor_age_group"),
        CheckConstraint(_in("survivor_age_group_mimp", MIMP_AGE_GROUPS), name="survivor_age_group_mimp"),
        Index("ix_incidents_org_reported", "organization_id", "reported_at"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    #: Her case's centre, copied when the incident is recorded (a case never changes centre;
    #: migration 0024_stats_columns filled it from the cases): statistics count a national
    #: year's incidents by centre without joining every one to its case (docs/performance.md).
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    #: When it happened. With ``occurred_time_known`` false only the day is known and the
    #: value is that day's start in the deployment's time zone.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    occurred_time_known: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    #: The six GBVIMS questions, answered yes/no.
    penetration: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    sexual_contact: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    physical_assault: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    forced_marriage: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    denial_of_resources: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    psychological_abuse: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    goods_or_money_exchanged: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    #: Derived by the ordered GBVIMS rule (``classification.classify``); statistics only.
    gbv_type: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    early_marriage: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    possible_sexual_exploitation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    child_sexual_abuse: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reporting_delay: Mapped[str] = mapped_column(String(30), nullable=False)
    #: Her age group on the day of the incident (``unknown`` without a birth date or age).
    survivor_age_group: Mapped[str] = mapped_column(String(20), nullable=False, default="unknown")
    #: The same age in the MIMP's groups (statistics): her birth date is encrypted, so the
    #: groups are fixed when the incident is recorded. A group of years, with no date, does
    #: not single her out (and small cells are suppressed wherever it is counted).
    survivor_age_group_mimp: Mapped[str] = mapped_column(String(20), nullable=False, default="unknown")

    #: Peru's ``tipo de violencia`` (several may apply).
    #: JSONB on PostgreSQL (0028): statistics ask each list for several values, and a JSON
    #: column is parsed again for every question (caseflow.statistics.tables).
    violence_types: Mapped[list] = mapped_column(JSON().with_variant(postgresql.JSONB(), "postgresql"),
                                                 nullable=False, default=list)
    perpetrator_relationship: Mapped[str | None] = mapped_column(String(20))
    perpetrator_age_group: Mapped[str | None] = mapped_column(String(20))
    perpetrator_count: Mapped[int | None] = mapped_column(Integer)
    location_type: Mapped[str | None] = mapped_column(String(20))
    #: Where it happened: the district's 6-digit UBIGEO (INEI catalogue, caseflow.core.ubigeo);
    #: its first 2 and 4 digits are the department and the province. Null: not recorded.
    place_ubigeo: Mapped[str | None] = mapped_column(String(6))
    #: She agreed that this incident be counted in statistics (GBVIMS: only incidents with
    #: consent to reporting). Without it, it counts only under
    #: ``CASEFLOW_STATISTICS_CONSENT=administrative``.
    consent_for_statistics: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    narrative_ct: Mapped[bytes | None] = encrypted_column()
    narrative = EncryptedAttribute()

    @property
    def acts(self) -> dict[str, bool]:
        return {act: bool(getattr(self, act)) for act in ACTS}
