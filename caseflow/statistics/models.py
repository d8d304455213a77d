"""What the statistics keep of their own: the pairs of reports of the same incident
(caseflow.statistics.duplicates) and each case's first milestones
(caseflow.statistics.milestones), kept exact by the features' signals so that a table does
not search for them among a national year's incidents at every request."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import UTCDateTime
from caseflow.extensions import db


class ReportedEarlier(db.Model):
    """``incident_id`` is a later centre's report of the incident ``earlier_incident_id``
    reported at the centre that registered her first (the rule: docs/statistics.md). Whether
    the earlier report itself counts (her consent to statistical use) is read at each request,
    never kept here."""

    __tablename__ = "statistics_reported_earlier"

    incident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True)
    earlier_incident_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True, index=True)


class CaseMilestones(db.Model):
    """A case's first contact and the first moment of each milestone after it
    (caseflow.statistics.milestones): the first line of its action plan, the first referral
    sent, the first referral completed (the service given). One row per case, written when
    the case is opened and recomputed whenever a plan line is added or a referral of the case
    is sent or moves; the case's centre and opening moment are copies (a case never changes
    centre, nor the moment it was opened)."""

    __tablename__ = "statistics_case_milestones"
    __table_args__ = (
        Index("ix_statistics_case_milestones_opened", "opened_at"),
        Index("ix_statistics_case_milestones_org_opened", "organization_id", "opened_at"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    first_plan_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_referral_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_service_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whole minutes from first contact to each (to the nearest, half up): the medians are
    #: counted per minute (caseflow.statistics.medians, 0027).
    plan_minutes: Mapped[int | None] = mapped_column(Integer)
    referral_minutes: Mapped[int | None] = mapped_column(Integer)
    service_minutes: Mapped[int | None] = mapped_column(Integer)
