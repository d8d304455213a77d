"""Progress of long key operations, so an interrupted run resumes where it stopped."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.db import UTCDateTime
from caseflow.extensions import db


class KeyOperation(db.Model):
    """One running (or finished) re-encryption or index rebuild.

    The cursor is advanced in the same transaction as the work it covers, so a crash
    never skips nor repeats a survivor's transaction.
    """

    __tablename__ = "key_operations"

    #: ``reencrypt`` or ``rebuild-index:<name>``.
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    #: Last survivor id processed (ids are walked in order).
    cursor: Mapped[str | None] = mapped_column(String(64))
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    detail: Mapped[dict | None] = mapped_column(JSON)
