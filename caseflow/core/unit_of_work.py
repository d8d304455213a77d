"""The unit of work: one request's (or one command's) state, in one object, in one place.

Everything a request keeps while it runs lives on its :class:`UnitOfWork` (``current()``):
how the caller authenticated and with which credential, the data keys it unwrapped, the
audit entries waiting for the commit, whether it is still in its read phase, whether an
error answer keeps its changes, the system actor a command acts as. ``begin_request`` makes
a fresh one for every HTTP request the application dispatches; commands and tests get one
for their application context on first use. Services change the session and flush, never
commit: :func:`finish` ends the request — commit on success, roll back on error (keeping
the read entries, committed on their own) — and the session class below appends the audit
entries, chained, just before any commit.

**The read phase.** SQLite allows one writer at a time. Writes begin ``IMMEDIATE`` so that
the audit chain, which reads its last link and appends in the same transaction, can never
be handed a stale snapshot. A read request (GET, HEAD, OPTIONS) has nothing of its own to
write, so on both databases it runs its statements in autocommit: on SQLite (WAL mode) each
statement reads its own snapshot beside a writer instead of queueing behind it; on
PostgreSQL, under READ COMMITTED, each statement sees the latest committed rows either way.
The request saves the BEGIN and the ROLLBACK (two round trips on PostgreSQL). Statements of
one read request may therefore see a write committed between them, as any two statements
under READ COMMITTED may. What a read does write is its audit entries (a decrypted field,
an export): those are appended after the read phase ends, in a short write transaction of
their own, before the response leaves, so no read reaches a client unrecorded (if that
append fails, the client gets a 503). A view answering a safe method must not change rows:
the flush guard makes that a loud error rather than an autocommitted half of a write.

The hooks (the engine's ``begin``, the session's ``before_flush``, ``before_commit`` and
``after_rollback``) are installed by the app wiring (:func:`install`, from
``caseflow.web``) on caseflow's own session class, not on SQLAlchemy's, and act only on the
session whose unit of work they hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import g, has_app_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class WriteInReadRequest(RuntimeError):
    """A view answering GET/HEAD/OPTIONS tried to change rows (a programming error)."""


@dataclass
class AuditQueue:
    """Audit entries waiting for the commit (caseflow.audit.services fills and appends them)."""

    writes: list[dict] = field(default_factory=list)
    reads: dict[tuple, set] = field(default_factory=dict)
    #: Who the reads are by, taken with the first of them.
    actor: dict | None = None

    @property
    def pending(self) -> bool:
        return bool(self.writes or self.reads)


@dataclass
class UnitOfWork:
    #: A safe request before its end: statements in autocommit, no flush allowed.
    read_phase: bool = False
    #: The connection the read phase began (its transaction is the read phase's).
    read_connection: object = None
    #: An error answer that still commits (a refusal that records what it refused).
    keep_changes: bool = False
    #: "bearer" or "cookie", and the credential (token row) that authenticated the caller.
    auth_method: str | None = None
    auth_credential: object = None
    #: The command or job on whose behalf entries are written (``system:<name>``).
    system_actor: str | None = None
    #: System operations that audit themselves once (verify, re-encrypt, export builders).
    unaudited_reads: bool = False
    #: Data keys unwrapped in this unit, by id.
    data_keys: dict = field(default_factory=dict)
    audit: AuditQueue = field(default_factory=AuditQueue)


def current() -> UnitOfWork:
    """The unit of work of the current request or application context."""
    unit = g.get("caseflow_unit")
    if unit is None:
        unit = g.caseflow_unit = UnitOfWork()
    return unit


def _current_or_none() -> UnitOfWork | None:
    return g.get("caseflow_unit") if has_app_context() else None


def begin_request(session) -> UnitOfWork:
    """Called first thing for every HTTP request the application dispatches (not for the
    request contexts that commands and tests use to act as someone). A request never
    inherits who-is-calling or unwrapped keys from an earlier one, even where an
    application context is shared (tests, CLI-driven requests); audit entries queued and
    not yet committed in that context stay queued."""
    g.pop("_login_user", None)  # Flask-Login's own
    previous = g.get("caseflow_unit")
    unit = g.caseflow_unit = UnitOfWork(read_phase=request.method in SAFE_METHODS)
    if previous is not None:
        unit.audit = previous.audit
    if unit.read_phase and not session.in_transaction() and session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    return unit


def in_read_phase(session) -> bool:
    unit = _current_or_none()
    if unit is None or unit.read_connection is None or not session.in_transaction():
        return False
    return session.connection() is unit.read_connection


def end_read_phase(session) -> None:
    """Close the read phase's connection, keeping the audit entries it queued, and let what
    follows (appending those entries) begin as a write transaction."""
    unit = current()
    if in_read_phase(session):
        queued, unit.audit = unit.audit, AuditQueue()
        session.rollback()  # nothing but reads happened in it (the flush guard saw to that)
        unit.audit = queued
    unit.read_phase, unit.read_connection = False, None


def finish(session, status_code: int) -> None:
    """End the request's unit of work: commit on success (or an error that keeps its
    changes), else roll back and commit only the read entries, so a failed request never
    hides a read. A read that decrypted nothing ends with no commit at all."""
    unit = current()
    if unit.read_phase:
        end_read_phase(session)
        if not unit.audit.pending:
            return  # it decrypted nothing: there is nothing to commit
    keep, unit.keep_changes = unit.keep_changes, False
    if status_code < 400 or keep:
        session.commit()
    else:
        session.rollback()
        if unit.audit.pending:
            session.commit()


def end_request() -> None:
    """The request is over (its teardown): what follows in the same context is no read phase."""
    unit = _current_or_none()
    if unit is not None:
        unit.read_phase, unit.read_connection = False, None


# -- hooks, installed by the wiring ------------------------------------------------------
class UnitOfWorkSession(FlaskSession):
    """caseflow's session class (``caseflow.extensions.db``): the hooks below listen on it."""


