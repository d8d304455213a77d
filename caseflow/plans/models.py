from __future__ import annotations

import uuid

from sqlalchemy import CheckConstraint, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UUIDPrimaryKey
from caseflow.crypto.fields import EncryptedAttribute, encrypted_column
from caseflow.extensions import db
from caseflow.survivors.models import SurvivorOwned

NEEDS = ("safety", "health", "psychosocial", "justice", "other")
#: Per need, what was decided (Inter-Agency guidelines, step 3).
DECISIONS = ("referred", "own_agency", "already_received", "not_applicable", "declined_by_survivor", "unavailable")
GOAL_STATUSES = ("in_progress", "met", "not_applicable")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PlanItem(UUIDPrimaryKey, Timestamps, SurvivorOwned, db.Model):
    """One line of the case action plan: a need, the service that answers it, the decision
    taken with her, and whether the goal is met."""

    __tablename__ = "plan_items"
    __table_args__ = (
        CheckConstraint(_in("need", NEEDS), name="need"),
        CheckConstraint(_in("decision", DECISIONS), name="decision"),
        CheckConstraint(_in("goal_status", GOAL_STATUSES), name="goal_status"),
    )

    case_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("cases.id"), nullable=False, index=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("survivors.id"), nullable=False, index=True)
    need: Mapped[str] = mapped_column(String(20), nullable=False)
    service_type: Mapped[str] = mapped_column(String(40), nullable=False)
    decision: Mapped[str] = mapped_column(String(30), nullable=False)
    goal_status: Mapped[str] = mapped_column(String(20), nullable=False, default="in_progress")
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))

    note_ct: Mapped[bytes | None] = encrypted_column()
    note = EncryptedAttribute()
