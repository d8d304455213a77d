"""Visit plans, the visits they generate, and what happened at each visit."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseflow.core.clock import utcnow
from caseflow.core.db import Timestamps, UTCDateTime, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, Owner, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

PLAN_KINDS = ("mentor_accompaniment", "psychological_followup")
PLAN_STATUSES = ("active", "ended")
VISIT_STATUSES = ("planned", "done", "missed", "rescheduled", "cancelled")
OUTCOMES = ("done", "missed", "rescheduled")
#: ``in_facility``: inside a penitentiary establishment (docs/custody.md).
MODALITIES = ("home_visit", "phone", "meeting", "accompaniment", "in_facility")

#: Predicates of the scheduler's partial indexes; the scans repeat them word for word
#: (``status`` as a literal, not a parameter) so both databases can use the indexes.
REMINDER_DUE = "status = 'planned' AND reminded_at IS NULL"
OVERDUE_DUE = "status = 'planned' AND escalated_at IS NULL"
HORIZON_DUE = "status = 'active' AND next_due_on IS NOT NULL"


class VisitPlan(UUIDPrimaryKey, Timestamps, db.Model):
    """A follow-up plan on a case: who visits, how often, from when, until when.

    Visits are generated ahead up to a bounded horizon; ``generation``, ``next_sequence``
    and ``next_due_on`` are the generator's state, advanced with compare-and-set updates
    so that a request and the scheduler never generate the same visit twice.
    """

    __tablename__ = "visit_plans"
    __table_args__ = (
        CheckConstraint("kind IN ('mentor_accompaniment', 'psychological_followup')", name="kind"),
        CheckConstraint("status IN ('active', 'ended')", name="status"),
        CheckConstraint("cadence_days >= 1 AND cadence_days <= 365", name="cadence_days"),
        CheckConstraint("planned_count IS NULL OR planned_count >= 1", name="planned_count"),
        # The horizon scan's work list, in due order. Partial rather than led by ``status``:
        # SQLite, without statistics, would otherwise take ``status = ?`` for a selective
        # condition and walk every active plan to find one case's plans.
        Index("ix_visit_plans_horizon", "next_due_on", "id",
              sqlite_where=text(HORIZON_DUE), postgresql_where=text(HORIZON_DUE)),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    #: The case's centre (denormalised for supervision and workload queries).
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False, index=True)
    assignee_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[str] = mapped_column(String(10), nullable=False, default="active")
    starts_on: Mapped[date] = mapped_column(Date, nullable=False)
    ends_on: Mapped[date | None] = mapped_column(Date)
    #: How many visits in all (cancelled ones excluded); null when the plan runs to ``ends_on``.
    planned_count: Mapped[int | None] = mapped_column(Integer)
    cadence_days: Mapped[int] = mapped_column(Integer, nullable=False)
    #: Days a visit may take place from its due date (its window).
    window_days: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: True when the cadence follows the case's risk level (and is re-planned when it changes).
    cadence_from_risk: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: Risk level the cadence was derived from (null: no assessment yet).
    risk_level: Mapped[str | None] = mapped_column(String(10))
    generation: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    next_sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    #: Due date of the next visit to generate; null when the plan has no more visits.
    next_due_on: Mapped[date | None] = mapped_column(Date)
    #: Visits generated and not cancelled (counted against ``planned_count``).
    visits_generated: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: ``case_closed``, ``completed``...
    end_reason: Mapped[str | None] = mapped_column(String(20))

    case = relationship("Case")
    assignee = relationship("User", foreign_keys=[assignee_id])


class Visit(UUIDPrimaryKey, Timestamps, db.Model):
    """One expected visit with its due window.

    A rescheduled visit keeps its row (status ``rescheduled``) and a new visit points back
    to it, so the new date gets its own reminder.
    """

    __tablename__ = "visits"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'done', 'missed', 'rescheduled', 'cancelled')", name="status"),
        UniqueConstraint("plan_id", "generation", "sequence", name="uq_visits_plan_generation_sequence"),
        Index("ix_visits_assignee_window", "assignee_id", "window_start"),
        # The scheduler's work lists: only visits still waiting for a reminder (or an
        # escalation), in window order, so a scan reads what is due and nothing older. Partial
        # rather than led by ``status``: without statistics SQLite guesses that ``status = ?``
        # picks out a handful of rows and would walk every planned visit through such an index
        # to claim a batch by id, or to list one case's overdue visits.
        Index("ix_visits_reminder_due", "window_start", "id",
              sqlite_where=text(REMINDER_DUE), postgresql_where=text(REMINDER_DUE)),
        Index("ix_visits_overdue_due", "window_end", "id",
              sqlite_where=text(OVERDUE_DUE), postgresql_where=text(OVERDUE_DUE)),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("visit_plans.id"), nullable=False, index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    assignee_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    #: Plan generation and position; null for a visit created by rescheduling.
    generation: Mapped[int | None] = mapped_column(Integer)
    sequence: Mapped[int | None] = mapped_column(Integer)
    rescheduled_from_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("visits.id"), unique=True)
    due_on: Mapped[date] = mapped_column(Date, nullable=False)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    window_end: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    status: Mapped[str] = mapped_column(String(12), nullable=False, default="planned")
    #: Claims by the scheduler (compare-and-set from null): a reminder / an escalation was queued.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    plan = relationship(VisitPlan)
    case = relationship("Case")


class VisitLog(UUIDPrimaryKey, SurvivorOwned, db.Model):
    """What happened at a visit. Notes are encrypted under the survivor's data key.

    ``(logged_by_id, idempotency_key)`` is unique, so a retried submission from a phone on a
    poor connection creates one log, even when the retries race each other.
    """

    __tablename__ = "visit_logs"
    __table_args__ = (
        CheckConstraint("outcome IN ('done', 'missed', 'rescheduled')", name="outcome"),
        CheckConstraint("modality IS NULL OR modality IN ('home_visit', 'phone', 'meeting', 'accompaniment', "
                        "'in_facility')",
                        name="modality"),
        UniqueConstraint("logged_by_id", "idempotency_key", name="uq_visit_logs_logged_by_key"),
    )

    #: Notes are read through the visit: bound to it as well as to her case.
    __encryption_owner__ = Owner("survivor_id", also=("case_id", "visit_id"))

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("visits.id"), nullable=False, index=True)
    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False)
    logged_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    outcome: Mapped[str] = mapped_column(String(12), nullable=False)
    happened_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, index=True)
    modality: Mapped[str | None] = mapped_column(String(20))
    safety_concern: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    rescheduled_to: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    #: HMAC of the submitted body, to tell a retry from a different submission under one key.
    request_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)

    notes_ct: Mapped[bytes | None] = encrypted_column()
    notes = EncryptedAttribute()

    visit = relationship(Visit)
    case = relationship("Case")