_append_audit: Callable | None = None


def on_begin(connection) -> None:
    """Engine ``begin`` listener: note the read phase's connection; on SQLite, begin a write
    transaction with the write lock, and none at all for the read phase (autocommit)."""
    unit = _current_or_none()
    reading = unit is not None and unit.read_phase
    if reading:
        unit.read_connection = connection
    if connection.dialect.name == "sqlite" and not reading:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _holds(session) -> UnitOfWork | None:
    """The unit of work of ``session`` if it is the context's request session."""
    unit = _current_or_none()
    if unit is None:
        return None
    from caseflow.extensions import db

    return unit if db.session.registry.has() and db.session.registry() is session else None


def _no_writes_in_read_phase(session, _flush_context, _instances) -> None:
    if (session.new or session.dirty or session.deleted) and in_read_phase(session):
        raise WriteInReadRequest(f"{request.method} {request.url_rule} changed rows; safe methods must not write")


def _before_commit(session) -> None:
    unit = _holds(session)
    if unit is not None and unit.audit.pending:
        _append_audit(session, unit)


def _after_rollback(session) -> None:
    unit = _holds(session)
    if unit is not None:
        unit.audit.writes.clear()  # a write that rolled back did not happen; reads did


def install(engine, append_audit: Callable) -> None:
    """Connect the unit of work to the engine and to caseflow's session class (once per
    class; once per engine). ``append_audit(session, unit)`` chains and inserts the unit's
    queued entries (caseflow.audit.services.append_pending)."""
    global _append_audit
    _append_audit = append_audit
    if not event.contains(engine, "begin", on_begin):
        event.listen(engine, "begin", on_begin)
    for name, hook in (("before_flush", _no_writes_in_read_phase), ("before_commit", _before_commit),
                       ("after_rollback", _after_rollback)):
        if not event.contains(UnitOfWorkSession, name, hook):
            event.listen(UnitOfWorkSession, name, hook)
