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


class KeyCheck(db.Model):
    """A check value of one key of the keyring this database belongs to.

    HMAC-SHA256 of a fixed label under the key: it tells whether a keyring holds the same
    key and reveals nothing of it. Written the first time a process starts with the right
    keyring (caseflow.keys.key_check); a keyring whose key does not match is refused.
    """

    __tablename__ = "key_checks"

    #: ``audit``, ``kek:<id>`` or ``index:<version>``.
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
