"""Recording and verifying the audit trail.

Services call :func:`record` for writes; the encryption layer calls :func:`note_read` on
every decryption. Entries wait on the unit of work (caseflow.core.unit_of_work) and are
chained and inserted in the same transaction as the change they describe, right before it
commits (:func:`append_pending`), under a lock (a PostgreSQL advisory lock; on SQLite a
write transaction begins IMMEDIATE) so the chain never forks.
If a transaction rolls back, its write entries go with it but its reads are kept: data
that was decrypted stays on record even when the request then failed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import has_request_context, request
from flask_login import current_user
from sqlalchemy import select, text

from caseflow.audit.models import AuditEntry, canonical
from caseflow.core.batching import keyset_batches
from caseflow.core.clock import utcnow
from caseflow.core.unit_of_work import AuditQueue, UnitOfWork, current
from caseflow.crypto.keys import keyring
from caseflow.extensions import db

GENESIS = "0" * 64
AUDIT_LOCK_ID = 0x0CA5EF10
audit_entries = AuditEntry.__table__


def _actor() -> dict:
    user = current_user if has_request_context() else None
    if user is not None and getattr(user, "is_authenticated", False):
        return {
            "actor_id": user.id,
            "actor_kind": "user",
            "actor_role": user.role,
            "organization_id": user.organization_id,
        }
    return {
        "actor_id": None,
        "actor_kind": current().system_actor or ("anonymous" if has_request_context() else "system"),
        "actor_role": None,
        "organization_id": None,
    }


def _request_id() -> str | None:
    if not has_request_context():
        return None
    return request.headers.get("X-Request-Id", "")[:40] or None


def record(action: str, entity_type: str, entity_id=None, *, case_id=None, survivor_id=None,
           fields=None, detail=None, actor: dict | None = None) -> None:
    """Queue an entry for a write (or a security event) in the current transaction."""
    current().audit.writes.append({
        **(actor or _actor()),
        "at": utcnow(),
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id) if entity_id is not None else None,
        "case_id": case_id,
        "survivor_id": survivor_id,
        "fields": sorted(fields) if fields else None,
        "detail": detail,
        "request_id": _request_id(),
    })


def record_model_write(action: str, instance, fields=None, detail=None) -> None:
    record(action, instance.__tablename__, instance.id, case_id=_case_id(instance),
           survivor_id=_survivor_id(instance), fields=fields, detail=detail)


def note_read(instance, field_name: str, unit: UnitOfWork | None = None) -> None:
    key = (instance.__tablename__, instance.id, _case_id(instance), _survivor_id(instance))
    pending = (unit or current()).audit
    if pending.actor is None:
        # Now, while she is loaded: where she is a User entity (commands, tests acting as
        # someone), the rollback that ends a read phase expires her, and naming her at the
        # append would select her row again.
        pending.actor = _actor()
    pending.reads.setdefault(key, set()).add(field_name)


def _case_id(instance):
    if instance.__tablename__ == "cases":
        return instance.id
    return getattr(instance, "case_id", None)


def _survivor_id(instance):
    if instance.__tablename__ == "survivors":
        return instance.id
    return getattr(instance, "survivor_id", None)


# -- chaining --------------------------------------------------------------------------
def chain_hash(prev_hash: str, content: dict) -> str:
    """The link after ``prev_hash`` for an entry's canonical content (:func:`canonical`)."""
    body = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hmac.new(keyring().audit_key, (prev_hash + body).encode(), hashlib.sha256).hexdigest()


@cache
def _last_link():
    return select(audit_entries.c.hash).order_by(audit_entries.c.id.desc()).limit(1)


def append_pending(session, unit: UnitOfWork) -> None:
    """Chain and insert the unit's queued entries on ``session``'s transaction, just before
    it commits (called by the unit of work's ``before_commit`` hook)."""
    pending = unit.audit
    if not pending.pending:
        return
    # The changes go to the database before the chain's lock is taken: it is held until the
    # commit, and every other writer waits for it.
    session.flush()
    actor = pending.actor or _actor()
    rows = list(pending.writes)
    for (entity_type, entity_id, case_id, survivor_id), names in pending.reads.items():
        rows.append({
            **actor, "at": utcnow(), "action": "read", "entity_type": entity_type,
            "entity_id": str(entity_id), "case_id": case_id, "survivor_id": survivor_id,
            "fields": sorted(names), "detail": None, "request_id": _request_id(),
        })
    unit.audit = AuditQueue()
    # Entries are appended as plain rows on the session's connection: nothing reads them back
    # as objects, and the unit of work's flush of each one cost more than the rest of a search.
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": AUDIT_LOCK_ID})
    prev = connection.execute(_last_link()).scalar() or GENESIS
    for row in rows:
        row["prev_hash"] = prev
        row["hash"] = prev = chain_hash(prev, canonical(row))
    connection.execute(audit_entries.insert(), rows)


