"""Read requests read from a snapshot; only writes take SQLite's single write lock.

SQLite allows one writer at a time. Writes begin ``IMMEDIATE`` so that the audit chain,
which reads its last link and appends in the same transaction, can never be handed a stale
snapshot. A read request (GET, HEAD, OPTIONS) has nothing of its own to write, so it begins
a deferred transaction and reads beside writers (WAL mode) instead of queueing behind them.
What a read does write is its audit entries (a decrypted field, an export): those are
appended afterwards in a short write transaction of their own, before the response leaves,
so no read reaches a client unrecorded (if that append fails, the client gets a 503).

A view answering a safe method must not change rows; the flush guard below makes that a
loud error rather than a silent write inside a read snapshot. PostgreSQL needs none of
this: its readers never wait for writers, and the audit chain takes an advisory lock.
"""

from __future__ import annotations

from flask import g, has_app_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteInReadRequest(RuntimeError):
    """A view answering GET/HEAD/OPTIONS tried to change rows (a programming error)."""


def start_request() -> None:
    """Called first thing for every HTTP request the application dispatches (not for the
    request contexts that commands and tests use to act as someone)."""
    g.caseflow_read_phase = request.method in SAFE_METHODS


def reads_only() -> bool:
    """Whether the transaction about to begin belongs to the read phase of a safe request."""
    return has_app_context() and g.get("caseflow_read_phase", False)


def begin_sqlite(connection) -> None:
    connection.info["caseflow_read_snapshot"] = reads_only()
    connection.exec_driver_sql("BEGIN" if connection.info["caseflow_read_snapshot"] else "BEGIN IMMEDIATE")


def in_read_snapshot(session: Session) -> bool:
    if not session.in_transaction():
        return False
    return bool(session.connection().info.get("caseflow_read_snapshot"))


def end_read_phase(session: Session) -> None:
    """Close the read snapshot, keeping the audit entries it queued, and let what follows
    (appending those entries) begin as a write transaction."""
    from caseflow.audit.services import AUDIT_INFO_KEY

    if in_read_snapshot(session):
        queued = session.info.pop(AUDIT_INFO_KEY, None)
        session.rollback()  # nothing but reads happened in it (the flush guard saw to that)
        if queued is not None:
            session.info[AUDIT_INFO_KEY] = queued
    g.caseflow_read_phase = False


@event.listens_for(Session, "before_flush")
def _no_writes_in_read_snapshot(session: Session, _flush_context, _instances) -> None:
    if (session.new or session.dirty or session.deleted) and in_read_snapshot(session):
        raise WriteInReadRequest(
            f"{request.method} {request.url_rule} changed rows; safe methods must not write"
        )
