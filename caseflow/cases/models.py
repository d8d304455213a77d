from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.clock import utcnow
from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db

STATUSES = ("open", "closed")
#: The six steps of the Inter-Agency GBV Case Management Guidelines (2017).
STEPS = ("engagement", "assessment", "action_plan", "implementation", "follow_up", "closure")
PRIORITIES = ("high", "medium", "low")
INTAKE_CHANNELS = (
    "walk_in", "police", "linea_100", "chat_100", "health_facility", "court", "prosecutor",
    "other_referral",
)
RISK_LEVELS = ("leve", "moderado", "severo")
#: The Ficha de Registro's fields (their labels and rules: caseflow.cases.ficha).
CONDITIONS = ("nuevo", "reingreso", "reincidente", "derivado", "continuador")
INFORMANTS = ("survivor", "family", "neighbour", "acquaintance", "institution", "anonymous", "other")
COMPLAINT_FILED = ("yes", "no", "unknown")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Case(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("priority IN ('high', 'medium', 'low')", name="priority"),
        CheckConstraint(_in("condition", CONDITIONS), name="condition"),
        CheckConstraint(_in("informant", INFORMANTS), name="informant"),
        CheckConstraint(_in("complaint_filed", COMPLAINT_FILED), name="complaint_filed"),
        # The case list: one centre's cases, optionally by status, newest first. Read in index
        # order (backwards) so a page never sorts the whole centre.
        Index("ix_cases_org_opened", "organization_id", "opened_at", "id"),
        Index("ix_cases_org_status_opened", "organization_id", "status", "opened_at", "id"),
        # Her cases, and whether one is at a given centre, from the index alone (the reach of
        # a search asks it of every candidate: caseflow.access.policy, 0026).
        Index("ix_cases_survivor_org", "survivor_id", "organization_id"),
    )

    #: Human-readable, without PII: ``<centre code>-<year>-<number>``.
    code: Mapped[str] = mapped_column(String(48), unique=True, nullable=False)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    step: Mapped[str] = mapped_column(String(20), nullable=False, default="engagement")
    priority: Mapped[str] = mapped_column(String(10), nullable=False)
    intake_channel: Mapped[str] = mapped_column(String(20), nullable=False)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    opened_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closure_reason: Mapped[str | None] = mapped_column(String(20))
    #: Level of the latest risk assessment (denormalised for filtering).
    risk_level: Mapped[str | None] = mapped_column(String(10), index=True)
    #: Last time someone reached her (session, visit); drives the 30-day no-contact rule.
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Set when someone reported a safety concern (e.g. at a visit): the risk must be
    #: assessed again. A new risk assessment clears it.
    risk_reassessment_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The Ficha's case condition (derived at opening: caseflow.cases.ficha).
    condition: Mapped[str] = mapped_column(String(12), nullable=False, default="nuevo")
    #: Who informed the centre (the Ficha's "informante"); null: not recorded.
    informant: Mapped[str | None] = mapped_column(String(20))
    #: Whether she filed a police complaint: recorded by hand (she may have reported before
    #: she came) and set to ``yes`` when a police complaint referral of the case completes.
    complaint_filed: Mapped[str] = mapped_column(String(8), nullable=False, default="unknown")

    survivor = relationship("Survivor")
    organization = relationship("Organization")
    assignments = relationship(
        "CaseAssignment", primaryjoin="and_(CaseAssignment.case_id == Case.id, CaseAssignment.ended_at.is_(None))",
        viewonly=True, lazy="selectin",  # one query for a whole page of cases, not one per case
        order_by=lambda: (CaseAssignment.assigned_at, CaseAssignment.id),  # as caseflow.cases.detail reads them
    )


class CaseAssignment(UUIDPrimaryKey, db.Model):
    """Who carries the case; ending an assignment keeps its history."""

    __tablename__ = "case_assignments"

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    assigned_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id], lazy="joined")


class CaseEvent(db.Model):
    """What happened to a case, in order (opened, assigned, status changes...).

    Holds codes and ids, never sensitive values; the timeline is built from these and from
    the records they point to.
    """

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_case_at", "case_id", "at"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    kind: Mapped[str] = mapped_column(String(40), nullable=False)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    detail: Mapped[dict | None] = mapped_column(JSON)


class CaseCodeCounter(db.Model):
    """Next case number per centre and year (row-locked increment)."""

    __tablename__ = "case_code_counters"
    __table_args__ = (UniqueConstraint("organization_id", "year", name="uq_case_code_counters_org_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    last_value: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
