from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import Timestamps, UUIDPrimaryKey
from caseflow.extensions import db


class Training(UUIDPrimaryKey, Timestamps, db.Model):
    """One training session a person attended (a topic on a day), recorded by a supervisor
    of her centre. A mentor is assigned visits once she has attended enough of them."""

    __tablename__ = "trainings"
    __table_args__ = (UniqueConstraint("user_id", "held_on", "topic", name="uq_trainings_user_id_held_on_topic"),)

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False, index=True)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    topic: Mapped[str] = mapped_column(String(200), nullable=False)
    recorded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id"))
