"""The outbox: reminders and escalations waiting to be read (and, when configured, emailed)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from caseflow.core.clock import utcnow
from caseflow.core.db import UTCDateTime, UUIDPrimaryKey
from caseflow.extensions import db

MESSAGE_KINDS = ("reminder", "escalation")
EMAIL_STATUSES = ("pending", "sent", "failed")


class OutboxMessage(UUIDPrimaryKey, db.Model):
    """One message to one person. Holds a case code, times and codes: never a survivor's
    name, address or phone, so it can be shown, emailed and logged without harm.

    ``dedupe_key`` is unique: a repeated or concurrent scheduler pass that would write the
    same message again adds nothing.
    """

    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('reminder', 'escalation')", name="kind"),
        CheckConstraint("email_status IS NULL OR email_status IN ('pending', 'sent', 'failed')",
                        name="email_status"),
        Index("ix_outbox_messages_recipient_created", "recipient_id", "created_at"),
        Index("ix_outbox_messages_email_due", "email_status", "email_next_attempt_at"),
    )

    #: ``<topic>:<subject id>:<anchor>:<recipient>``; unique.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    recipient_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False)
    #: What it is about: ``visit_due``, ``visit_overdue``, ``visit_missed``, ``safety_concern``,
    #: ``no_contact``, or a topic a feature registered (``referral_deadline`` ...).
    topic: Mapped[str] = mapped_column(String(40), nullable=False)
    case_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("cases.id"), index=True)
    case_code: Mapped[str | None] = mapped_column(String(48))
    #: The time the message is about (a visit's window, the last contact, a deadline).
    subject_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Ids and codes only (e.g. ``{"visit_id": ...}``).
    detail: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Null when no email is to be sent (no SMTP server configured, or no address).
    email_status: Mapped[str | None] = mapped_column(String(10))
    email_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    email_next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Class of the last failure (``SMTPServerDisconnected``...), never message content.
    email_last_error: Mapped[str | None] = mapped_column(String(80))
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
