"""Erasure requests (two supervisors) and the retention policy, kept as data."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db

ERASURE_STATUSES = ("pending", "carried_out", "expired")
#: The legal ground of an erasure, as a code: a free-text reason is kept after her data is
#: shredded, and staff wrote her story into it (issue 15). survivor_request and
#: guardian_request: her right of cancellation (Ley 29733, art. 20); court_order; retention
#: (the retention policy's term ran out); duplicate_record (registered twice); other.
ERASURE_REASONS = ("survivor_request", "guardian_request", "court_order", "retention", "duplicate_record", "other")


class ErasureRequest(UUIDPrimaryKey, db.Model):
    """A supervisor asked to erase a survivor's data; a second one confirms it."""

    __tablename__ = "erasure_requests"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'carried_out', 'expired')", name="status"),
        CheckConstraint("reason IN ('survivor_request', 'guardian_request', 'court_order', 'retention', "
                        "'duplicate_record', 'other')", name="reason"),
    )

    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("organizations.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="pending")
    #: Why, as one of :data:`ERASURE_REASONS`: kept after erasure, so never free text.
    reason: Mapped[str] = mapped_column(String(500), nullable=False)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RetentionRule(db.Model):
    """How long identifying data is kept. ``closed_cases``: once every case of a survivor
    has been closed for ``years``, her identifying data is erased (crypto-shredding)."""

    __tablename__ = "retention_rules"
    __table_args__ = (CheckConstraint("applies_to IN ('closed_cases')", name="applies_to"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(60), unique=True, nullable=False)
    applies_to: Mapped[str] = mapped_column(String(30), nullable=False)
    years: Mapped[int] = mapped_column(Integer, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: The decision or law the rule comes from, for the operator and auditors.
    source: Mapped[str | None] = mapped_column(String(300))
