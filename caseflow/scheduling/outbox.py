"""Writing to the outbox (insert-if-absent on the dedupe key) and reading one's messages."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Iterable

from flask import current_app
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite

from caseflow.directory.models import User
from caseflow.extensions import db
from caseflow.scheduling.models import OutboxMessage
from caseflow.scheduling.registry import EscalationRecipients, Outgoing


def _insert_for(session):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert
    if dialect == "sqlite":
        return sqlite.insert
    raise RuntimeError(f"the outbox needs PostgreSQL or SQLite, not {dialect}")


def enqueue(messages: Iterable[Outgoing], now: datetime) -> int:
    """Add the messages whose dedupe key is new; return how many were added.

    ``INSERT ... ON CONFLICT (dedupe_key) DO NOTHING``: a message already written by an
    earlier or a concurrent pass is silently skipped, never duplicated and never an error.
    """
    unique = {m.dedupe_key: m for m in messages}
    if not unique:
        return 0
    email_status = "pending" if current_app.config.get("CASEFLOW_SMTP_HOST") else None
    rows = [{
        "id": uuid.uuid4(), "dedupe_key": m.dedupe_key, "recipient_id": m.recipient_id, "kind": m.kind,
        "topic": m.topic, "case_id": m.case_id, "case_code": m.case_code, "subject_at": m.subject_at,
        "detail": m.detail, "created_at": now, "email_status": email_status, "email_attempts": 0,
        "email_next_attempt_at": now if email_status else None,
    } for m in unique.values()]
    table = OutboxMessage.__table__
    # One cached statement run as the driver's own executemany, counted by its row count
    # (rows skipped by ON CONFLICT DO NOTHING are not counted). Not RETURNING: that makes
    # SQLAlchemy render a multi-row VALUES statement per batch ("insertmanyvalues") with a
    # placeholder per value, which psycopg then parses afresh: most of a batch's time on
    # PostgreSQL.
    statement = (_insert_for(db.session)(table).on_conflict_do_nothing(index_elements=["dedupe_key"])
                 .execution_options(preserve_rowcount=True))  # SQLAlchemy keeps it for UPDATE/DELETE only
    return db.session.execute(statement, rows).rowcount


def escalate(*, organization_id, topic: str, subject_id, case, subject_at: datetime,
             detail: dict | None, now: datetime) -> int:
    """An immediate escalation to every supervisor of the centre and the staff assigned to
    the case (from a request)."""
    anchor = subject_at.strftime("%Y%m%dT%H%M%SZ")
    messages = [
        Outgoing(dedupe_key=f"{topic}:{subject_id}:{anchor}:{recipient}", recipient_id=recipient,
                 kind="escalation", topic=topic, case_id=case.id, case_code=case.code,
                 subject_at=subject_at, detail=detail)
        for recipient in EscalationRecipients().of(organization_id, case.id)
    ]
    return enqueue(messages, now)


def notify(recipients, *, topic: str, subject_id, subject_at: datetime, now: datetime, case=None,
           detail: dict | None = None, kind: str = "reminder") -> int:
    """A notice to each of ``recipients`` (user ids) from a request, once per subject and moment."""
    anchor = subject_at.strftime("%Y%m%dT%H%M%SZ")
    messages = [
        Outgoing(dedupe_key=f"{topic}:{subject_id}:{anchor}:{recipient}", recipient_id=recipient, kind=kind,
                 topic=topic, case_id=case.id if case is not None else None,
                 case_code=case.code if case is not None else None, subject_at=subject_at, detail=detail)
        for recipient in dict.fromkeys(recipients)
    ]
    return enqueue(messages, now)


def for_user(user: User, unread: bool | None = None):
    from caseflow.access.policy import scope_notifications

    statement = scope_notifications(user)
    if unread is True:
        statement = statement.where(OutboxMessage.read_at.is_(None))
    elif unread is False:
        statement = statement.where(OutboxMessage.read_at.is_not(None))
    return statement.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id)


def mark_read(user: User, message_ids: list | None, now: datetime) -> int:
    """Mark the user's messages read (all unread ones when ``message_ids`` is None)."""
    statement = update(OutboxMessage).where(OutboxMessage.recipient_id == user.id,
                                            OutboxMessage.read_at.is_(None))
    if message_ids is not None:
        statement = statement.where(OutboxMessage.id.in_(message_ids))
    result = db.session.execute(statement.values(read_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0