# -- verification ----------------------------------------------------------------------
@dataclass
class ChainReport:
    """What a walk of the chain found: every broken entry is counted, the first is named."""

    count: int
    head: str
    head_id: int | None = None
    broken: int = 0
    first_bad_id: int | None = None
    reason: str | None = None
    #: Anchors (written outside the database) the chain no longer agrees with.
    anchor_failures: list = field(default_factory=list)
    anchors_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.broken and not self.anchor_failures


BROKEN_LINK = "link to the previous entry is broken (an entry was deleted or reordered)"
CHANGED = "entry content does not match its hash (it was changed)"


def verify_chain(batch: int = 1000, anchors: list[Anchor] | None = None) -> ChainReport:
    """Recompute every link in order and report every entry that does not match.

    After a broken entry the walk goes on from that entry's own hash, so one deletion or
    one edit counts once and later damage is still found. ``anchors`` (heads recorded
    outside the database, see :func:`append_anchor`) must each still be in the chain:
    a chain cut short or rebuilt after a TRUNCATE no longer holds them.
    """
    wanted = {anchor.entry_id: anchor for anchor in anchors or ()}
    seen: set[int] = set()
    report = ChainReport(count=0, head=GENESIS)
    prev, last_id = GENESIS, 0
    for entries in keyset_batches(select(AuditEntry), [AuditEntry.id], batch, scalars=True):
        for entry in entries:
            reason = None
            if entry.prev_hash != prev:
                reason = BROKEN_LINK
            elif not hmac.compare_digest(entry.hash, chain_hash(prev, entry.canonical())):
                reason = CHANGED
            if reason:
                report.broken += 1
                if report.first_bad_id is None:
                    report.first_bad_id, report.reason = entry.id, reason
            anchor = wanted.get(entry.id)
            if anchor is not None:
                seen.add(entry.id)
                if not hmac.compare_digest(anchor.hash, entry.hash):
                    report.anchor_failures.append(f"entry {entry.id} differs from the anchor written at {anchor.at}")
            prev, last_id = entry.hash, entry.id
            report.count += 1
        db.session.expunge_all()
    report.head, report.head_id = prev, (last_id or None)
    for entry_id in sorted(set(wanted) - seen):
        anchor = wanted[entry_id]
        if entry_id > last_id:
            report.anchor_failures.append(
                f"the chain ends at entry {last_id} but the anchor written at {anchor.at} names entry {entry_id}"
                " (entries were deleted from its end or the table was emptied)")
        else:
            report.anchor_failures.append(f"entry {entry_id} named by the anchor written at {anchor.at} is missing")
    report.anchors_checked = len(wanted)
    return report


# -- anchors: the chain's head, kept outside the database --------------------------------
@dataclass(frozen=True)
class Anchor:
    at: str
    entry_id: int
    hash: str


class AnchorFileError(ValueError):
    """An anchor file that cannot be read as one."""


def chain_head() -> tuple[int, str] | None:
    """The last entry's position (its id) and hash, or None for an empty chain."""
    row = db.session.execute(
        select(audit_entries.c.id, audit_entries.c.hash).order_by(audit_entries.c.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else None


def append_anchor(path: str | os.PathLike) -> Anchor | None:
    """Append the chain's committed head to the anchor file (one line: time, id, hash).

    The file lives outside the database (ship it elsewhere too: see docs/operations.md),
    so someone who can rewrite the database cannot rewrite what it held. Created 0600.
    """
    head = chain_head()
    if head is None:
        return None
    anchor = Anchor(utcnow().isoformat(), head[0], head[1])
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(fd, f"{anchor.at} {anchor.entry_id} {anchor.hash}\n".encode("ascii"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return anchor


def read_anchors(path: str | os.PathLike) -> list[Anchor]:
    anchors = []
    try:
        lines = Path(path).read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise AnchorFileError(f"cannot read anchor file {path}: {type(exc).__name__}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[1].isdigit() or len(parts[2]) != 64:
            raise AnchorFileError(f"anchor file {path}, line {number}: expected 'time entry-id hash'")
        anchors.append(Anchor(parts[0], int(parts[1]), parts[2]))
    return anchors


def system_actor(name: str) -> None:
    """Name the CLI command or job on whose behalf entries are written."""
    current().system_actor = f"system:{name}"
