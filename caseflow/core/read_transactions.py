"""Read requests read beside writers; only writes take the locks a write needs.

SQLite allows one writer at a time. Writes begin ``IMMEDIATE`` so that the audit chain,
which reads its last link and appends in the same transaction, can never be handed a stale
snapshot. A read request (GET, HEAD, OPTIONS) has nothing of its own to write, so on both
databases it runs its statements in autocommit: on SQLite (WAL mode) each statement reads
its own snapshot beside a writer instead of queueing behind it; on PostgreSQL, under READ
COMMITTED, each statement sees the latest committed rows either way. The request saves the
BEGIN and the ROLLBACK (two round trips on PostgreSQL). Statements of one read request may
therefore see a write committed between them, as any two statements under READ COMMITTED may.

What a read does write is its audit entries (a decrypted field, an export): those are
appended afterwards in a short write transaction of their own, before the response leaves,
so no read reaches a client unrecorded (if that append fails, the client gets a 503). A view
answering a safe method must not change rows; the flush guard below makes that a loud error
rather than an autocommitted half of a write.
"""

from __future__ import annotations

from flask import g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteInReadRequest(RuntimeError):
    """A view answering GET/HEAD/OPTIONS tried to change rows (a programming error)."""


def start_request(session: Session) -> None:
    """Called first thing for every HTTP request the application dispatches (not for the
    request contexts that commands and tests use to act as someone)."""
    g.caseflow_read_phase = request.method in SAFE_METHODS
    if g.caseflow_read_phase and not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def reads_only() -> bool:
    """Whether the transaction about to begin belongs to the read phase of a safe request."""
    return has_app_context() and g.get("caseflow_read_phase", False)


def on_begin(connection) -> None:
    """Engine ``begin`` listener: mark the read phase's connection; on SQLite, begin a write
    transaction with the write lock, and none at all for the read phase (autocommit)."""
    connection.info["caseflow_read_phase"] = reads_only()
    if connection.dialect.name == "sqlite" and not connection.info["caseflow_read_phase"]:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def in_read_phase(session: Session) -> bool:
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get("caseflow_read_phase"))


def end_read_phase(session: Session) -> None:
    """Close the read phase's connection, keeping the audit entries it queued, and let what
    follows (appending those entries) begin as a write transaction."""
    from caseflow.audit.services import AUDIT_INFO_KEY

    if in_read_phase(session):
        queued = session.info.pop(AUDIT_INFO_KEY, None)
        session.rollback()  # nothing but reads happened in it (the flush guard saw to that)
        if queued is not None:
            session.info[AUDIT_INFO_KEY] = queued
    g.caseflow_read_phase = False


@event.listens_for(Session, "before_flush")
def _no_writes_in_read_phase(session: Session, _flush_context, _instances) -> None:
    if (session.new or session.dirty or session.deleted) and in_read_phase(session):
        raise WriteInReadRequest(
            f"{request.method} {request.url_rule} changed rows; safe methods must not write"
        )
